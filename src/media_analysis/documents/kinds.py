"""Which extractor a file needs: from its MIME type, else its name, else its first bytes."""

from __future__ import annotations

from pathlib import Path

from media_analysis.documents.errors import DocumentEncrypted, UnsupportedDocument
from media_analysis.errors import InvalidDocument

KIND_BY_MIME_TYPE = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
}
KIND_BY_SUFFIX = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".pptx": "pptx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".webp": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
    ".gif": "image",
}
OOXML_KINDS = {"docx", "pptx", "xlsx"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE_STREAM = "EncryptedPackage".encode("utf-16-le")


def document_kind(path: Path, mime_type: str) -> str:
    essence = mime_type.split(";", 1)[0].strip().lower()
    kind = KIND_BY_MIME_TYPE.get(essence)
    if kind is None and essence.startswith("image/"):
        kind = "image"
    kind = kind or KIND_BY_SUFFIX.get(path.suffix.lower()) or _sniffed_kind(path)
    if kind is None:
        raise UnsupportedDocument(f"Documents of type {essence or 'unknown'} are not supported.")
    return kind


def _sniffed_kind(path: Path) -> str | None:
    with path.open("rb") as file:
        head = file.read(8)
    return "pdf" if head.startswith(b"%PDF-") else None


def reject_ole_container(path: Path, kind: str) -> None:
    """An Office file in the old binary container is either encrypted or a .doc/.xls/.ppt."""
    with path.open("rb") as file:
        if file.read(len(OLE_MAGIC)) != OLE_MAGIC:
            return
        # Encrypted OOXML keeps the real package in a stream of this name.
        if ENCRYPTED_PACKAGE_STREAM in file.read():
            raise DocumentEncrypted("The document is password-protected.")
    raise InvalidDocument(
        f"This is a legacy binary Office file, not {kind}; save it as .{kind} and try again."
    )
