"""What can be said about a document without a language model, and saying so.

``summary`` quotes the opening sentences and describes the structure; ``extract``
returns the text section by section; ``qa`` returns the passages that share the most
(rare) words with the question. None of them claims to have understood anything.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from media_analysis.documents.model import ExtractedDocument
from media_analysis.errors import BadRequest

LEADING_TEXT_CHARS = 600
MAX_STRUCTURE_ENTRIES = 100
MAX_PASSAGES = 5
MAX_PASSAGE_CHARS = 1000
# Results are stored in one JSON column; the whole text is kept in a file instead.
MAX_RESULT_TEXT_CHARS = 200_000
NOTES = {
    "summary": "No language model was available: this quotes the document's opening and "
    "describes its structure; it is not a summary written by a model.",
    "extract": "No language model was available: this is the extracted text, unchanged.",
    "qa": "No language model was available: these are the passages sharing the most words "
    "with the question; the question itself was not answered.",
}
STOPWORDS = frozenset(
    {
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was",
        "our", "out", "has", "him", "his", "how", "now", "who", "did", "its", "she", "too",
        "that", "with", "have", "this", "will", "your", "from", "they", "been", "some", "very",
        "when", "here", "just", "more", "only", "over", "such", "than", "them", "were", "what",
        "which", "where", "there", "their", "about", "would", "could", "should", "into", "does",
        "done", "also", "then", "these", "those", "being", "each", "other"
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W_]{3,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def summarize_locally(
    document: ExtractedDocument, analysis_type: str, prompt: str | None = None
) -> dict[str, Any]:
    builders: dict[str, Callable[[ExtractedDocument, str], dict[str, Any]]] = {
        "summary": _summary,
        "extract": _extract,
        "qa": _passages,
    }
    build = builders.get(analysis_type)
    if build is None:
        raise BadRequest(f"analysis_type must be one of {', '.join(builders)}.")
    return {
        "provider": "local",
        "language_model_used": False,
        "analysis_type": analysis_type,
        "prompt": prompt,
        "note": NOTES[analysis_type],
        "document": _overview(document),
        **build(document, prompt or ""),
    }


def _overview(document: ExtractedDocument) -> dict[str, Any]:
    return {
        "kind": document.kind,
        "unit": document.unit,
        "section_count": len(document.sections),
        "word_count": document.word_count,
        "ocr_used": document.ocr_used,
        "metadata": document.metadata,
    }


def _summary(document: ExtractedDocument, _prompt: str) -> dict[str, Any]:
    structure = [
        {"index": s.index, "title": s.title, "words": len(s.text.split())}
        for s in document.sections[:MAX_STRUCTURE_ENTRIES]
    ]
    return {
        "summary": structure_facts(document),
        "leading_text": leading_text(document.text, LEADING_TEXT_CHARS),
        "structure": structure,
    }


def structure_facts(document: ExtractedDocument) -> str:
    count = len(document.sections)
    units = document.unit if count == 1 else f"{document.unit}s"
    facts = f"A {document.kind.upper()} document: {count} {units}, {document.word_count:,} words."
    titles = [s.title for s in document.sections if s.title]
    if titles and document.unit != "sheet":
        shown = "; ".join(titles[:8]) + ("; …" if len(titles) > 8 else "")
        facts += f" Headings: {shown}."
    elif titles:
        facts += f" Sheets: {', '.join(titles[:8])}."
    ocr_pages = document.metadata.get("ocr_pages")
    if ocr_pages:
        facts += f" Read by OCR: {document.unit} {', '.join(map(str, ocr_pages[:20]))}."
    elif document.ocr_used:
        facts += " The text was read by OCR."
    return facts


def leading_text(text: str, limit: int) -> str:
    """The opening sentences, as many as fit in ``limit`` characters (at least one)."""
    collapsed = " ".join(text.split())
    if len(collapsed) <= limit:
        return collapsed
    taken = ""
    for sentence in _SENTENCE_END.split(collapsed):
        if taken and len(taken) + 1 + len(sentence) > limit:
            break
        taken = f"{taken} {sentence}".strip()
    if len(taken) > limit:
        taken = taken[:limit].rsplit(" ", 1)[0] + " …"
    return taken


def _extract(document: ExtractedDocument, _prompt: str) -> dict[str, Any]:
    """The text section by section, up to ``MAX_RESULT_TEXT_CHARS`` in all."""
    sections, room = [], MAX_RESULT_TEXT_CHARS
    for section in document.sections:
        if room <= 0:
            break
        sections.append(
            {"index": section.index, "title": section.title, "text": section.text[:room]}
        )
        room -= len(section.text)
    if room >= 0:
        return {"sections": sections}
    note = (
        f"The text is cut at {MAX_RESULT_TEXT_CHARS:,} characters; "
        "the whole text is in the job's document_text asset."
    )
    return {"sections": sections, "truncated": {"note": note, "characters": len(document.text)}}


def _passages(document: ExtractedDocument, prompt: str) -> dict[str, Any]:
    candidates = [
        (section.index, section.title, paragraph.strip())
        for section in document.sections
        for paragraph in re.split(r"\n\s*\n", section.text)
        if paragraph.strip()
    ]
    scores = keyword_scores(prompt, [text for _, _, text in candidates])
    ranked = sorted(range(len(candidates)), key=lambda i: scores[i], reverse=True)
    passages = [
        {
            "index": candidates[i][0],
            "title": candidates[i][1],
            "text": candidates[i][2][:MAX_PASSAGE_CHARS],
            "score": round(scores[i], 3),
        }
        for i in ranked[:MAX_PASSAGES]
        if scores[i] > 0
    ]
    return {"passages": passages, "question_terms": sorted(terms(prompt))}


def keyword_scores(question: str, passages: list[str]) -> list[float]:
    """Sum over the question's words found in a passage, rarer words weighing more."""
    wanted = terms(question)
    passage_terms = [terms(passage) for passage in passages]
    frequency = Counter(term for found in passage_terms for term in found & wanted)
    weight = {term: math.log(1 + len(passages) / count) for term, count in frequency.items()}
    return [sum(weight[term] for term in found & wanted) for found in passage_terms]


def terms(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in STOPWORDS}
