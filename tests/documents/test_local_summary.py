from __future__ import annotations

import pytest

from media_analysis.documents.local_summary import summarize_locally
from media_analysis.documents.model import ExtractedDocument, Section
from media_analysis.errors import BadRequest


def handbook() -> ExtractedDocument:
    return ExtractedDocument(
        kind="pdf",
        unit="page",
        sections=[
            Section(1, None, "Welcome to the team. This handbook explains how we work. " * 3),
            Section(
                2,
                None,
                "Holidays: every employee has 28 days of paid leave per year.\n\n"
                "Requests for leave go to your manager two weeks ahead.",
            ),
            Section(3, None, "Expenses are refunded monthly against receipts."),
        ],
        metadata={"page_count": 3, "ocr_pages": [3]},
        ocr_used=True,
    )


def test_summary_quotes_the_opening_and_describes_structure() -> None:
    result = summarize_locally(handbook(), "summary", None)

    assert result["provider"] == "local" and result["language_model_used"] is False
    assert "No language model" in result["note"]
    assert result["summary"] == "A PDF document: 3 pages, 57 words. Read by OCR: page 3."
    assert result["leading_text"].startswith("Welcome to the team. This handbook explains")
    assert [entry["index"] for entry in result["structure"]] == [1, 2, 3]
    assert result["document"]["word_count"] == 57


def test_extract_returns_every_section() -> None:
    result = summarize_locally(handbook(), "extract", "")

    assert [s["index"] for s in result["sections"]] == [1, 2, 3]
    assert result["sections"][2]["text"] == "Expenses are refunded monthly against receipts."


def test_qa_returns_the_most_relevant_passages() -> None:
    result = summarize_locally(handbook(), "qa", "How many days of paid leave do I get?")

    passages = result["passages"]
    assert passages[0]["index"] == 2
    assert passages[0]["text"].startswith("Holidays: every employee has 28 days of paid leave")
    assert all(p["score"] > 0 for p in passages)
    assert "Expenses" not in " ".join(p["text"] for p in passages)
    assert "not answered" in result["note"]
    assert {"leave", "paid", "days"} <= set(result["question_terms"])


def test_qa_without_shared_words_finds_nothing() -> None:
    result = summarize_locally(handbook(), "qa", "Quantum chromodynamics?")

    assert result["passages"] == []


def test_unknown_analysis_type_is_a_bad_request() -> None:
    with pytest.raises(BadRequest):
        summarize_locally(handbook(), "poem", None)
