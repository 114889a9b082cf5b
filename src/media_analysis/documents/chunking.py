"""Split a document for a model's context window along its own structure.

Chunks break between paragraphs where they can, else between lines, sentences or
words, and only as a last resort inside a word. Each chunk repeats the tail of the
previous one (a small overlap, cut at a word boundary) so a passage split across two
chunks is still read whole in one of them, and knows the sections it covers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from media_analysis.documents.model import Section

PARAGRAPH_SEPARATOR = "\n\n"
MIN_CHUNK_CHARS = 50
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_FINER_BREAKS = (
    (re.compile(r"\n"), "\n"),
    (re.compile(r"(?<=[.!?])\s+"), " "),
    (re.compile(r"\s+"), " "),
)


@dataclass(frozen=True)
class Chunk:
    index: int
    text: str
    first_section: int
    last_section: int


@dataclass(frozen=True)
class _Piece:
    section: int
    text: str


def chunk_text(
    sections: Sequence[Section], max_chars: int, *, overlap_chars: int | None = None
) -> list[Chunk]:
    if max_chars < MIN_CHUNK_CHARS:
        raise ValueError(f"max_chars must be at least {MIN_CHUNK_CHARS}")
    overlap = min(200, max_chars // 10) if overlap_chars is None else overlap_chars
    if not 0 <= overlap < max_chars // 2:
        raise ValueError("overlap_chars must be between 0 and half of max_chars")
    groups = _pack(_pieces(sections, max_chars), max_chars, overlap)
    return [_chunk(number, group) for number, group in enumerate(groups, start=1)]


def _pieces(sections: Sequence[Section], limit: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    for section in sections:
        paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(section.text) if p.strip()]
        if section.title:
            # The heading travels with its first paragraph so it never ends a chunk alone.
            first = f"{section.title}\n{paragraphs[0]}" if paragraphs else section.title
            paragraphs = [first, *paragraphs[1:]]
        for paragraph in paragraphs:
            pieces += [_Piece(section.index, text) for text in split_to_fit(paragraph, limit)]
    return pieces


def split_to_fit(text: str, limit: int) -> list[str]:
    """``text`` in parts of at most ``limit`` characters, split at the coarsest break."""
    if len(text) <= limit:
        return [text]
    for pattern, separator in _FINER_BREAKS:
        parts = [part for part in pattern.split(text) if part.strip()]
        if len(parts) > 1:
            return _join_up_to(parts, limit, separator)
    return [text[start : start + limit] for start in range(0, len(text), limit)]


def _join_up_to(parts: list[str], limit: int, separator: str) -> list[str]:
    joined: list[str] = []
    current = ""
    for part in parts:
        for piece in split_to_fit(part, limit):
            candidate = f"{current}{separator}{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                joined.append(current)
                current = piece
    if current:
        joined.append(current)
    return joined


def _pack(pieces: list[_Piece], limit: int, overlap: int) -> list[list[_Piece]]:
    groups: list[list[_Piece]] = []
    current: list[_Piece] = []
    for piece in pieces:
        if current and _length(current) + len(PARAGRAPH_SEPARATOR) + len(piece.text) > limit:
            groups.append(current)
            room = limit - len(piece.text) - len(PARAGRAPH_SEPARATOR)
            current = _overlap_from(current[-1], min(overlap, room))
        current.append(piece)
    if current:
        groups.append(current)
    return groups


def _overlap_from(piece: _Piece, size: int) -> list[_Piece]:
    if size <= 0:
        return []
    tail = piece.text[-size:]
    if len(piece.text) > size and not piece.text[-size - 1].isspace():
        # Started mid-word: drop the partial word.
        words = tail.split(maxsplit=1)
        tail = words[1] if len(words) == 2 else ""
    tail = tail.strip()
    return [_Piece(piece.section, tail)] if tail else []


def _length(pieces: list[_Piece]) -> int:
    return sum(len(p.text) for p in pieces) + len(PARAGRAPH_SEPARATOR) * (len(pieces) - 1)


def _chunk(number: int, group: list[_Piece]) -> Chunk:
    return Chunk(
        index=number,
        text=PARAGRAPH_SEPARATOR.join(piece.text for piece in group),
        first_section=min(piece.section for piece in group),
        last_section=max(piece.section for piece in group),
    )
