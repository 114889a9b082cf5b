"""create_app(): routers, error handlers and lifespan; nothing else."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from media_analysis import __version__
from media_analysis.api import (
    analyze,
    archive,
    assets,
    audio,
    benchmark,
    documents,
    jobs,
    root,
    transcripts,
    video,
    webhooks,
)
from media_analysis.api.docs import install_offline_docs
from media_analysis.api.middleware import LeanCORSMiddleware, RequestContextMiddleware
from media_analysis.api.openapi_bodies import accepts_uploads
from media_analysis.api.openapi_document import DocumentedAPI, route_operation_id
from media_analysis.api.problems import install_problem_handlers
from media_analysis.api.request_limits import BodyLimitMiddleware, NulInUrlMiddleware
from media_analysis.api.service import routes as service
from media_analysis.config import Settings
from media_analysis.metrics.telemetry import Telemetry
from media_analysis.runtime import Runtime

DESCRIPTION = """
Send a video, an audio file or a document (by URL or upload) and get back what is in
it: frames sampled at 3 fps, 2×3 contact sheets, a transcript, extracted text and an
answer to your prompt. Every submission is a durable job you can poll or follow with
Server-Sent Events. Errors are RFC 9457 `application/problem+json`.
"""
ROUTERS = (
    service.liveness_router,
    service.router,
    jobs.router,
    video.router,
    documents.router,
    analyze.router,
    archive.router,
    benchmark.router,
    audio.router,
    transcripts.router,
    assets.router,
    webhooks.router,
)


def create_app(settings: Settings, database_url: str, *, workers: int = 0) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime.open(settings, database_url)
        app.state.runtime = runtime
        telemetry.attach_database(runtime.engine, runtime.session_factory)
        runtime.storage.attach_metrics(telemetry.storage)
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
    app = DocumentedAPI(
        title="Media Analysis API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=route_operation_id,
        docs_url=None,
        redoc_url=None,
    )
    app.state.telemetry = telemetry
    install_problem_handlers(app)
    app.router.routes.insert(0, service.fast_liveness_route)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_json_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        upload_paths=_upload_paths(ROUTERS),
    )
    app.add_middleware(NulInUrlMiddleware)
    install_offline_docs(app)
    root.install_console(app)
    app.add_middleware(
        LeanCORSMiddleware,
        allow_origins=settings.cors_origin_list,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["Location", "X-Request-ID", "ETag", "Content-Range"],
    )
    app.add_middleware(RequestContextMiddleware, metrics=telemetry.http)
    return app


def _upload_paths(routers: tuple[APIRouter, ...]) -> list[str]:
    routes = [route for router in routers for route in router.routes]
    return [r.path for r in routes if isinstance(r, APIRoute) and accepts_uploads(r)]
