"""How big a document may be: unpacked before parsing, and as extracted text."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from media_analysis.config import Settings
from media_analysis.documents.model import ExtractedDocument
from media_analysis.errors import DocumentTooLarge, InvalidDocument

READ_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class DocumentLimits:
    max_uncompressed_bytes: int
    max_text_bytes: int
    max_image_pixels: int

    @classmethod
    def from_settings(cls, settings: Settings) -> DocumentLimits:
        return cls(
            settings.max_document_uncompressed_bytes,
            settings.max_document_text_bytes,
            settings.max_image_pixels,
        )


DEFAULT_LIMITS = DocumentLimits.from_settings(Settings.model_construct())


def ensure_package_fits(path: Path, limit: int) -> None:
    """An Office file's zip members, by their declared sizes and then by inflating them.

    The declared sizes are checked first because they are free; inflating (without
    keeping anything) catches an archive whose headers lie.
    """
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            _ensure_fits(sum(member.file_size for member in members), limit)
            inflated = 0
            for member in members:
                with package.open(member) as stream:
                    while chunk := stream.read(READ_CHUNK):
                        inflated += len(chunk)
                        _ensure_fits(inflated, limit)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError):
        raise InvalidDocument("The file is not a readable Office document.") from None


def ensure_file_fits(path: Path, limit: int) -> None:
    _ensure_fits(path.stat().st_size, limit)


def _ensure_fits(size: int, limit: int) -> None:
    if size > limit:
        raise DocumentTooLarge(
            f"The document unpacks to more than {limit:,} bytes, the most that is read.",
            max_uncompressed_bytes=limit,
        )


def ensure_text_fits(document: ExtractedDocument, limit: int) -> None:
    TextBudget(limit).spend(*(section.text for section in document.sections))


class TextBudget:
    """Counts extracted text as it is produced, so a parser can stop at the limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, *texts: str) -> None:
        self.used += sum(len(text.encode("utf-8", "surrogatepass")) for text in texts)
        if self.used > self.limit:
            raise DocumentTooLarge(
                f"The document holds more than {self.limit:,} bytes of text, "
                "the most that is extracted.",
                max_text_bytes=self.limit,
            )
