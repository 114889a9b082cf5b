"""Job type names and the spec tying a type to its parameters and result models.

This module imports nothing of the service, so the database layer, the engine, the
pipelines and the API can all name job types without importing one another.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

ParametersT = TypeVar("ParametersT")
ResultT = TypeVar("ResultT")


class JobType(enum.StrEnum):
    """Every job type this service runs; plug-in modules may register more by name."""

    EXTRACT_FRAMES = "video.extract_frames"
    CONTACT_SHEET = "video.contact_sheet"
    VIDEO = "video"
    TRANSCRIBE = "audio.transcribe"
    AUDIO = "audio"
    ANALYZE = "analyze"
    DOCUMENT = "document"
    REANALYZE = "reanalyze"
    BENCHMARK = "benchmark"
    LEGACY = "legacy"
    """Imported from the old service under a type it did not name; never run."""


@dataclass(frozen=True)
class JobSpec(Generic[ParametersT, ResultT]):
    """One job type: its name, what it is given and what it gives back.

    ``parameters`` and ``result`` are validated when read from the ``jobs`` row and
    dumped to JSON when written to it.
    """

    job_type: str
    parameters: type[ParametersT]
    result: type[ResultT]
    _parameters: TypeAdapter[ParametersT] = field(init=False, repr=False, compare=False)
    _result: TypeAdapter[ResultT] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_parameters", TypeAdapter(self.parameters))
        object.__setattr__(self, "_result", TypeAdapter(self.result))

    @classmethod
    def untyped(cls, job_type: str) -> JobSpec[dict[str, Any], dict[str, Any]]:
        """A plug-in job type whose parameters and result are plain JSON objects."""
        return JobSpec(job_type, dict[str, Any], dict[str, Any])

    def read_parameters(self, stored: object) -> ParametersT:
        return self._parameters.validate_python(stored)

    def read_result(self, stored: object) -> ResultT:
        return self._result.validate_python(stored)

    def parameters_json(self, parameters: ParametersT) -> dict[str, Any]:
        dumped: dict[str, Any] = self._parameters.dump_python(parameters, mode="json")
        return dumped

    def result_json(self, result: ResultT) -> dict[str, Any]:
        dumped: dict[str, Any] = self._result.dump_python(result, mode="json")
        return dumped
