"""create_app(): routers, error handlers and lifespan; nothing else."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from media_analysis import __version__
from media_analysis.api import (
    analyze,
    archive,
    assets,
    audio,
    benchmark,
    documents,
    jobs,
    service,
    transcripts,
    video,
)
from media_analysis.api.middleware import LeanCORSMiddleware, RequestContextMiddleware
from media_analysis.api.problems import install_problem_handlers
from media_analysis.config import Settings
from media_analysis.metrics.telemetry import Telemetry
from media_analysis.runtime import Runtime

DESCRIPTION = """
Send a video, an audio file or a document (by URL or upload) and get back what is in
it: frames sampled at 3 fps, 2×3 contact sheets, a transcript, extracted text and an
answer to your prompt. Every submission is a durable job you can poll or follow with
Server-Sent Events. Errors are RFC 9457 `application/problem+json`.
"""


def create_app(settings: Settings, database_url: str, *, workers: int = 0) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime.open(settings, database_url)
        app.state.runtime = runtime
        telemetry.attach_database(runtime.engine, runtime.session_factory)
        runtime.start_background()
        if workers > 0:
            runtime.start_worker(workers)
        # Everything imported at start-up lives for the whole process: keep it out of
        # the garbage collector's full passes, which otherwise stall requests.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await runtime.close()

    telemetry = Telemetry()
    app = FastAPI(
        title="Media Analysis API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.telemetry = telemetry
    install_problem_handlers(app)
    app.router.routes.insert(0, service.fast_liveness_route)
    app.include_router(service.liveness_router)
    app.include_router(service.router)
    app.include_router(jobs.router)
    app.include_router(video.router)
    app.include_router(documents.router)
    app.include_router(analyze.router)
    app.include_router(archive.router)
    app.include_router(benchmark.router)
    app.include_router(audio.router)
    app.include_router(transcripts.router)
    app.include_router(assets.router)
    app.add_middleware(
        LeanCORSMiddleware,
        allow_origins=settings.cors_origin_list,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["Location", "X-Request-ID", "ETag", "Content-Range"],
    )
    app.add_middleware(RequestContextMiddleware, metrics=telemetry.http)
    return app
