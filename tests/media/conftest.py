from __future__ import annotations

from pathlib import Path

import pytest

from tests.media import clips


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def small_video(media_dir: Path) -> Path:
    return clips.make_video(media_dir / "small.mp4")


@pytest.fixture(scope="session")
def rotated_video(media_dir: Path, small_video: Path) -> Path:
    return clips.rotated_video(media_dir / "rotated.mp4", small_video)


@pytest.fixture(scope="session")
def variable_rate_video(media_dir: Path) -> Path:
    return clips.variable_rate_video(media_dir / "vfr.mkv")


@pytest.fixture(scope="session")
def mp3_named_mp4(media_dir: Path) -> Path:
    return clips.tone(media_dir / "song.mp4", "-f", "mp3", seconds=2)
