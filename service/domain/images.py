"""Lead images: a name under ``content/images/``, its kind and size read from the file's own header.

:func:`image_size` reads a PNG or JPEG header (no decoding, no dependency), so a page can
carry ``width``/``height`` and a card ``og:image:width``/``height`` without opening an image
library. :func:`check_image_name` refuses any name that could leave ``content/images/``; the file
itself is read on the storage floor (:func:`service.storage.images.read_image`).
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass

#: The folder of ``CONTENT_DIR`` lead images live in.
IMAGES_FOLDER = "images"
#: The largest lead image accepted, in bytes: a page's lead image, not an archive's original.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
#: The largest side accepted, in pixels.
MAX_IMAGE_SIDE = 10_000
_NAME = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*\.(?:png|jpe?g)$")
MIMETYPES = {"png": "image/png", "jpeg": "image/jpeg"}


class ImageError(ValueError):
    """An image that cannot be used, and why."""


@dataclass(frozen=True)
class ImageSize:
    """What a page needs to know of an image file: its kind and pixel size."""

    kind: str  # "png" or "jpeg"
    width: int
    height: int

    @property
    def mimetype(self) -> str:
        """Return the image's media type."""
        return MIMETYPES[self.kind]


def check_image_name(name: str) -> str:
    """Return ``name`` if it names a file directly in ``images/`` (``lynx-1.jpg``); raise :class:`ImageError`."""
    if not isinstance(name, str) or "/" in name or "\\" in name or ".." in name:
        raise ImageError(f"image {name!r} must be a file name in {IMAGES_FOLDER}/, without folders or '..'")
    if not _NAME.match(name):
        raise ImageError(f"image {name!r} must be a lowercase .png, .jpg or .jpeg file name "
                         "(letters, digits, '-', '_', '.')")
    return name


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ImageError("the PNG file has no image header")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int]:
    index = 2
    while index + 4 <= len(data):
        if data[index] != 0xFF:
            raise ImageError("the JPEG file is broken (no marker where one should be)")
        marker = data[index + 1]
        if marker == 0xFF:  # fill byte
            index += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            index += 2
            continue
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if length < 2:
            raise ImageError("the JPEG file is broken (a segment shorter than its header)")
        if marker in _SOF:
            if index + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        index += 2 + length
    raise ImageError("the JPEG file has no frame header")


def image_size(data: bytes) -> ImageSize:
    """Read the kind and size of a PNG or JPEG from its bytes; raise :class:`ImageError` for anything else."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(f"the image is {len(data):,} bytes; at most {MAX_IMAGE_BYTES:,} are accepted")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind, (width, height) = "png", _png_size(data)
    elif data.startswith(b"\xff\xd8"):
        kind, (width, height) = "jpeg", _jpeg_size(data)
    else:
        raise ImageError("the file is not a PNG or JPEG image")
    if not (0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE):
        raise ImageError(f"the image is {width}×{height} pixels; each side must be 1 to {MAX_IMAGE_SIDE}")
    return ImageSize(kind, width, height)
