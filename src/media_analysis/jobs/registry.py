"""Job types and the handlers that run them. The engine knows nothing about media."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.config import Settings
from media_analysis.db.models import Job
from media_analysis.jobs.events import ProgressReporter
from media_analysis.jobs.job_types import JobSpec, ResultT
from media_analysis.storage import Storage, stored_path

if TYPE_CHECKING:
    from media_analysis.providers.factory import Providers

FailureCleanup = Callable[[AsyncSession], Awaitable[None]]


@dataclass
class JobContext:
    """What a handler receives: the job, a progress reporter, the process's providers,
    and where to put outcomes.

    Rows passed to ``stage`` are written in the same transaction that completes the
    job, so a job never ends up completed without them (or with them but failed).
    Cancellation arrives as ``asyncio.CancelledError`` inside the handler.
    """

    job: Job
    settings: Settings
    progress: ProgressReporter
    session_factory: async_sessionmaker[AsyncSession]
    providers: Providers
    storage: Storage
    """Where the job's files are kept; ``storage.local_path`` is where the job works on them."""
    staged: list[object] = field(default_factory=list)
    cleanup_locations: list[str] = field(default_factory=list)
    failure_cleanups: list[FailureCleanup] = field(default_factory=list)
    job_updates: dict[str, Any] = field(default_factory=dict)
    scratch: dict[str, Any] = field(default_factory=dict)
    """Values one step of a pipeline computed for the next (e.g. the local original)."""

    def stage(self, *rows: object) -> None:
        self.staged.extend(rows)

    def remove_on_failure(self, *paths: Path) -> None:
        """Files or folders in storage that go if the job fails or is cancelled."""
        self.cleanup_locations.extend(stored_path(self.settings, path) for path in paths)

    def update_job(self, **values: Any) -> None:
        """Column values (e.g. a detected media_type) written when the job completes."""
        self.job_updates.update(values)

    def on_failure(self, cleanup: FailureCleanup) -> None:
        """Run ``cleanup`` in the transaction that fails or cancels the job."""
        self.failure_cleanups.append(cleanup)


Handler = Callable[[JobContext], Awaitable[dict[str, Any]]]
"""A handler as the engine runs it: its result is the JSON for the ``jobs.result`` column."""


@dataclass(frozen=True)
class HandlerSpec:
    spec: JobSpec[Any, Any]
    handler: Handler
    max_concurrency: int | None = None

    @property
    def job_type(self) -> str:
        return self.spec.job_type


def _writing_json(
    spec: JobSpec[Any, ResultT], run: Callable[[JobContext], Awaitable[ResultT]]
) -> Handler:
    async def handler(context: JobContext) -> dict[str, Any]:
        return spec.result_json(await run(context))

    return handler


class HandlerRegistry:
    def __init__(self) -> None:
        self._specs: dict[str, HandlerSpec] = {}

    def register(
        self,
        spec: JobSpec[Any, ResultT] | str,
        run: Callable[[JobContext], Awaitable[ResultT]],
        *,
        max_concurrency: int | None = None,
    ) -> None:
        """``spec`` names the job type; a bare name is a plug-in type with JSON results."""
        typed: JobSpec[Any, Any] = JobSpec.untyped(spec) if isinstance(spec, str) else spec
        self._specs[typed.job_type] = HandlerSpec(typed, _writing_json(typed, run), max_concurrency)

    def get(self, job_type: str) -> HandlerSpec | None:
        return self._specs.get(job_type)

    @property
    def job_types(self) -> list[str]:
        return sorted(self._specs)

    def load_modules(self, modules: Iterable[str]) -> None:
        """Import modules exposing ``register(registry)`` (plug-in job types)."""
        for name in modules:
            module: Any = importlib.import_module(name)
            module.register(self)
