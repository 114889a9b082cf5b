"""Swagger UI and ReDoc served with their assets from this process: they work offline."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
OFFLINE_ASSETS = Path(fastapi_offline.__file__).parent / "static"
# ReDoc's sidebar credit shows a logo from Redocly's CDN: the page would reach the
# internet for it, so the bundle is served with that one image inlined as a blank pixel.
REDOC_REMOTE_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
BLANK_PIXEL = b"data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="

router = APIRouter(include_in_schema=False)


def _local(request: Request, path: str) -> str:
    """The path as the browser must ask for it, behind a proxy that mounts the app."""
    root_path: str = request.scope.get("root_path", "")
    return f"{root_path}{path}"


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=_local(request, request.app.openapi_url),
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=_local(request, f"{ASSETS_URL}/swagger-ui-bundle.js"),
        swagger_css_url=_local(request, f"{ASSETS_URL}/swagger-ui.css"),
        swagger_favicon_url=_local(request, f"{ASSETS_URL}/favicon.png"),
        oauth2_redirect_url=_local(request, OAUTH2_REDIRECT_URL),
        # The online validator badge would send the spec to swagger.io.
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get(OAUTH2_REDIRECT_URL)
async def swagger_ui_oauth2_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    return get_redoc_html(
        openapi_url=_local(request, request.app.openapi_url),
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=_local(request, f"{ASSETS_URL}/redoc.js"),
        redoc_favicon_url=_local(request, f"{ASSETS_URL}/favicon.png"),
        with_google_fonts=False,
    )


@router.get(f"{ASSETS_URL}/redoc.js")
async def redoc_bundle() -> Response:
    return Response(
        offline_redoc_bundle(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@cache
def offline_redoc_bundle() -> bytes:
    bundle = (OFFLINE_ASSETS / "redoc.standalone.js").read_bytes()
    return bundle.replace(REDOC_REMOTE_LOGO, BLANK_PIXEL)


def install_offline_docs(app: FastAPI) -> None:
    """Call on an app made with ``docs_url=None, redoc_url=None``."""
    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=OFFLINE_ASSETS), name="docs-assets")
