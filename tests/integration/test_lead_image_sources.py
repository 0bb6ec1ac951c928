"""A lead image in a source: refused at extract with file:line when missing, outside images/, too large or no image."""
from __future__ import annotations

import struct
import zlib

import pytest

from service.domain.images import ImageError, image_size

from .test_pipeline import changed_files, snapshot

SLUG = "chernihiv-library-restoration"


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    """Make a PNG of ``width`` × ``height`` grey pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * width * 3 for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def tiny_jpeg(width: int = 640, height: int = 480) -> bytes:
    """Make the header of a baseline JPEG (SOI, an APP0 segment, SOF0) of the given size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def test_image_size_reads_png_and_jpeg_headers():
    assert (image_size(tiny_png(3, 2)).width, image_size(tiny_png(3, 2)).height) == (3, 2)
    size = image_size(tiny_jpeg(640, 480))
    assert (size.kind, size.width, size.height, size.mimetype) == ("jpeg", 640, 480, "image/jpeg")
    for data in (b"GIF89a", b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"):
        with pytest.raises(ImageError):
            image_size(data)


def _set_image(tree, value: str) -> None:
    source = tree / "content" / f"{SLUG}.md"
    source.write_text(source.read_text().replace('image = "chernihiv-library.png"', f"image = {value}"))


@pytest.mark.parametrize("value, message", [
    ('"missing.png"', "image 'missing.png': no such file in images/"),
    ('"../chernihiv-library-restoration.md"', "must be a file name in images/, without folders or '..'"),
    ('"images/chernihiv-library.png"', "must be a file name in images/"),
    ('"/etc/passwd"', "must be a file name in images/"),
    ('"notes.txt"', "must be a lowercase .png, .jpg or .jpeg file name"),
    ('"fake.png"', "image 'fake.png': the file is not a PNG or JPEG image"),
    ('"big.png"', "image 'big.png': the image is larger than 5,242,880 bytes"),
    ("42", "image must be a file name"),
])
def test_a_bad_image_is_refused_at_extract_with_its_line_and_nothing_is_written(runner, tree, value, message):
    (tree / "content/images/fake.png").write_text("<svg/>")
    (tree / "content/images/big.png").write_bytes(tiny_png() + b"\0" * (5 * 1024 * 1024))
    _set_image(tree, value)
    before = snapshot(tree)
    result = runner.invoke("extract")
    assert result.exit_code == 1
    assert f"content/{SLUG}.md:8: " in result.output and message in result.output
    assert changed_files(before, snapshot(tree)) == []


def test_an_image_needs_its_description(runner, tree):
    source = tree / "content" / f"{SLUG}.md"
    source.write_text("\n".join(line for line in source.read_text().split("\n") if not line.startswith("image_alt")))
    result = runner.invoke("extract")
    assert result.exit_code == 1 and f"content/{SLUG}.md:8: an image needs image_alt" in result.output


def test_a_description_without_an_image_is_refused(runner, tree):
    source = tree / "content" / f"{SLUG}.md"
    source.write_text(source.read_text().replace('image = "chernihiv-library.png"\n', ""))
    result = runner.invoke("extract")
    assert result.exit_code == 1 and f"content/{SLUG}.md:8: image_alt needs an image" in result.output


def test_alt_and_caption_are_extracted_as_segments_with_their_roles(tree):
    template = (tree / f"locales/articles/{SLUG}.pot").read_text()
    assert '#. lead image description (alt text)\n#: content/chernihiv-library-restoration.md:9\nmsgctxt "image_alt"' \
        in template
    assert 'msgctxt "image_caption"' in template


def test_a_source_with_a_bad_image_is_404_for_readers_and_left_out_of_the_sitemap(tree):
    from service import create_app
    from ..conftest import tree_settings

    _set_image(tree, '"missing.png"')
    app = create_app({**tree_settings(tree), "TESTING": True})
    with app.test_client() as client:
        assert client.get(f"/uk/articles/{SLUG}").status_code == 404
        sitemap = client.get("/sitemap.xml")
        assert sitemap.status_code == 200 and b"<urlset" in sitemap.data
