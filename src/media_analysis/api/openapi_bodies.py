"""OpenAPI request bodies for endpoints that take JSON or a multipart upload."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute
from pydantic import BaseModel

from media_analysis.api.submissions import MAX_IDEMPOTENCY_KEY

MULTIPART = "multipart/form-data"
# Read by hand in accept_submission (it is scoped to the caller's key), so it is
# described here rather than declared as a FastAPI header parameter.
IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Makes a retried submission return the original job instead of a new one; "
        "the same key with a different body is `409`."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_IDEMPOTENCY_KEY},
}


def json_or_upload(schema: type[BaseModel]) -> dict[str, Any]:
    json_schema = schema.model_json_schema()
    form_properties = {name: prop for name, prop in json_schema.get("properties", {}).items()}
    form_properties["file"] = {"type": "string", "format": "binary", "description": "The media."}
    return {
        "parameters": [IDEMPOTENCY_KEY_PARAMETER],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": json_schema},
                MULTIPART: {"schema": {"type": "object", "properties": form_properties}},
            },
        },
    }


def accepts_uploads(route: APIRoute) -> bool:
    """Whether the route streams a multipart upload (its body may reach the upload cap)."""
    content = (route.openapi_extra or {}).get("requestBody", {}).get("content", {})
    return MULTIPART in content
