"""Asking a model about a document, chunk by chunk within its context limit."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from typing import Any

from media_analysis.documents.chunking import Chunk, chunk_text
from media_analysis.documents.local_summary import summarize_locally
from media_analysis.documents.model import ExtractedDocument
from media_analysis.providers.factory import Providers
from media_analysis.providers.vision import VisionAnswer, VisionRequest
from media_analysis.providers.vision_fallback import analyze_with_fallback

CHUNK_CHARS = 24_000
MAX_CHUNKS = 12
QA_CHUNKS = 3
CONCURRENCY = 3
WORD = re.compile(r"[^\W_]{3,}")

INSTRUCTIONS = {
    "summary": "Summarise this document{focus}. Cite the {unit}s you rely on.",
    "extract": "{request} Quote values exactly and cite the {unit} each comes from.",
    "qa": "Answer this question from the document only, citing {unit}s: {request}",
}


async def analyze_document(
    providers: Providers, document: ExtractedDocument, analysis_type: str, prompt: str | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The analysis dict and every provider attempt; local extraction when no model answers."""
    attempts: list[dict[str, Any]] = []
    if providers.analyzers():
        chunks = _relevant_chunks(document, analysis_type, prompt)
        instruction = _instruction(document, analysis_type, prompt)
        answer = await _ask(providers, instruction, chunks, attempts)
        if answer is not None:
            return _model_result(answer, analysis_type, instruction, chunks), attempts
    return summarize_locally(document, analysis_type, prompt), attempts


async def _ask(
    providers: Providers,
    instruction: str,
    chunks: Sequence[Chunk],
    attempts: list[dict[str, Any]],
) -> VisionAnswer | None:
    if len(chunks) == 1:
        return await _one(providers, instruction, chunks[0].text, attempts)
    limit = asyncio.Semaphore(CONCURRENCY)

    async def partial(chunk: Chunk) -> VisionAnswer | None:
        async with limit:
            return await _one(providers, instruction, chunk.text, attempts)

    parts = await asyncio.gather(*(partial(chunk) for chunk in chunks))
    notes = [f"[part {n}]\n{p.text}" for n, p in enumerate(parts, 1) if p is not None]
    if not notes:
        return None
    combine = f"{instruction}\nCombine these answers about consecutive parts into one."
    return await _one(providers, combine, "\n\n".join(notes), attempts)


async def _one(
    providers: Providers, instruction: str, text: str, attempts: list[dict[str, Any]]
) -> VisionAnswer | None:
    request = VisionRequest(instruction, [], f"Document:\n{text}")
    outcome = await analyze_with_fallback(providers.chain, providers.analyzers(), request)
    attempts.extend(attempt.to_dict() for attempt in outcome.attempts)
    return outcome.answer


def _instruction(document: ExtractedDocument, analysis_type: str, prompt: str | None) -> str:
    request = (prompt or "").strip()
    focus = f", focusing on: {request}" if request else ""
    if analysis_type == "extract" and not request:
        request = "Extract the key facts, names, dates and figures as a structured list."
    return INSTRUCTIONS[analysis_type].format(focus=focus, unit=document.unit, request=request)


def _relevant_chunks(
    document: ExtractedDocument, analysis_type: str, prompt: str | None
) -> list[Chunk]:
    labelled = [
        type(section)(
            section.index,
            f"[{document.unit} {section.index}] {section.title or ''}".strip(),
            section.text,
        )
        for section in document.sections
    ]
    chunks = chunk_text(labelled, CHUNK_CHARS)
    if analysis_type == "qa" and len(chunks) > QA_CHUNKS:
        words = set(WORD.findall((prompt or "").lower()))
        ranked = sorted(chunks, key=lambda c: -len(words & set(WORD.findall(c.text.lower()))))
        return sorted(ranked[:QA_CHUNKS], key=lambda c: c.index)
    if len(chunks) > MAX_CHUNKS:
        step = len(chunks) / MAX_CHUNKS
        return [chunks[int(i * step)] for i in range(MAX_CHUNKS)]
    return chunks


def _model_result(
    answer: VisionAnswer, analysis_type: str, instruction: str, chunks: Sequence[Chunk]
) -> dict[str, Any]:
    return {
        "provider": answer.provider,
        "model": answer.model,
        "language_model_used": True,
        "analysis_type": analysis_type,
        "prompt": instruction,
        "answer": answer.text,
        "summary": answer.text.strip().split("\n\n")[0][:1000],
        "sections_used": [[c.first_section, c.last_section] for c in chunks],
        "usage": answer.usage,
    }
