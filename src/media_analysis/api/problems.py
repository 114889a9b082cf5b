"""RFC 9457 problem+json for every error the API returns."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from media_analysis.errors import MediaAnalysisError
from media_analysis.logs import request_id_var

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://media-analysis.dev/problems/"

HTTP_CODES = {
    400: ("bad_request", "Bad Request"),
    401: ("unauthorized", "Unauthorized"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "Not Found"),
    405: ("method_not_allowed", "Method Not Allowed"),
    406: ("not_acceptable", "Not Acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload_too_large", "Payload Too Large"),
    415: ("unsupported_media_type", "Unsupported Media Type"),
    416: ("range_not_satisfiable", "Range Not Satisfiable"),
    422: ("validation_error", "Unprocessable Content"),
    429: ("too_many_requests", "Too Many Requests"),
    500: ("internal_error", "Internal Server Error"),
    503: ("service_unavailable", "Service Unavailable"),
}
# Pydantic prefixes the message of a ValueError or assert raised in a validator.
VALIDATOR_PREFIXES = ("Value error, ", "Assertion failed, ")


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the bad field or parameter, e.g. query.limit.")
    message: str = Field(description="What is wrong with it, for a person.")
    type: str = Field(description="Machine-readable kind of error, e.g. missing.")


class Problem(BaseModel):
    """RFC 9457 problem details: the body of every error response."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URI naming the kind of problem.")
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, for a person.")
    code: str = Field(description="Stable machine-readable code, e.g. not_found.")
    errors: list[FieldProblem] | None = Field(
        None, description="Every bad field (validation errors, 422)."
    )
    request_id: str | None = Field(None, description="Quote it when reporting a problem.")


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    if request_id := request_id_var.get():
        body["request_id"] = request_id
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def handle_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MediaAnalysisError)
    return problem_response(
        exc.status_code, exc.code, exc.title, exc.detail, exc.response_headers(), **exc.extra
    )


async def handle_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, title = HTTP_CODES.get(exc.status_code, ("http_error", "HTTP Error"))
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else title
    if exc.status_code == 404 and detail == title:
        detail = f"No resource at {request.url.path}."
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
    return problem_response(exc.status_code, code, title, detail, headers=exc.headers)


async def handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(error) for error in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid request."
    return problem_response(422, "validation_error", "Unprocessable Content", detail, errors=errors)


def internal_error_response() -> JSONResponse:
    return problem_response(
        500, "internal_error", "Internal Server Error", "An unexpected error occurred."
    )


def _field_error(error: Any) -> dict[str, str]:
    location = [str(part) for part in error.get("loc", ()) if part not in ("body",)]
    return {
        "field": ".".join(location) or "body",
        "message": _readable(str(error.get("msg", "invalid value"))),
        "type": str(error.get("type", "value_error")),
    }


def _readable(message: str) -> str:
    for prefix in VALIDATOR_PREFIXES:
        message = message.removeprefix(prefix)
    return message


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(MediaAnalysisError, handle_domain_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
