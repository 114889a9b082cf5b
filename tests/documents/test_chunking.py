from __future__ import annotations

import itertools
import re

import pytest

from media_analysis.documents.chunking import chunk_text, split_to_fit
from media_analysis.documents.model import Section


def report_sections() -> list[Section]:
    sentences = [f"Sentence {n} of page {{page}} talks about topic {n % 7}." for n in range(40)]
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, 40, 5)]
    return [
        Section(
            page, f"Chapter {page}" if page % 2 else None, "\n\n".join(paragraphs).format(page=page)
        )
        for page in range(1, 6)
    ]


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


@pytest.mark.parametrize("max_chars", [120, 500, 2000])
def test_chunks_respect_the_limit_and_cover_every_paragraph(max_chars: int) -> None:
    sections = report_sections()

    chunks = chunk_text(sections, max_chars)

    assert all(0 < len(chunk.text) <= max_chars for chunk in chunks)
    assert [chunk.index for chunk in chunks] == list(range(1, len(chunks) + 1))
    joined = " ".join(chunk.text for chunk in chunks)
    for section in sections:
        for sentence in re.split(r"(?<=\.) ", section.text.replace("\n\n", " ")):
            assert sentence in joined


def test_chunks_know_their_section_range_and_advance() -> None:
    chunks = chunk_text(report_sections(), 900)

    assert chunks[0].first_section == 1
    assert chunks[-1].last_section == 5
    for earlier, later in itertools.pairwise(chunks):
        assert earlier.first_section <= later.first_section
        assert later.first_section <= later.last_section
        assert later.first_section in (earlier.last_section, earlier.last_section + 1)


def test_headings_stay_with_their_first_paragraph() -> None:
    chunks = chunk_text(report_sections(), 900)

    for chunk in chunks:
        assert not chunk.text.rstrip().endswith(("Chapter 1", "Chapter 3", "Chapter 5"))
    assert chunks[0].text.startswith("Chapter 1\nSentence 0 of page 1")


def test_consecutive_chunks_overlap_a_little() -> None:
    chunks = chunk_text(report_sections(), 600, overlap_chars=80)

    for earlier, later in itertools.pairwise(chunks):
        head = later.text[:80]
        overlap = head.split("\n\n")[0]
        assert earlier.text.endswith(overlap)
        assert 0 < len(overlap) <= 80


def test_no_overlap_when_asked() -> None:
    sections = report_sections()
    chunks = chunk_text(sections, 600, overlap_chars=0)

    total_words = sum(len(words(s.text)) + len(words(s.title or "")) for s in sections)
    assert sum(len(words(chunk.text)) for chunk in chunks) == total_words


def test_short_document_is_one_chunk() -> None:
    [chunk] = chunk_text([Section(1, None, "Hello."), Section(2, None, "World.")], 1000)

    assert chunk.text == "Hello.\n\nWorld."
    assert (chunk.first_section, chunk.last_section) == (1, 2)


def test_unbreakable_text_is_cut_hard() -> None:
    assert split_to_fit("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_limits_are_validated() -> None:
    with pytest.raises(ValueError):
        chunk_text([], 10)
    with pytest.raises(ValueError):
        chunk_text([], 100, overlap_chars=60)
