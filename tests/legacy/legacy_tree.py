"""A realistic legacy data folder, good and broken entries side by side.

Ids are fresh for every tree, so tests sharing one database never meet each
other's jobs.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

# An ISO base media header: what the old service kept as original.mp4 starts like this.
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 96


@dataclass
class LegacyIds:
    video: str = field(default_factory=lambda: str(uuid.uuid4()))
    audio: str = field(default_factory=lambda: f"job-{uuid.uuid4().hex[:10]}")
    failed: str = field(default_factory=lambda: str(uuid.uuid4()))
    unfinished: str = field(default_factory=lambda: str(uuid.uuid4()))
    malformed: str = field(default_factory=lambda: str(uuid.uuid4()))
    orphan: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def importable(self) -> list[str]:
        return [self.video, self.audio, self.failed, self.unfinished]


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")


def write_jpeg(path: Path, shade: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 36), (shade, 40, 200 - shade)).save(path, "JPEG", quality=85)


def write_png(path: Path, size: tuple[int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (10, 120, 30)).save(path, "PNG")


def write_wav(path: Path, seconds: float = 0.25, rate: int = 16_000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        samples = bytes((i * 7) % 256 for i in range(int(seconds * rate) * 2))
        audio.writeframes(samples)


def build_video_job(root: Path, job_id: str) -> None:
    write_json(
        root / "data/jobs" / f"{job_id}.json",
        {
            "job_id": job_id,
            "status": "done",
            "type": "video",
            "video_url": "https://media.example.com/talk.mp4",
            "prompt": "What is on the whiteboard?",
            "fps": 2,
            "created_at": "2024-03-01T10:00:00Z",
            "started_at": "2024-03-01T10:00:05Z",
            "updated_at": "2024-03-01T10:01:05Z",
            "frame_count": 4,
            "processing_time_ms": 60000,
            "worker_host": "gpu-box-2",
        },
    )
    (root / "uploads" / job_id).mkdir(parents=True)
    (root / "uploads" / job_id / "original.mp4").write_bytes(MP4_HEAD)
    for number in range(1, 5):
        write_jpeg(root / "uploads" / job_id / "frames" / f"frame_{number:03d}.jpg", number * 40)
    (root / "uploads" / job_id / "notes.txt").write_text("kept by an operator\n")
    outputs = root / "outputs" / job_id
    write_png(outputs / "contact_sheet.png", (192, 72))
    (outputs / "transcription.txt").write_text("Hello and welcome to the talk.\n", encoding="utf-8")
    analysis = {
        "summary": "A speaker in front of a whiteboard.",
        "model": "MiniMax-VL-01",
        "confidence": 0.82,
        "objects": ["whiteboard", "person"],
    }
    write_json(outputs / "analysis_result.json", analysis)


def build_audio_job(root: Path, job_id: str) -> None:
    write_json(
        root / "data/jobs" / f"{job_id}.json",
        {
            "id": job_id,
            "status": "completed",
            "type": "transcribe",
            "audio_url": "https://media.example.com/voice.wav",
            "language": "en",
            "created_at": 1709287200,
        },
    )
    write_wav(root / "uploads" / job_id / "original.wav")
    (root / "outputs" / job_id).mkdir(parents=True)
    (root / "outputs" / job_id / "transcription.txt").write_text("one two three", "utf-8")


def build_failed_job(root: Path, job_id: str) -> None:
    write_json(
        root / "data/jobs" / f"{job_id}.json",
        {
            "job_id": job_id,
            "status": "error",
            "type": "contact_sheet",
            "media_url": "https://media.example.com/broken.mp4",
            "error": "ffmpeg exited with code 1: moov atom not found",
            "created_at": 1709290800000,
        },
    )
    (root / "uploads" / job_id).mkdir(parents=True)
    (root / "uploads" / job_id / "original.mp4").write_bytes(MP4_HEAD[:40])
    (root / "outputs" / job_id).mkdir(parents=True)
    (root / "outputs" / job_id / "analysis_result.json").write_text('{"summary": "cut off')


def build_unfinished_job(root: Path, job_id: str) -> None:
    write_json(
        root / "data/jobs" / f"{job_id}.json",
        {"job_id": job_id, "status": "processing", "type": "frames", "created_at": "2024-03-02"},
    )


def build_tree(root: Path, ids: LegacyIds | None = None) -> LegacyIds:
    ids = ids or LegacyIds()
    build_video_job(root, ids.video)
    build_audio_job(root, ids.audio)
    build_failed_job(root, ids.failed)
    build_unfinished_job(root, ids.unfinished)
    (root / "data/jobs").mkdir(parents=True, exist_ok=True)
    (root / "data/jobs" / f"{ids.malformed}.json").write_text('{"job_id": "x", "status": ')
    write_wav(root / "uploads" / ids.malformed / "original.wav")
    write_wav(root / "uploads" / ids.orphan / "original.wav")
    return ids


def tree_state(root: Path) -> dict[str, tuple[str, int]]:
    """Every folder and file, with checksum and modification time: proof nothing changed."""
    return {
        path.relative_to(root).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder",
            path.stat().st_mtime_ns,
        )
        for path in sorted(root.rglob("*"))
    }


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
