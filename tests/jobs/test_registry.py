"""The registry: job types keyed by spec, results written as their JSON."""

from __future__ import annotations

import uuid
from typing import Any, cast

import pytest
from pydantic import BaseModel, ValidationError

from media_analysis.config import Settings
from media_analysis.db.models import Job
from media_analysis.jobs.job_types import JobSpec, JobType
from media_analysis.jobs.registry import HandlerRegistry, JobContext
from media_analysis.pipelines import build_registry


class Greeting(BaseModel):
    name: str
    times: int = 1


class Greeted(BaseModel):
    words: list[str]
    job: uuid.UUID


GREET = JobSpec("test.greet", Greeting, Greeted)


def _context(parameters: dict[str, Any]) -> JobContext:
    job = Job(id=uuid.uuid4(), job_type=GREET.job_type, parameters=parameters)
    # Nothing but the job is used by these handlers.
    unused = cast(Any, None)
    return JobContext(job, unused, unused, unused, unused, unused)


async def greet(context: JobContext) -> Greeted:
    asked = GREET.read_parameters(context.job.parameters)
    return Greeted(words=[f"hello {asked.name}"] * asked.times, job=context.job.id)


async def test_a_typed_handler_result_is_written_as_json() -> None:
    registry = HandlerRegistry()
    registry.register(GREET, greet, max_concurrency=2)
    registered = registry.get("test.greet")
    assert registered is not None and registered.max_concurrency == 2
    context = _context({"name": "Ada", "times": 2})
    written = await registered.handler(context)
    assert written == {"words": ["hello Ada", "hello Ada"], "job": str(context.job.id)}
    assert GREET.read_result(written) == Greeted(words=["hello Ada"] * 2, job=context.job.id)


async def test_parameters_that_do_not_fit_are_refused() -> None:
    with pytest.raises(ValidationError):
        await greet(_context({"times": "often"}))


async def test_a_plug_in_registered_by_name_writes_its_dict() -> None:
    async def echo(context: JobContext) -> dict[str, Any]:
        return {"echo": context.job.parameters["value"]}

    registry = HandlerRegistry()
    registry.register("test.echo", echo)
    registered = registry.get("test.echo")
    assert registered is not None and registered.job_type == "test.echo"
    assert await registered.handler(_context({"value": [1, 2]})) == {"echo": [1, 2]}


def test_the_service_registers_every_job_type_it_runs(settings: Settings) -> None:
    registry = build_registry(settings)
    assert set(registry.job_types) == {t.value for t in JobType} - {JobType.LEGACY}
