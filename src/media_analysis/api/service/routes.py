"""Service endpoints: liveness, readiness, status and configuration."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST

from media_analysis.api.clients import authorize_scrape
from media_analysis.api.deps import (
    Client,
    DbSession,
    EngineDep,
    SettingsDep,
    StorageDep,
    presented_api_key,
)
from media_analysis.api.service.health import readiness
from media_analysis.api.service.schemas import Liveness, PublicConfig, Readiness, ServiceStatus
from media_analysis.api.service.status import ThisProcess, service_status
from media_analysis.config import Settings
from media_analysis.metrics.telemetry import Telemetry

liveness_router = APIRouter(tags=["service"])
router = APIRouter(prefix="/api/media", tags=["service"])
LIVE_BODY = b'{"status":"ok"}'


class PlainRoute(APIRoute):
    """An operation documented like any other whose endpoint answers the request itself:
    no dependency resolution, no response validation. Probes hit /health many times a
    second."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return cast(Callable[[Request], Coroutine[Any, Any, Response]], self.endpoint)


async def health(_request: Request) -> Response:
    """200 while the process lives; never touches the database."""
    return Response(LIVE_BODY, media_type="application/json")


# Mounted ahead of every router, so a probe is also matched first.
liveness_route = PlainRoute(
    "/health",
    health,
    methods=["GET"],
    response_model=Liveness,
    summary="Liveness probe",
    operation_id="get_liveness",
    tags=["service"],
)


async def this_process(request: Request) -> ThisProcess:
    process: ThisProcess = request.app.state.process
    return process


ProcessDep = Annotated[ThisProcess, Depends(this_process)]


@liveness_router.get(
    "/metrics",
    summary="Prometheus metrics",
    operation_id="get_metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}},
)
async def metrics(request: Request) -> Response:
    """Needs `MEDIA_ANALYSIS_METRICS_TOKEN` as a Bearer token when one is set, else an API key
    (when keys are configured). Database-derived series are read at most every 5 s."""
    settings: Settings = request.app.state.settings
    authorize_scrape(presented_api_key(request), settings)
    telemetry: Telemetry = request.app.state.telemetry
    return Response(await telemetry.exposition(), media_type=CONTENT_TYPE_LATEST)


@router.get(
    "/health",
    response_model=Readiness,
    summary="Readiness probe",
    operation_id="get_readiness",
    responses={503: {"model": Readiness, "description": "The database is unreachable."}},
)
async def ready(
    engine: EngineDep, settings: SettingsDep, storage: StorageDep, _client: Client
) -> JSONResponse:
    report = await readiness(engine, settings, storage)
    status = 503 if report["checks"]["database"]["status"] != "ok" else 200
    return JSONResponse(Readiness(**report).model_dump(), status_code=status)


@router.get(
    "/status",
    response_model=ServiceStatus,
    summary="Jobs, uptime and resources",
    operation_id="get_status",
)
async def status(
    session: DbSession, settings: SettingsDep, process: ProcessDep, _client: Client
) -> ServiceStatus:
    return ServiceStatus(**await service_status(session, process, settings.output_dir))


@router.get(
    "/config",
    response_model=PublicConfig,
    summary="Effective non-secret settings",
    operation_id="get_config",
)
async def config(request: Request, _client: Client) -> Response:
    body: bytes = request.app.state.public_config
    return Response(body, media_type="application/json")
