"""Why a document could not be read; each is an ``InvalidDocument`` with its own code."""

from __future__ import annotations

from media_analysis.errors import InvalidDocument


class DocumentEncrypted(InvalidDocument):
    code = "document_encrypted"
    title = "Document Is Encrypted"


class DocumentEmpty(InvalidDocument):
    code = "document_empty"
    title = "Document Has No Text"


class UnsupportedDocument(InvalidDocument):
    code = "unsupported_document"
    title = "Unsupported Document Type"
