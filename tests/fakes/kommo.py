"""A fake Kommo API v4 that adds notes to leads, answering as docs/providers/kommo.md says.

``POST /api/v4/leads/notes`` checks the Bearer token (401 problem+json), validates each
note (400 problem+json with ``validation-errors``), can be told to throttle (429
problem+json with Retry-After) and answers ``application/hal+json`` with the notes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

NOTE_TYPES = frozenset(
    {"common", "call_in", "call_out", "service_message", "extended_service_message",
     "geolocation", "sms_in", "sms_out", "attachment"}
)  # fmt: skip
HAL_JSON = "application/hal+json"
PROBLEM_JSON = "application/problem+json"


@dataclass
class KommoNote:
    id: int
    entity_id: int
    note_type: str
    text: str


@dataclass
class FakeKommo:
    access_token: str
    throttle_requests: int = 0
    """How many requests get 429 before the fake answers normally."""
    retry_after: str = "1"
    notes: list[KommoNote] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(76787983))

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/api/v4/leads/notes", self._add_notes, methods=["POST"])])

    async def _add_notes(self, request: Request) -> Response:
        body = await request.body()
        self.requests.append({"headers": dict(request.headers), "body": body})
        if request.headers.get("authorization") != f"Bearer {self.access_token}":
            return _problem(401, "Unauthorized", "Unauthorized")
        if self.throttle_requests > 0:
            self.throttle_requests -= 1
            response = _problem(429, "Too Many Requests", "Too many requests")
            response.headers["retry-after"] = self.retry_after
            return response
        try:
            notes = await request.json()
        except ValueError:
            return _problem(400, "Bad Request", "Request body is not valid JSON")
        errors = _validation_errors(notes)
        if errors:
            return _problem(400, "Bad Request", "Request validation failed", errors)
        return JSONResponse(self._store(notes), media_type=HAL_JSON)

    def _store(self, notes: list[dict[str, Any]]) -> dict[str, Any]:
        created = []
        for index, note in enumerate(notes):
            stored = KommoNote(
                next(self._ids), note["entity_id"], note["note_type"], note["params"]["text"]
            )
            self.notes.append(stored)
            href = f"{self.base_url}/api/v4/leads/{stored.entity_id}/notes/{stored.id}"
            created.append(
                {
                    "id": stored.id,
                    "entity_id": stored.entity_id,
                    "request_id": str(index),
                    "_links": {"self": {"href": href}},
                }
            )
        return {
            "_links": {"self": {"href": f"{self.base_url}/api/v4/leads/notes"}},
            "_embedded": {"notes": created},
        }


def _validation_errors(notes: Any) -> list[dict[str, Any]]:
    if not isinstance(notes, list) or not notes:
        return [{"request_id": "0", "errors": [_error("", "This value should not be blank.")]}]
    found = []
    for index, note in enumerate(notes):
        errors = _note_errors(note)
        if errors:
            found.append({"request_id": str(index), "errors": errors})
    return found


def _note_errors(note: Any) -> list[dict[str, str]]:
    if not isinstance(note, dict):
        return [_error("", "This value should be of type array.")]
    errors = []
    if not isinstance(note.get("entity_id"), int):
        errors.append(_error("entity_id", "This value should be of type int."))
    if note.get("note_type") not in NOTE_TYPES:
        errors.append(_error("note_type", "The value you selected is not a valid choice."))
    params = note.get("params")
    if not isinstance(params, dict) or not isinstance(params.get("text"), str):
        errors.append(_error("params.text", "This value should not be blank."))
    return errors


def _error(path: str, detail: str) -> dict[str, str]:
    code = "NotSupportedChoice" if "choice" in detail else "InvalidType"
    return {"code": code, "path": path, "detail": detail}


def _problem(
    status: int, title: str, detail: str, validation: list[dict[str, Any]] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {}
    if validation:
        body["validation-errors"] = validation
    body.update(
        {"title": title, "type": f"https://httpstatus.es/{status}", "status": status,
         "detail": detail}
    )  # fmt: skip
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)
