"""An honest, structured description of media when no language model answered.

It reports what could be measured (text in frames, scene changes, colours, the
transcript, the media's own facts) and says plainly that the prompt was not answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from media_analysis.analysis.colors import SceneColour
from media_analysis.analysis.frames import FrameRef, format_timestamp
from media_analysis.analysis.images import DEFAULT_MAX_PIXELS
from media_analysis.analysis.measure import MAX_OCR_FRAMES, FrameMeasurements, measure_in_child
from media_analysis.analysis.ocr import FrameText
from media_analysis.analysis.scenes import SceneChange
from media_analysis.sandbox.pool import DEFAULT_SANDBOX, Sandbox

NO_MODEL_NOTE = (
    "No language model was available; this is an automatic description, "
    "not an answer to the prompt."
)
TRANSCRIPT_EXCERPT_CHARS = 600
QUOTED_TEXT_CHARS = 60
MAX_STRETCHES_TOLD = 5


async def run_local_analysis(
    prompt: str,
    frames: Sequence[FrameRef],
    *,
    media_facts: Mapping[str, Any],
    transcript_text: str | None = None,
    max_ocr_frames: int = MAX_OCR_FRAMES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    sandbox: Sandbox = DEFAULT_SANDBOX,
) -> dict[str, Any]:
    """Read text, find scene changes and colours in ``frames``, then describe them."""
    measured = await measure_in_child(
        frames, max_ocr_frames=max_ocr_frames, max_pixels=max_pixels, sandbox=sandbox
    )
    return build_local_analysis(prompt, frames, measured, media_facts, transcript_text)


def build_local_analysis(
    prompt: str,
    frames_info: Sequence[FrameRef],
    measured: FrameMeasurements,
    media_facts: Mapping[str, Any],
    transcript_text: str | None,
) -> dict[str, Any]:
    transcript = (transcript_text or "").strip()
    return {
        "provider": "local",
        "language_model_used": False,
        "note": NO_MODEL_NOTE,
        "prompt": prompt,
        "summary": describe(frames_info, measured, media_facts, transcript),
        "text_in_frames": [_frame_text_entry(item) for item in measured.texts],
        "scene_changes": [_scene_entry(scene) for scene in measured.scenes],
        "dominant_colors": [
            {"name": c.name, "hex": c.hex, "share": c.share} for c in measured.colours
        ],
        "scene_colors": [_scene_colour_entry(stretch) for stretch in measured.scene_colours],
        "transcript_excerpt": excerpt(transcript, TRANSCRIPT_EXCERPT_CHARS) or None,
        "media": {**media_facts, "frame_count": len(frames_info)},
    }


def describe(
    frames: Sequence[FrameRef],
    measured: FrameMeasurements,
    media_facts: Mapping[str, Any],
    transcript: str,
) -> str:
    """A few factual sentences built only from what was measured (pictures only if any)."""
    sentences = [_media_sentence(media_facts, len(frames))]
    if len(frames) > 1:
        sentences.append(_scenes_sentence(measured.scenes))
    if frames:
        sentences.append(_text_sentence(measured.texts, still=len(frames) == 1))
    if transcript:
        sentences.append(f"Speech was transcribed ({len(transcript.split())} words).")
    elif media_facts.get("has_audio"):
        sentences.append("No speech was transcribed from the audio track.")
    if measured.colours:
        top = measured.colours[0]
        sentences.append(
            f"The dominant colour is {top.name} ({top.hex}, {top.share:.0%} of sampled pixels)."
        )
    if len(measured.scene_colours) > 1:
        sentences.append(_scene_colours_sentence(measured.scene_colours))
    return " ".join(sentences)


def _scene_colours_sentence(stretches: Sequence[SceneColour]) -> str:
    parts = [
        f"{stretch.colour.name} from {format_timestamp(stretch.start_seconds)} "
        f"to {format_timestamp(stretch.end_seconds)}"
        for stretch in stretches[:MAX_STRETCHES_TOLD]
    ]
    more = " …" if len(stretches) > MAX_STRETCHES_TOLD else ""
    return "The screen is mostly " + ", then ".join(parts) + more + "."


def _scene_colour_entry(stretch: SceneColour) -> dict[str, Any]:
    return {
        "from": format_timestamp(stretch.start_seconds),
        "to": format_timestamp(stretch.end_seconds),
        "from_seconds": stretch.start_seconds,
        "to_seconds": stretch.end_seconds,
        "color": {"name": stretch.colour.name, "hex": stretch.colour.hex},
    }


def _media_sentence(facts: Mapping[str, Any], frame_count: int) -> str:
    kind = str(facts.get("media_type") or "media")
    duration = facts.get("duration_seconds")
    width, height = facts.get("width"), facts.get("height")
    noun = "audio recording" if kind == "audio" else kind
    described = f"{'An' if noun[:1] in 'aeiou' else 'A'} {noun}"
    if width and height:
        described += f" ({width}×{height})"
    if isinstance(duration, int | float):
        described += f" lasting {duration:.1f} seconds"
    if facts.get("has_audio") is True:
        described += " with an audio track"
    if frame_count > 1:
        described += f"; {frame_count} frames were sampled"
    return described + "."


def _scenes_sentence(scenes: Sequence[SceneChange]) -> str:
    if not scenes:
        return "No scene change was detected between the sampled frames."
    moments = [format_timestamp(s.timestamp_seconds) or f"frame {s.frame_index}" for s in scenes]
    shown = ", ".join(moments[:5]) + (" …" if len(moments) > 5 else "")
    noun = "scene change was" if len(scenes) == 1 else "scene changes were"
    return f"{len(scenes)} {noun} detected (at {shown})."


def _text_sentence(ocr_texts: Sequence[FrameText], *, still: bool) -> str:
    if not ocr_texts:
        return "No text was recognised in the image." if still else "No text was recognised."
    sample = excerpt(ocr_texts[0].text.replace("\n", " "), QUOTED_TEXT_CHARS)
    if still:
        return f'The image reads "{sample}".'
    places = "1 frame" if len(ocr_texts) == 1 else f"{len(ocr_texts)} frames"
    return f'Text was recognised in {places}, for example "{sample}".'


def excerpt(text: str, limit: int) -> str:
    """``text`` cut at a word boundary near ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _frame_text_entry(item: FrameText) -> dict[str, Any]:
    return {
        "frame_index": item.frame_index,
        "timestamp": format_timestamp(item.timestamp_seconds),
        "timestamp_seconds": item.timestamp_seconds,
        "text": item.text,
        "confidence": item.confidence,
    }


def _scene_entry(scene: SceneChange) -> dict[str, Any]:
    return {
        "frame_index": scene.frame_index,
        "timestamp": format_timestamp(scene.timestamp_seconds),
        "timestamp_seconds": scene.timestamp_seconds,
        "score": scene.score,
    }
