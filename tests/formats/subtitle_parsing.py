"""Minimal SRT and WebVTT readers, strict about the timing line, for checking our output."""

from __future__ import annotations

import re

Cue = tuple[float, float, str]
SRT_TIME = r"(\d{2}):(\d{2}):(\d{2}),(\d{3})"
VTT_TIME = r"(\d{2}):(\d{2}):(\d{2})\.(\d{3})"


def parse_srt(text: str) -> list[Cue]:
    cues = []
    for number, block in enumerate(_blocks(text), 1):
        index, timing, *lines = block
        assert index == str(number), f"cue {number} is numbered {index!r}"
        cues.append(_cue(timing, SRT_TIME, lines))
    return cues


def parse_vtt(text: str) -> list[Cue]:
    header, *blocks = _blocks(text)
    assert header == ["WEBVTT"], header
    return [_cue(timing, VTT_TIME, lines) for timing, *lines in blocks]


def _blocks(text: str) -> list[list[str]]:
    return [block.split("\n") for block in text.strip("\n").split("\n\n") if block]


def _cue(timing: str, clock: str, lines: list[str]) -> Cue:
    match = re.fullmatch(f"{clock} --> {clock}", timing)
    assert match, f"bad timing line {timing!r}"
    h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(part) for part in match.groups())
    start = h1 * 3600 + m1 * 60 + s1 + ms1 / 1000
    end = h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
    assert lines and all(lines), "a cue needs text and no blank lines"
    return start, end, " ".join(lines)
