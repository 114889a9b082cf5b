"""What can be refused before a job exists: empty files, wrong kinds, literal unsafe hosts.

Checks that need DNS or the bytes of a downloaded file stay in the job; these only
look at what the request itself carries.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection

import httpx

from media_analysis.errors import EmptyFile, UnsafeURL, UnsupportedMediaType
from media_analysis.media.address_policy import is_public_address
from media_analysis.media.sniff import SniffedType

KIND_NAMES = {
    "video": "a video",
    "audio": "audio",
    "image": "an image",
    "document": "a document (PDF, Office, HTML, Markdown or text)",
}


def check_upload(size: int, sniffed: SniffedType, accepted: Collection[str]) -> None:
    """Refuse an empty upload, or one whose bytes are of no kind this endpoint takes."""
    if size == 0:
        raise EmptyFile()
    if sniffed.kind not in accepted:
        wanted = " or ".join(KIND_NAMES[kind] for kind in KIND_NAMES if kind in accepted)
        found = "of no recognised type" if sniffed.kind == "unknown" else KIND_NAMES[sniffed.kind]
        raise UnsupportedMediaType(
            f"The uploaded file is {found}; this endpoint takes {wanted}.",
            detected_type=sniffed.mime_type,
        )


def check_url_host(url: str, *, allow_private: bool) -> None:
    """Refuse a URL whose host is literally loopback, private, link-local or localhost."""
    if allow_private:
        return
    host = (httpx.URL(url).host or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        raise UnsafeURL(f"The host {host} is this machine, which is not allowed.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return
    if not is_public_address(address):
        raise UnsafeURL(
            f"The address {host} is private, loopback or link-local, which is not allowed."
        )
