"""Signatures as a receiver checks them, the retry rules, bodies and note texts."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from typer.testing import CliRunner

from media_analysis.cli import app as cli
from media_analysis.db.models import Job
from media_analysis.webhooks.note_text import note_text
from media_analysis.webhooks.payload import MAX_LIST_ITEMS, event_body
from media_analysis.webhooks.retry_policy import (
    Verdict,
    kommo_verdict,
    next_delay,
    parse_retry_after,
    webhook_verdict,
)
from media_analysis.webhooks.secret_store import callback_secret
from media_analysis.webhooks.signing import new_secret, signed_headers
from tests.conftest import make_settings

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def test_signatures_verify_with_standardwebhooks_and_break_on_any_change() -> None:
    secret = new_secret()
    body = b'{"type":"job.completed","data":{"id":"x"}}'
    headers = signed_headers(secret, "msg_1", body, datetime.now(UTC))
    assert Webhook(secret).verify(body, headers) == {"type": "job.completed", "data": {"id": "x"}}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace(b"x", b"y"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)


def test_a_webhook_secret_must_be_whsec_base64(tmp_path: Path) -> None:
    assert make_settings(tmp_path, webhook_secret=new_secret()).webhook_secret
    for bad in ("plain-secret", "whsec_not base64!", "whsec_c2hvcnQ="):
        with pytest.raises(ValidationError, match="whsec_"):
            make_settings(tmp_path, webhook_secret=bad)
    with pytest.raises(ValidationError, match="delays in seconds"):
        make_settings(tmp_path, webhook_retry_schedule="5,soon")


def test_answers_decide_between_delivered_retry_stop_and_fail() -> None:
    assert webhook_verdict(204) is Verdict.DELIVERED
    assert webhook_verdict(410) is Verdict.STOP
    assert webhook_verdict(400) is webhook_verdict(500) is Verdict.RETRY
    assert kommo_verdict(400) is Verdict.FAIL and kommo_verdict(401) is Verdict.RETRY


def test_retry_after_is_read_on_429_and_503_only() -> None:
    assert parse_retry_after(429, "120", NOW) == 120
    assert parse_retry_after(503, "Sun, 29 Nov 2026 12:01:00 GMT", NOW) == 60
    assert parse_retry_after(500, "120", NOW) is None
    assert parse_retry_after(429, "soon", NOW) is None


def test_the_schedule_is_followed_with_jitter_then_given_up() -> None:
    schedule = (10.0, 100.0)
    delays = [next_delay(schedule, 2, None) for _ in range(200)]
    assert all(d is not None and 80 <= d <= 120 for d in delays)
    assert len(set(delays)) > 1
    assert next_delay(schedule, 1, retry_after=500) == 500
    assert next_delay(schedule, 3, None) is None


def _job(**columns: object) -> Job:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "job_type": "audio",
        "status": "completed",
        "parameters": {},
        "progress": {"stage": "done", "percent": 100},
        "attempts": 1,
        "created_at": NOW - timedelta(seconds=5),
        **columns,
    }
    return Job(**values)


def test_a_body_leaves_out_long_lists_and_says_so() -> None:
    frames = [{"index": n} for n in range(MAX_LIST_ITEMS + 1)]
    job = _job(result={"frames": frames, "providers": [{"name": "local"}]})
    body = event_body(job, "job.completed", NOW)
    assert body.startswith(b'{"type":"job.completed","timestamp":"2026-11-29T12:00:00Z"')
    parsed = json.loads(body)["data"]
    assert "frames" not in parsed["result"]
    assert parsed["result"]["providers"] == [{"name": "local"}]
    assert parsed["omitted"] == {"result.frames": MAX_LIST_ITEMS + 1}
    assert parsed["links"]["assets"] == f"/api/media/jobs/{job.id}/assets"


def test_a_note_names_the_media_answer_transcript_and_link(tmp_path: Path) -> None:
    speech = "And so my fellow Americans ask not what your country can do for you " * 20
    job = _job(
        media_url="https://cdn.example.com/talks/jfk.wav?sig=abc",
        result={
            "analysis_result": {"answer": "A call to public service."},
            "transcript": {"text": speech},
        },
    )
    text = note_text(job, make_settings(tmp_path, domain="media.example.com"))
    lines = text.splitlines()
    assert lines[0] == "Media analysis completed: jfk.wav"
    assert lines[1] == "Answer: A call to public service."
    assert lines[2].startswith("Transcript: And so my fellow Americans") and lines[2].endswith("…")
    assert len(lines[2]) <= len("Transcript: ") + 500
    assert lines[3] == f"Job: https://media.example.com/api/media/jobs/{job.id}"


async def test_the_callback_secret_is_generated_once_and_kept(
    tmp_path: Path, db_session: AsyncSession
) -> None:
    settings = make_settings(tmp_path)
    first = await callback_secret(db_session, settings)
    assert first.startswith("whsec_") and Webhook(first)
    assert await callback_secret(db_session, settings) == first
    configured = new_secret()
    assert (
        await callback_secret(db_session, make_settings(tmp_path, webhook_secret=configured))
        == configured
    )


def test_the_cli_prints_the_stored_secret(tmp_path: Path, db_url: str) -> None:
    env = {"DATABASE_URL": db_url, "MEDIA_ANALYSIS_WEBHOOK_SECRET": ""}
    runner = CliRunner()
    first = runner.invoke(cli, ["webhook-secret", "--no-migrate"], env=env)
    second = runner.invoke(cli, ["webhook-secret", "--no-migrate"], env=env)
    assert first.exit_code == 0, first.output
    assert first.output.strip().startswith("whsec_")
    assert first.output == second.output
