"""audio.transcribe end to end with no provider keys: everything goes to local Whisper."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import CORPUS
from tests.formats.subtitle_parsing import parse_srt, parse_vtt
from tests.media.clips import silence
from tests.pipelines.audio.conftest import (
    BUNNY,
    JFK_FLAC,
    JFK_WAV,
    job_events,
    repeated_speech,
    service,
    upload,
    video_without_audio,
)
from tests.providers.test_local import JFK, normalized_words, word_error_rate
from tests.support.static_server import serve_folder


async def test_an_uploaded_wav_is_transcribed_locally(live_client: httpx.AsyncClient) -> None:
    job = await upload(live_client, JFK_WAV)
    assert job["status"] == "completed", job["error"]
    assert job["job_type"] == "audio.transcribe"
    assert job["parameters"] == {"provider": None, "language": None, "normalize": True}
    result: dict[str, Any] = job["result"]
    transcript = result["transcript"]
    assert word_error_rate(JFK, transcript["text"]) <= 0.1
    assert (transcript["provider"], transcript["language"]) == ("local", "en")
    assert transcript["duration_seconds"] == pytest.approx(11.0, abs=0.05)
    assert transcript["word_count"] == len(transcript["text"].split())
    assert 0 < transcript["confidence"] <= 1
    outcomes = [(p["provider"], p["outcome"], p["error_code"]) for p in result["providers"]]
    assert outcomes == [
        ("groq", "skipped", "not_configured"),
        ("deepgram", "skipped", "not_configured"),
        ("openai", "skipped", "not_configured"),
        ("gemini", "skipped", "not_configured"),
        ("local", "success", None),
    ]
    assert result["media"]["has_audio"] and not result["media"]["has_video"]

    events = await job_events(live_client, job["id"])
    stages = [e.data["stage"] for e in events if e.event == "progress"]
    assert events[-1].data["status"] == "completed"
    assert events[-1].data["links"]["self"] == f"/api/media/jobs/{job['id']}"
    assert stages.index("preparing_audio") < stages.index("transcribing")

    words = (await live_client.get(f"/api/media/jobs/{job['id']}/transcript")).json()["words"]
    americans = next(w for w in words if w["text"].strip(",.").lower() == "americans")
    assert americans["start"] == pytest.approx(1.8, abs=0.7)


async def test_the_transcript_in_every_format(live_client: httpx.AsyncClient) -> None:
    job = await upload(live_client, JFK_WAV)
    url = f"/api/media/jobs/{job['id']}/transcript"

    as_json = await live_client.get(url)
    assert as_json.headers["content-type"] == "application/json"
    body = as_json.json()
    assert body["job_id"] == job["id"] and body["text"] == job["result"]["transcript"]["text"]
    assert body["segments"] and body["providers"][-1]["outcome"] == "success"

    text = await live_client.get(url, params={"format": "txt"})
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert f'filename="transcript-{job["id"]}.txt"' in text.headers["content-disposition"]
    assert word_error_rate(JFK, text.text) <= 0.1

    srt = await live_client.get(url, params={"format": "srt"})
    assert srt.headers["content-type"].startswith("application/x-subrip")
    assert f"transcript-{job['id']}.srt" in srt.headers["content-disposition"]
    _check_cues(parse_srt(srt.text), body["text"])

    vtt = await live_client.get(url, params={"format": "vtt"})
    assert vtt.headers["content-type"] == "text/vtt; charset=utf-8"
    assert vtt.text.startswith("WEBVTT\n")
    _check_cues(parse_vtt(vtt.text), body["text"])

    bad = await live_client.get(url, params={"format": "docx"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"


def _check_cues(cues: list[tuple[float, float, str]], text: str) -> None:
    assert cues
    assert all(start < end for start, end, _ in cues)
    assert all(a[0] < b[0] and a[1] <= b[1] for a, b in pairwise(cues))
    assert cues[-1][1] <= 11.0
    spoken = " ".join(cue_text for _, _, cue_text in cues)
    assert normalized_words(spoken) == normalized_words(text)


async def test_a_flac_url_is_downloaded_and_transcribed(live_client: httpx.AsyncClient) -> None:
    with serve_folder(CORPUS) as base:
        response = await live_client.post(
            "/api/media/audio/transcribe?wait=60",
            json={"audio_url": f"{base}/{JFK_FLAC.name}", "language": "EN", "normalize": False},
        )
    job = response.json()
    assert response.status_code == 200 and job["status"] == "completed", job["error"]
    assert job["parameters"] == {"provider": None, "language": "en", "normalize": False}
    assert word_error_rate(JFK, job["result"]["transcript"]["text"]) <= 0.1
    assert job["result"]["media"]["container"] == "flac"


async def test_music_without_speech_gives_little_or_no_text(
    live_client: httpx.AsyncClient,
) -> None:
    job = await upload(live_client, BUNNY)
    assert job["status"] == "completed", job["error"]
    assert job["result"]["transcript"]["word_count"] <= 3
    assert job["result"]["media"]["has_video"]


async def test_silence_is_an_empty_transcript(
    live_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    job = await upload(live_client, silence(tmp_path / "quiet.wav", seconds=4))
    assert job["status"] == "completed", job["error"]
    assert job["result"]["transcript"]["text"] == ""
    assert job["result"]["transcript"]["word_count"] == 0
    srt = await live_client.get(f"/api/media/jobs/{job['id']}/transcript?format=srt")
    assert srt.status_code == 200 and srt.text == ""
    vtt = await live_client.get(f"/api/media/jobs/{job['id']}/transcript?format=vtt")
    assert vtt.text.strip() == "WEBVTT"


async def test_a_video_without_audio_fails_with_no_audio(
    live_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    job = await upload(live_client, video_without_audio(tmp_path / "mute.mp4"))
    assert job["status"] == "failed"
    assert job["error"]["code"] == "no_audio"
    transcript = await live_client.get(f"/api/media/jobs/{job['id']}/transcript")
    assert transcript.status_code == 409
    assert transcript.headers["content-type"] == "application/problem+json"
    problem = transcript.json()
    assert problem["code"] == "job_failed" and problem["error"]["code"] == "no_audio"
    assert "no transcript" in problem["detail"]


async def test_long_speech_is_cut_at_silences_and_merged(tmp_path: Path, db_url: str) -> None:
    speech = repeated_speech(tmp_path / "six_times.wav", 6)
    async with service(tmp_path, db_url, transcription_chunk_seconds=20) as client:
        job = await upload(client, speech)
        assert job["status"] == "completed", job["error"]
        transcript = (await client.get(f"/api/media/jobs/{job['id']}/transcript")).json()

    chunks = sorted({attempt["chunk"] for attempt in job["result"]["providers"]})
    assert len(chunks) >= 4 and chunks == list(range(len(chunks)))
    assert transcript["duration_seconds"] == pytest.approx(72.0, abs=0.1)
    assert word_error_rate(" ".join([JFK] * 6), transcript["text"]) <= 0.15
    starts = [word["start"] for word in transcript["words"]]
    assert starts == sorted(starts)
    assert starts[0] < 1.0 and transcript["words"][-1]["end"] > 65.0
    americans = [w["start"] for w in transcript["words"] if "americans" in w["text"].lower()]
    assert len(americans) == 6
    assert all(11 < b - a < 13 for a, b in pairwise(americans))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "audio_url"),
        ({"audio_url": "file:///etc/passwd"}, "audio_url"),
        ({"audio_url": "https://example.com/a.wav", "provider": "whisper"}, "provider"),
        ({"audio_url": "https://example.com/a.wav", "language": "english"}, "language"),
        ({"audio_url": "https://example.com/a.wav", "language": "e1"}, "language"),
        ({"audio_url": "https://example.com/a.wav", "normalize": "maybe"}, "normalize"),
    ],
)
async def test_bad_submissions_are_422_naming_the_field(
    live_client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await live_client.post("/api/media/audio/transcribe", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_a_provider_without_a_key_is_refused_at_submission(
    live_client: httpx.AsyncClient,
) -> None:
    response = await live_client.post(
        "/api/media/audio/transcribe",
        json={"audio_url": "https://example.com/a.wav", "provider": "groq"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "provider_not_configured"
