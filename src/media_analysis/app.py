"""create_app(): routers, error handlers and lifespan; nothing else."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.datastructures import State

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
from media_analysis.api.clients import SessionTracker
from media_analysis.api.docs import install_offline_docs
from media_analysis.api.middleware import LeanCORSMiddleware, RequestContextMiddleware
from media_analysis.api.openapi_bodies import accepts_uploads
from media_analysis.api.openapi_document import DocumentedAPI, route_operation_id
from media_analysis.api.problems import install_problem_handlers
from media_analysis.api.request_limits import BodyLimitMiddleware, NulInUrlMiddleware
from media_analysis.api.service import routes as service
from media_analysis.api.service.settings_view import public_config_json
from media_analysis.api.service.status import ThisProcess
from media_analysis.assembly import Database, connected, processing_jobs, running
from media_analysis.config import Settings
from media_analysis.jobs.broker import EventBroker
from media_analysis.metrics.telemetry import Telemetry
from media_analysis.storage import open_storage

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
SESSION_FLUSH_SECONDS = 2.0


def create_app(settings: Settings, database_url: str, *, workers: int = 0) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            app.state.process = ThisProcess(runs_jobs=workers > 0)
            database = await stack.enter_async_context(connected(settings, database_url))
            telemetry.attach_database(database.engine, database.session_factory)
            storage = open_storage(settings)
            storage.attach_metrics(telemetry.storage)
            app.state.storage = storage
            await stack.enter_async_context(serving_requests(app.state, settings, database))
            if workers > 0:
                await stack.enter_async_context(
                    processing_jobs(settings, database, storage, workers)
                )
            # Everything imported at start-up lives for the whole process: keep it out of
            # the garbage collector's full passes, which otherwise stall requests.
            gc.collect()
            gc.freeze()
            yield

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
    app.state.settings = settings
    app.state.public_config = public_config_json(settings)
    app.state.telemetry = telemetry
    install_problem_handlers(app)
    app.router.routes.insert(0, service.liveness_route)
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


@asynccontextmanager
async def serving_requests(
    state: State, settings: Settings, database: Database
) -> AsyncIterator[None]:
    """Put on app state what the routes' dependencies hand out, and run the loops behind
    them: event fan-out for SSE and ``?wait=``, and the client sessions' write-back."""
    state.database = database
    state.broker = EventBroker(database.hub, database.session_factory, settings.sse_client_buffer)
    state.sessions = sessions = SessionTracker()
    try:
        async with running(
            state.broker.run(), sessions.run(database.session_factory, SESSION_FLUSH_SECONDS)
        ):
            yield
    finally:
        await sessions.flush(database.session_factory)


def _upload_paths(routers: tuple[APIRouter, ...]) -> list[str]:
    routes = [route for router in routers for route in router.routes]
    return [r.path for r in routes if isinstance(r, APIRoute) and accepts_uploads(r)]
