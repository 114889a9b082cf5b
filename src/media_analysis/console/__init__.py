"""The web console: static HTML, CSS and JavaScript served by the API at `/`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
STATIC_URL = "/console"
# The console renders text from the server: it may load and reach nothing but its own host.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
    "connect-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


@cache
def index_html() -> bytes:
    return (STATIC_DIR / "index.html").read_bytes()
