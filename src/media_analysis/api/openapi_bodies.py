"""OpenAPI request bodies for endpoints that take JSON or a multipart upload."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def json_or_upload(schema: type[BaseModel]) -> dict[str, Any]:
    json_schema = schema.model_json_schema()
    form_properties = {name: prop for name, prop in json_schema.get("properties", {}).items()}
    form_properties["file"] = {"type": "string", "format": "binary", "description": "The media."}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": json_schema},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": form_properties}
                },
            },
        }
    }
