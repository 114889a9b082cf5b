"""`jobs`, `job`, `search`, and the exit code 2 of a wrong key or an unreachable server."""

from __future__ import annotations

import json
import re
import time

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.client.conftest import API_KEY, Analysed, Server, run_client
from tests.client.test_analyze import job_id_of
from tests.conftest import free_port
from tests.fakes import run_fake_server


def test_jobs_lists_the_finished_job_newest_first(
    api_server: Server, analysed_speech: Analysed, analysed_video: Analysed
) -> None:
    speech, video = job_id_of(analysed_speech.run.stderr), job_id_of(analysed_video.run.stderr)
    run = run_client(api_server.url, "jobs", "--status", "completed")
    assert run.returncode == 0, run.stderr
    rows = [line for line in run.stdout.splitlines() if re.match(r"[0-9a-f-]{36} ", line)]
    listed = [row.split()[0] for row in rows]
    assert listed.index(video) < listed.index(speech)
    assert all("completed" in row for row in rows)
    only_audio = run_client(api_server.url, "jobs", "--type", "audio", "--limit", "1")
    assert speech in only_audio.stdout and video not in only_audio.stdout


def test_job_shows_one_job_readably_or_as_json(
    api_server: Server, analysed_speech: Analysed
) -> None:
    job_id = job_id_of(analysed_speech.run.stderr)
    readable = run_client(api_server.url, "job", job_id)
    assert readable.returncode == 0, readable.stderr
    assert re.search(r"^status\s+completed", readable.stdout, re.MULTILINE)
    assert "your country" in readable.stdout
    raw = run_client(api_server.url, "job", job_id, "--json")
    job = json.loads(raw.stdout)
    assert job["id"] == job_id and job["job_type"] == "audio"


def test_search_shows_snippets_without_mark_tags(
    api_server: Server, analysed_speech: Analysed
) -> None:
    job_id = job_id_of(analysed_speech.run.stderr)
    run = run_client(api_server.url, "search", "country")
    assert run.returncode == 0, run.stderr
    assert job_id in run.stdout
    assert "<mark>" not in run.stdout
    assert re.search(r"transcript at [\d.]+ s: .*country", run.stdout, re.IGNORECASE)
    nothing = run_client(api_server.url, "search", "zyzzogeton")
    assert "No finished job matches." in nothing.stdout


def test_an_unknown_job_is_a_one_line_error(api_server: Server) -> None:
    run = run_client(api_server.url, "job", "00000000-0000-4000-8000-000000000000")
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert "not_found" in run.stderr


def test_a_refused_key_exits_2(api_server: Server) -> None:
    for command in (["jobs"], ["analyze", "https://example.com/a.mp4"]):
        run = run_client(api_server.url, *command, MEDIA_ANALYSIS_API_KEY="not-the-key")
        assert run.returncode == 2
        assert run.stderr.strip() == "media-analysis: the API key was refused"


def test_an_unreachable_server_exits_2(api_server: Server) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    run = run_client(api_server.url, "jobs", "--server", closed)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"media-analysis: cannot reach the server at {closed}")


def test_job_lists_where_the_outcome_was_delivered(api_server: Server) -> None:
    received: list[bytes] = []

    async def hook(request: Request) -> Response:
        received.append(await request.body())
        return Response(status_code=204)

    receiver = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    with run_fake_server(receiver) as receiver_url:
        submitted = httpx.post(
            f"{api_server.url}/api/media/documents",
            files={"file": ("notes.txt", b"Harbour notes: forty cranes on Tuesday.\n")},
            data={"callback_url": f"{receiver_url}/hook"},
            headers={"X-API-Key": API_KEY},
        )
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["id"]
        for _ in range(300):
            shown = run_client(api_server.url, "job", job_id)
            if "delivered" in shown.stdout:
                break
            time.sleep(0.2)
    assert shown.returncode == 0, shown.stderr
    assert "Deliveries" in shown.stdout and f"{receiver_url}/hook" in shown.stdout
    assert re.search(r"job\.completed\s+│\s+delivered\s+│\s+1\s", shown.stdout), shown.stdout
    assert len(received) == 1
