"""A webhook receiver that verifies every request as a real one would, with standardwebhooks."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass
class Received:
    webhook_id: str
    payload: dict[str, Any] | None
    """The verified body; None when the signature did not verify."""
    headers: dict[str, str]


@dataclass
class Receiver:
    secret: str
    answers: list[int] = field(default_factory=list)
    """Statuses for the first requests, in order; later requests get 204."""
    hang_first: int = 0
    """How many of the first requests never get an answer."""
    retry_after: str | None = None
    received: list[Received] = field(default_factory=list)
    base_url: str = ""

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self._hook, methods=["POST"])])

    @property
    def url(self) -> str:
        return f"{self.base_url}/hook"

    def delivered_payloads(self) -> list[dict[str, Any]]:
        return [r.payload for r in self.received if r.payload is not None]

    async def _hook(self, request: Request) -> Response:
        body = await request.body()
        headers = dict(request.headers)
        try:
            payload = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            payload = None
        number = len(self.received)
        self.received.append(Received(headers.get("webhook-id", ""), payload, headers))
        if number < self.hang_first:
            await asyncio.sleep(3600)
        if payload is None:
            return Response(status_code=400)
        status = self.answers[number] if number < len(self.answers) else 204
        headers_out = {"retry-after": self.retry_after} if self.retry_after else {}
        return Response(status_code=status, headers=headers_out)
