"""Kommo API v4: a ``common`` note on a lead, at a pace the account allows."""

from __future__ import annotations

import asyncio
import json
import time

import httpx

from media_analysis.webhooks import http_attempt
from media_analysis.webhooks.retry_policy import AttemptResult, kommo_verdict

NOTES_PATH = "/api/v4/leads/notes"
# Kommo allows 7 requests per second per account; staying under it leaves room for
# the account's other integrations.
REQUESTS_PER_SECOND = 5.0


class RequestPacer:
    """Spaces requests at least ``1 / per_second`` apart within this process."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second
        self._lock = asyncio.Lock()
        self._next = 0.0

    async def wait_turn(self) -> None:
        async with self._lock:
            now = time.monotonic()
            if self._next > now:
                await asyncio.sleep(self._next - now)
            self._next = max(now, self._next) + self._interval


class KommoClient:
    def __init__(self, base_url: str, access_token: str, timeout: float) -> None:
        self._url = httpx.URL(base_url.rstrip("/") + NOTES_PATH)
        self._token = access_token
        self._timeout = timeout
        self._pacer = RequestPacer(REQUESTS_PER_SECOND)

    async def add_lead_note(self, lead_id: int, text: str) -> AttemptResult:
        body = [{"entity_id": lead_id, "note_type": "common", "params": {"text": text}}]
        await self._pacer.wait_turn()
        return await http_attempt.post(
            self._url,
            json.dumps(body, ensure_ascii=False).encode(),
            {"authorization": f"Bearer {self._token}"},
            timeout=self._timeout,
            classify=kommo_verdict,
        )
