"""Jobs as clients see them: one typed view per job type, stored rows always shown."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import Job
from media_analysis.db.repositories import JobRepository
from media_analysis.jobs.job_types import JobType
from media_analysis.pipelines.job_views import (
    TYPED_VIEWS,
    ReanalyzeJobOut,
    StoredJobOut,
    TranscribeJobOut,
    job_json,
    job_out,
)
from media_analysis.pipelines.specs.audio import TRANSCRIBE, SpeechParameters, TranscribeResult
from media_analysis.pipelines.specs.reanalysis import REANALYZE, ReanalyzeParameters
from tests.conftest import CORPUS
from tests.support.static_server import serve_folder

MEDIA = {
    "media_type": "audio",
    "duration_seconds": 11.0,
    "container": "wav",
    "size_bytes": 352078,
    "has_video": False,
    "has_audio": True,
    "video_codec": None,
    "frame_rate": None,
    "width": None,
    "height": None,
    "rotation": 0,
    "streams": [{"kind": "audio", "codec": "pcm_s16le", "sample_rate": 16000, "channels": 1}],
}
TRANSCRIPT = {
    "text": "ask not",
    "language": "en",
    "confidence": None,
    "duration_seconds": 11.0,
    "word_count": 2,
    "provider": "local",
    "model": "tiny.en",
}
ATTEMPT = {
    "provider": "local",
    "model": "tiny.en",
    "outcome": "success",
    "latency_ms": 812,
    "error_code": None,
    "error_message": None,
    "status": None,
    "chunk": 0,
}


def _job(job_type: str, parameters: dict[str, Any], result: dict[str, Any] | None) -> Job:
    return Job(
        id=uuid.uuid4(),
        job_type=job_type,
        status="completed" if result is not None else "pending",
        parameters=parameters,
        result=result,
        progress={},
        attempts=1,
        created_at=datetime.now(UTC),
    )


def _transcribe_job() -> Job:
    parameters = SpeechParameters(provider=None, language="en", normalize=True)
    result = TranscribeResult.model_validate(
        {"transcript": TRANSCRIPT, "providers": [ATTEMPT], "media": MEDIA}
    )
    return _job(
        TRANSCRIBE.job_type, TRANSCRIBE.parameters_json(parameters), TRANSCRIBE.result_json(result)
    )


def test_every_job_type_the_service_runs_has_a_typed_view() -> None:
    runnable = set(JobType) - {JobType.LEGACY}
    assert set(TYPED_VIEWS) == runnable


def test_a_typed_view_shows_the_stored_json_unchanged() -> None:
    job = _transcribe_job()
    view = job_out(job)
    assert isinstance(view, TranscribeJobOut)
    assert view.result is not None and view.result.transcript.word_count == 2
    shown = job_json(job)
    assert shown["parameters"] == job.parameters
    assert shown["result"] == job.result
    assert shown["result"]["providers"][0]["chunk"] == 0  # attempt fields beyond the model


def test_parameters_and_results_are_read_as_their_models() -> None:
    source = uuid.uuid4()
    parameters = REANALYZE.parameters_json(
        ReanalyzeParameters(source_job_id=source, analysis_type=None)
    )
    assert parameters == {"source_job_id": str(source), "analysis_type": None}
    assert REANALYZE.read_parameters(parameters).analysis == "qa"
    view = job_out(_job(JobType.REANALYZE, parameters, None))
    assert isinstance(view, ReanalyzeJobOut) and view.parameters.source_job_id == source


def test_a_row_in_an_older_shape_is_shown_as_stored() -> None:
    result = {**_transcribe_job().result, "transcript": {"text": "ask not"}}  # type: ignore[dict-item]
    job = _job(JobType.TRANSCRIBE, {"language": "en"}, result)
    assert isinstance(job_out(job), StoredJobOut)
    shown = job_json(job)
    assert (shown["job_type"], shown["parameters"], shown["result"]) == (
        "audio.transcribe",
        {"language": "en"},
        result,
    )


def test_plug_in_job_types_are_shown_as_stored() -> None:
    job = _job("test.echo", {"value": 3}, {"echo": 3})
    shown = job_json(job)
    assert (shown["job_type"], shown["parameters"], shown["result"]) == (
        "test.echo",
        {"value": 3},
        {"echo": 3},
    )


async def test_an_unreadable_result_is_served_not_refused(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    stored = {"frame_count": "many", "contact_sheets": {"not": "a list"}}
    job = _job(JobType.VIDEO, {"fps": 3}, stored)
    await JobRepository(db_session).add(job)
    response = await client.get(f"/api/media/jobs/{job.id}")
    assert response.status_code == 200
    assert response.json()["result"] == stored
    listed = (await client.get("/api/media/jobs", params={"include": "result"})).json()
    assert [item["result"] for item in listed["items"] if item["id"] == str(job.id)] == [stored]


async def test_openapi_documents_the_result_of_every_job_type(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    get_job = document["paths"]["/api/media/jobs/{job_id}"]["get"]["responses"]["200"]
    variants = get_job["content"]["application/json"]["schema"]["anyOf"]
    names = {variant["$ref"].rsplit("/", 1)[-1] for variant in variants}
    assert names == {view.__name__ for view in TYPED_VIEWS.values()} | {"StoredJobOut"}
    for view in TYPED_VIEWS.values():
        properties = schemas[view.__name__]["properties"]
        assert properties["job_type"]["const"] in TYPED_VIEWS
        assert "$ref" in str(properties["result"]) and "$ref" in str(properties["parameters"])
    video = schemas["VideoResult"]
    assert {"frame_count", "contact_sheets", "transcript", "providers"} <= set(video["required"])


async def test_a_url_job_is_named_and_typed_from_what_it_fetched(
    live_client: httpx.AsyncClient,
) -> None:
    with serve_folder(CORPUS) as base:
        submitted = await live_client.post(
            "/api/media/audio/transcribe?wait=60", json={"audio_url": f"{base}/jfk.wav?x=1"}
        )
    job = submitted.json()
    assert job["status"] == "completed", job["error"]
    assert (job["media_type"], job["original_filename"]) == ("audio", "jfk.wav")
    again = (await live_client.get(f"/api/media/jobs/{job['id']}")).json()
    assert (again["media_type"], again["original_filename"]) == ("audio", "jfk.wav")
    assert again["result"]["transcript"]["word_count"] > 10


async def test_a_reanalysis_names_the_media_it_asks_about(
    live_client: httpx.AsyncClient,
) -> None:
    source = await live_client.post(
        "/api/media/documents?wait=60",
        files={"file": ("notes.txt", b"Harbour notes: forty cranes stand on the quay.\n")},
    )
    assert source.json()["status"] == "completed", source.json()["error"]
    asked = await live_client.post(
        f"/api/media/jobs/{source.json()['id']}/analyze?wait=60",
        json={"prompt": "How many cranes?"},
    )
    job = asked.json()
    assert job["status"] == "completed", job["error"]
    assert (job["media_type"], job["original_filename"]) == ("document", "notes.txt")
    assert job["result"]["source_job_id"] == source.json()["id"]


async def test_a_url_job_is_typed_by_its_content_not_its_endpoint(
    live_client: httpx.AsyncClient,
) -> None:
    with serve_folder(CORPUS) as base:
        submitted = await live_client.post(
            "/api/media/video/extract-frames?wait=60",
            json={"video_url": f"{base}/crazyones.pdf"},
        )
    job = submitted.json()
    assert job["status"] == "failed"
    assert (job["media_type"], job["original_filename"]) == ("document", "crazyones.pdf")
