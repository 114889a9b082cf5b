"""`media-analysis analyze` against a real server: progress, answer, files, exit codes."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import httpx
from PIL import Image

from tests.client.conftest import API_KEY, Analysed, Server, run_client
from tests.paths import DATA

CUE = re.compile(
    r"(\d+)\n(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})\n(.+?)(?:\n\n|\Z)",
    re.DOTALL,
)


def parse_srt(text: str) -> list[tuple[float, float, str]]:
    cues = []
    for match in CUE.finditer(text.replace("\r\n", "\n")):
        parts = [int(part) for part in match.groups()[1:9]]
        start = parts[0] * 3600 + parts[1] * 60 + parts[2] + parts[3] / 1000
        end = parts[4] * 3600 + parts[5] * 60 + parts[6] + parts[7] / 1000
        cues.append((start, end, match.group(10).strip()))
    return cues


def job_id_of(stderr: str) -> str:
    found = re.search(r"job ([0-9a-f-]{36}) \(", stderr)
    assert found, stderr
    return found.group(1)


def test_speech_is_uploaded_followed_stage_by_stage_and_answered(analysed_speech: Analysed) -> None:
    run = analysed_speech.run
    assert run.returncode == 0, run.stderr
    assert "uploading jfk.wav" in run.stderr
    stages = re.findall(r"^(\w+): done$", run.stderr, re.MULTILINE)
    assert "transcribing" in stages and "analyzing" in stages
    assert stages.index("transcribing") < stages.index("analyzing")
    assert "\x1b[" not in run.stderr + run.stdout, "no terminal codes in a pipe"
    assert "Local analysis (provider local)" in run.stdout
    assert "ask not what your country can do for you" in run.stdout.lower()


def test_speech_out_folder_has_the_srt_transcript_and_the_result(analysed_speech: Analysed) -> None:
    out = analysed_speech.out
    cues = parse_srt((out / "transcript.srt").read_text())
    assert cues, (out / "transcript.srt").read_text()
    assert all(start < end for start, end, _ in cues)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(cues))
    assert 9.0 < cues[-1][1] < 12.0
    spoken = " ".join(text for _, _, text in cues).lower()
    assert "fellow americans" in spoken and "your country" in spoken
    result = json.loads((out / "result.json").read_text())
    assert result["analysis_result"]["provider"] == "local"
    assert not list(out.glob("contact_sheet_*")), "audio has no contact sheets"


def test_video_out_folder_has_every_contact_sheet_as_an_image(analysed_video: Analysed) -> None:
    run, out = analysed_video.run, analysed_video.out
    assert run.returncode == 0, run.stderr
    assert "extracting_frames: done" in run.stderr
    result = json.loads((out / "result.json").read_text())
    assert result["frame_count"] == 16
    sheets = sorted(out.glob("contact_sheet_*"))
    assert len(sheets) == len(result["contact_sheets"]) == 3
    for sheet in sheets:
        with Image.open(sheet) as image:
            assert image.format in ("JPEG", "PNG")
            image.verify()
        assert f"wrote {sheet}" in run.stderr
    assert (out / "transcript.srt").exists()


def test_no_wait_prints_only_the_job_id(api_server: Server) -> None:
    run = run_client(api_server.url, "analyze", str(DATA / "jfk.flac"), "--no-wait")
    assert run.returncode == 0, run.stderr
    job_id = run.stdout.strip()
    response = httpx.get(
        f"{api_server.url}/api/media/jobs/{job_id}", headers={"X-API-Key": API_KEY}
    )
    assert response.status_code == 200
    assert response.json()["status"] in ("pending", "processing", "completed")


def test_a_job_that_fails_exits_1_with_its_code(api_server: Server, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes((DATA / "bigbuckbunny.mp4").read_bytes()[:60_000])
    run = run_client(api_server.url, "analyze", str(truncated), "--kind", "video")
    assert run.returncode == 1, run.stderr
    job_id = job_id_of(run.stderr)
    assert f"job {job_id} failed: invalid_media:" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_refused_submission_exits_1_with_the_problem(api_server: Server, tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    run = run_client(api_server.url, "analyze", str(empty), "--kind", "video")
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("media-analysis: ")


def test_a_missing_file_is_a_usage_error(api_server: Server, tmp_path: Path) -> None:
    run = run_client(api_server.url, "analyze", str(tmp_path / "absent.mp4"))
    assert run.returncode == 2
    assert run.stderr.strip() == f"media-analysis: no such file: {tmp_path / 'absent.mp4'}"
