from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from media_analysis.analysis.colors import DominantColor, SceneColour, colour_name
from media_analysis.analysis.frames import FrameRef
from media_analysis.analysis.local_answer import (
    NO_MODEL_NOTE,
    build_local_analysis,
    run_local_analysis,
)
from media_analysis.analysis.measure import FrameMeasurements
from media_analysis.analysis.ocr import FrameText
from media_analysis.analysis.scenes import SceneChange

NOTHING_SEEN = FrameMeasurements([], [], [], [])
VIDEO_FACTS = {
    "media_type": "video",
    "duration_seconds": 5.312,
    "width": 1280,
    "height": 720,
    "has_audio": True,
}


def test_local_answer_is_honest_and_structured() -> None:
    frames = [FrameRef(Path(f"f{i}.jpg"), i, i / 3) for i in range(16)]
    measured = FrameMeasurements(
        [FrameText(4, 4 / 3, "BIG BUCK\nBUNNY", 0.97)],
        [SceneChange(9, 3.0, 0.52)],
        [DominantColor("#6a8f3c", 0.41), DominantColor("#c9d6e3", 0.2)],
        [
            SceneColour(0.0, 3.0, DominantColor("#2a8a35", 0.6)),
            SceneColour(3.0, 5.0, DominantColor("#1c4fd8", 0.5)),
        ],
    )
    result = build_local_analysis("Who is the main character?", frames, measured, VIDEO_FACTS, "")

    assert result["provider"] == "local"
    assert result["language_model_used"] is False
    assert result["note"] == NO_MODEL_NOTE
    assert result["prompt"] == "Who is the main character?"
    assert result["summary"] == (
        "A video (1280×720) lasting 5.3 seconds with an audio track; 16 frames were sampled. "
        "1 scene change was detected (at 00:03.0). "
        'Text was recognised in 1 frame, for example "BIG BUCK BUNNY". '
        "No speech was transcribed from the audio track. "
        "The dominant colour is olive (#6a8f3c, 41% of sampled pixels). "
        "The screen is mostly green from 00:00.0 to 00:03.0, then blue from 00:03.0 to 00:05.0."
    )
    assert result["text_in_frames"] == [
        {
            "frame_index": 4,
            "timestamp": "00:01.3",
            "timestamp_seconds": 4 / 3,
            "text": "BIG BUCK\nBUNNY",
            "confidence": 0.97,
        }
    ]
    assert result["scene_changes"][0]["timestamp"] == "00:03.0"
    assert result["dominant_colors"][0] == {"name": "olive", "hex": "#6a8f3c", "share": 0.41}
    assert result["scene_colors"][1] == {
        "from": "00:03.0",
        "to": "00:05.0",
        "from_seconds": 3.0,
        "to_seconds": 5.0,
        "color": {"name": "blue", "hex": "#1c4fd8"},
    }
    assert result["transcript_excerpt"] is None
    assert result["media"]["frame_count"] == 16
    assert "main character" not in result["summary"]


def test_long_transcript_is_excerpted_at_a_word() -> None:
    transcript = " ".join(["ask not what your country can do for you"] * 40)

    result = build_local_analysis("?", [], NOTHING_SEEN, {"media_type": "audio"}, transcript)

    excerpt = result["transcript_excerpt"]
    assert excerpt.endswith(" …") and len(excerpt) <= 602
    assert transcript.startswith(excerpt.removesuffix(" …"))
    assert "Speech was transcribed (360 words)." in result["summary"]
    assert "image" not in result["summary"] and "text was" not in result["summary"].lower()
    assert result["summary"].startswith("An audio recording.")


@pytest.mark.parametrize(
    ("hex_colour", "name"),
    [
        ("#fc0203", "red"),
        ("#ffffff", "white"),
        ("#101010", "black"),
        ("#1d3fc4", "blue"),
        ("#f7e21a", "yellow"),
        ("#7f7f7f", "grey"),
        ("#0b1a66", "navy"),
        ("#ff8c10", "orange"),
    ],
)
def test_colours_are_named_as_people_name_them(hex_colour: str, name: str) -> None:
    assert colour_name(hex_colour) == name


async def test_each_scene_gets_the_colour_that_fills_it(tmp_path: Path) -> None:
    frames = []
    for index, fill in enumerate(["#d01010"] * 4 + ["#1030d0"] * 4):
        path = tmp_path / f"frame{index}.png"
        Image.new("RGB", (160, 90), fill).save(path)
        frames.append(FrameRef(path, index, index / 2))

    result = await run_local_analysis(
        "?", frames, media_facts={"media_type": "video", "duration_seconds": 4.0}
    )

    stretches = [
        (s["from_seconds"], s["to_seconds"], s["color"]["name"]) for s in result["scene_colors"]
    ]
    assert stretches == [(0.0, 2.0, "red"), (2.0, 3.5, "blue")]
    assert (
        "mostly red from 00:00.0 to 00:02.0, then blue from 00:02.0 to 00:03.5" in result["summary"]
    )


async def test_run_local_analysis_on_a_still_image(tmp_path: Path) -> None:
    path = tmp_path / "poster.png"
    image = Image.new("RGB", (640, 200), "white")
    ImageDraw.Draw(image).text(
        (30, 60), "SALE 50%", fill="black", font=ImageFont.load_default(size=64)
    )
    image.save(path)

    result = await run_local_analysis(
        "What does the poster say?",
        [FrameRef(path)],
        media_facts={"media_type": "image", "width": 640, "height": 200},
    )

    assert result["text_in_frames"][0]["text"] == "SALE 50%"
    assert result["text_in_frames"][0]["timestamp"] is None
    assert result["scene_changes"] == []
    assert result["dominant_colors"][0]["hex"] == "#ffffff"
    assert result["summary"].startswith("An image (640×200).")
    assert 'The image reads "SALE 50%".' in result["summary"]
