"""The OpenAPI document: every error an operation can return, as problem+json.

Routes declare the errors of their own (404 for an unknown job, 409, 415, 416). The
errors every route shares come from the edge and are added here: 400 (a NUL character,
a bad cursor or header), 401 (the API key), 413 (the body cap) and 422 (validation),
which replaces FastAPI's default application/json validation error.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from media_analysis.api.problems import PROBLEM_JSON, FieldProblem, Problem

PROBLEM_REF = "#/components/schemas/Problem"
AUTHENTICATED_PREFIX = "/api/media/"
ERROR_DESCRIPTIONS = {
    400: "The request is malformed: a NUL character, a bad cursor, header or form.",
    401: "No valid API key was sent.",
    403: "The API key may not do this: it needs an administrator key.",
    404: "No such resource.",
    409: "The request conflicts with the resource's current state.",
    413: "The request body is larger than allowed.",
    415: "The body's Content-Type is not one this operation takes.",
    416: "The requested range is outside the file.",
    422: "A parameter or field is invalid; `errors` lists each one.",
}
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error responses for a route decorator, each described in general terms."""
    return {status: problem_response_doc(ERROR_DESCRIPTIONS[status]) for status in statuses}


def problem_response_doc(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }


def route_operation_id(route: APIRoute) -> str:
    """The id of a route that does not name one: its endpoint's name, stable and readable."""
    return route.name


class DocumentedAPI(FastAPI):
    """FastAPI whose OpenAPI document describes every error response as problem+json."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = with_problem_responses(super().openapi())
        return self.openapi_schema


def with_problem_responses(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas.update(_problem_schemas())
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            _add_edge_errors(path, operation)
    return document


def _add_edge_errors(path: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
    shared = {
        400: takes_input,
        401: path.startswith(AUTHENTICATED_PREFIX),
        413: "requestBody" in operation,
        422: takes_input or "422" in responses,
    }
    for status, applies in shared.items():
        if applies and (status == 422 or str(status) not in responses):
            responses[str(status)] = problem_response_doc(ERROR_DESCRIPTIONS[status])
    for code, response in responses.items():
        # Every 4xx is a problem, also where a route only described it in words.
        if code.startswith("4") and "content" not in response:
            description = response.get("description") or "The request was refused."
            responses[code] = problem_response_doc(description)
    operation["responses"] = dict(sorted(responses.items()))


def _problem_schemas() -> dict[str, Any]:
    template = "#/components/schemas/{model}"
    problem = Problem.model_json_schema(ref_template=template)
    problem.pop("$defs", None)
    return {
        "Problem": problem,
        "FieldProblem": FieldProblem.model_json_schema(ref_template=template),
    }
