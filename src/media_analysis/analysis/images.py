"""Opening untrusted images: the size is checked from the header, before any decoding."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from media_analysis.config import Settings
from media_analysis.errors import InvalidMedia, MediaTooLarge

DEFAULT_MAX_PIXELS = Settings.model_construct().max_image_pixels
DECODER_ERRORS = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError)


@contextmanager
def open_image(path: Path, max_pixels: int) -> Iterator[Image.Image]:
    """The image, lazily decoded; refused when its declared size is over ``max_pixels``."""
    try:
        with warnings.catch_warnings():
            # Our own limit decides; Pillow's bomb warning would only repeat it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError:
        raise too_large(None, max_pixels) from None
    except DECODER_ERRORS:
        raise InvalidMedia("The image could not be decoded; it may be truncated.") from None
    with image:
        ensure_pixels_fit(image.size, max_pixels)
        yield image


def ensure_pixels_fit(size: tuple[int, int], max_pixels: int) -> None:
    if size[0] * size[1] > max_pixels:
        raise too_large(size, max_pixels)


def too_large(size: tuple[int, int] | None, max_pixels: int) -> MediaTooLarge:
    shown = f"{size[0]}×{size[1]} " if size else ""
    return MediaTooLarge(
        f"The image is {shown}pixels, more than the {max_pixels:,} pixels allowed.",
        max_pixels=max_pixels,
    )


def reduced_copy(path: Path, max_pixels: int, size: tuple[int, int]) -> Image.Image:
    """An RGB copy at least ``size`` large, decoded at reduced scale where the format allows.

    JPEG decodes at 1/2, 1/4 or 1/8 scale for a fraction of the work of a full decode.
    """
    with open_image(path, max_pixels) as image:
        image.draft("RGB", size)
        return image.convert("RGB")
