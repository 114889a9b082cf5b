"""The base of every request body model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, field_validator


class RequestModel(BaseModel):
    """A request body in which no string may hold a NUL character.

    PostgreSQL text cannot store U+0000, so it is refused with the field's name
    before it can reach a query.
    """

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        if contains_nul(value):
            raise ValueError("must not contain the NUL character (\\u0000)")
        return value


def contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(contains_nul(item) for item in value)
    return False
