"""Lead image files under ``CONTENT_DIR/images/``: read once per file identity, checked, with a validator."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..domain.images import IMAGES_FOLDER, MAX_IMAGE_BYTES, ImageError, ImageSize, check_image_name, image_size
from .file_cache import FileCache


class ImageNotFound(LookupError):
    """No usable image of that name: missing, outside ``images/``, too large or not an image."""


@dataclass(frozen=True)
class StoredImage:
    """An image as served: its bytes, kind and size, and an ``ETag`` made from its content."""

    data: bytes
    size: ImageSize
    etag: str


def read_image(path: Path) -> StoredImage:
    """Read and check the image file at ``path``: its bytes, size and content digest; raise :class:`ImageError` if it is unusable."""
    try:
        if os.stat(path).st_size > MAX_IMAGE_BYTES:
            raise ImageError(f"the image is larger than {MAX_IMAGE_BYTES:,} bytes")
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise ImageError(f"no such file in {IMAGES_FOLDER}/") from None
    except IsADirectoryError:
        raise ImageError("a folder, not an image file") from None
    except OSError as error:
        raise ImageError(f"cannot read the file: {error.strerror or error}") from None
    return StoredImage(data, image_size(data), hashlib.sha1(data).hexdigest()[:16])


class ImageStore:
    """The lead images of one content directory, cached by file identity."""

    def __init__(self, content_dir: Path, max_cached: int = 32) -> None:
        self.folder = content_dir / IMAGES_FOLDER
        self._images: FileCache[StoredImage | ImageError] = FileCache(self._load, max_cached)

    @staticmethod
    def _load(path: Path) -> StoredImage | ImageError:
        try:
            return read_image(path)
        except ImageError as error:
            return error

    def image(self, name: str) -> StoredImage:
        """Return the image ``name``; raise :class:`ImageNotFound` for any name or file that is not a usable image."""
        try:
            check_image_name(name)
            found = self._images.get(self.folder / name)
        except (ImageError, FileNotFoundError, OSError):
            raise ImageNotFound(name) from None
        if isinstance(found, ImageError):
            raise ImageNotFound(name)
        return found
