"""The root: the web console for browsers, an index of the API for API clients."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from media_analysis import __version__
from media_analysis.console import CONTENT_SECURITY_POLICY, STATIC_DIR, STATIC_URL, index_html

router = APIRouter(tags=["service"])

LINKS = {
    "console": "/",
    "docs": "/docs",
    "redoc": "/redoc",
    "openapi": "/openapi.json",
    "health": "/health",
    "readiness": "/api/media/health",
    "jobs": "/api/media/jobs",
    "archive": "/api/media/archive",
    "analyze": "/api/media/analyze",
    "video": "/api/media/video",
    "audio": "/api/media/audio",
    "documents": "/api/media/documents",
    "config": "/api/media/config",
}


class ServiceIndex(BaseModel):
    service: str
    version: str
    description: str
    links: dict[str, str]


@router.get(
    "/",
    response_model=ServiceIndex,
    summary="The web console (browsers) or an index of the API (JSON clients)",
    responses={200: {"content": {"text/html": {}}}},
)
async def root(request: Request) -> Response:
    """HTML when `Accept` prefers `text/html`, JSON otherwise. Needs no API key."""
    headers = {"Vary": "Accept"}
    if prefers_html(request.headers.get("accept", "")):
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return Response(index_html(), media_type="text/html", headers=headers)
    index = ServiceIndex(
        service=request.app.title,
        version=__version__,
        description="Frames, contact sheets, transcripts, text and answers from media.",
        links=LINKS,
    )
    return Response(index.model_dump_json(), media_type="application/json", headers=headers)


def prefers_html(accept: str) -> bool:
    """True when text/html is acceptable and ranked above application/json."""
    weights = _media_range_weights(accept)
    html = weights.get("text/html", 0.0)
    return html > 0 and html > weights.get("application/json", 0.0)


def _media_range_weights(accept: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for item in accept.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if media_range:
            weights[media_range.lower()] = weight
    return weights


def install_console(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="console")
