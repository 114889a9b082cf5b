"""Hostile files built on the spot: small on disk, huge or circular once read."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import docx

PARAGRAPH = (
    "<w:p><w:r><w:t>" + "All work and no play makes a dull document. " * 20 + "</w:t></w:r></w:p>"
)


def self_referencing_pdf(path: Path) -> Path:
    """A page tree whose root lists itself among its kids."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(body)
    return path


def docx_bomb(path: Path, unpacked_bytes: int) -> Path:
    """A real DOCX whose body is rewritten to hold ``unpacked_bytes`` of paragraphs."""
    template = path.with_suffix(".template.docx")
    docx.Document().save(str(template))
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for member in source.infolist():
            if member.filename != "word/document.xml":
                bomb.writestr(member, source.read(member))
                continue
            head, _, tail = source.read(member).decode().partition("<w:body>")
            with bomb.open("word/document.xml", "w") as body:
                body.write((head + "<w:body>").encode())
                for _ in range(unpacked_bytes // len(PARAGRAPH) + 1):
                    body.write(PARAGRAPH.encode())
                body.write(tail.encode())
    template.unlink()
    return path


def png_bomb(path: Path, side: int) -> Path:
    """A black ``side``×``side`` greyscale PNG, compressed row by row to a few hundred KB."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    with path.open("wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n")
        _chunk(file, b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
        data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
        _chunk(file, b"IDAT", data)
        _chunk(file, b"IEND", b"")
    return path


def _chunk(file: object, kind: bytes, data: bytes) -> None:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    file.write(struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc))  # type: ignore[attr-defined]
