"""Lead images on the reader side: served with long cache lifetimes, sized in the page, on the social cards."""
from __future__ import annotations

import re
import struct

import pytest

SLUG = "chernihiv-library-restoration"
IMAGE = "chernihiv-library.png"


def _image_url(html: str) -> str:
    return re.search(r'<img src="([^"]+)"', html).group(1).replace("&amp;", "&")


def test_the_article_shows_its_lead_image_sized_with_its_caption_and_credit(client):
    html = client.get(f"/uk/articles/{SLUG}").text
    figure = html.split('<figure class="lead-image">')[1].split("</figure>")[0]
    assert 'width="1200" height="630"' in figure
    assert 'alt="Триповерховий фасад бібліотеки з червоної цегли' in figure
    assert "loading=" not in figure  # the lead image is above the fold: never lazy
    assert "Відновлена будівля Центральної міської бібліотеки" in figure
    assert '<span class="image-credit">Ілюстрація: редакція</span>' in figure


def test_the_translation_describes_the_image_in_its_language_and_marks_the_credit(client):
    html = client.get(f"/en/articles/{SLUG}").text
    figure = html.split('<figure class="lead-image">')[1].split("</figure>")[0]
    assert 'alt="The three-storey red-brick front of the library' in figure
    assert "The restored Central City Library building in Chernihiv" in figure
    assert '<span class="image-credit" lang="uk">Ілюстрація: редакція</span>' in figure


def test_a_credit_without_an_image_is_not_shown(client):
    html = client.get("/uk/articles/lviv-ryasne-tram-line").text
    assert "lead-image" not in html and "image-credit" not in html


def test_the_image_is_served_with_long_cache_headers_and_an_etag(client):
    url = _image_url(client.get(f"/uk/articles/{SLUG}").text)
    assert url.startswith(f"/images/{IMAGE}?v=")
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    assert response.cache_control.public and response.cache_control.max_age >= 86400
    assert response.cache_control.immutable
    etag = response.headers["ETag"]
    again = client.get(f"/images/{IMAGE}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.cache_control.immutable


def test_the_cards_carry_the_image_with_its_size(client):
    html = client.get(f"/en/articles/{SLUG}").text
    assert re.search(r'<meta property="og:image" content="http://localhost/images/chernihiv-library\.png\?v=[0-9a-f]+">',
                     html)
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert '<meta property="og:image:alt" content="The three-storey red-brick front' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '"image":{"@type":"ImageObject","url":"http://localhost/images/chernihiv-library.png?v=' in html


@pytest.mark.parametrize("path", [
    "/images/missing.png", "/images/..%2Fchernihiv-library-restoration.md", "/images/../content/x.png",
    "/images/%2e%2e", "/images/CHERNIHIV.PNG", "/images/" + "a" * 5000 + ".png",
])
def test_unknown_or_unsafe_image_names_are_404(client, path):
    assert client.get(path).status_code == 404


def test_a_file_that_is_not_an_image_or_too_large_is_404(client, tree):
    (tree / "content/images/notes.png").write_text("not an image")
    big = tree / "content/images/big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (6 * 1024 * 1024))
    assert client.get("/images/notes.png").status_code == 404
    assert client.get("/images/big.png").status_code == 404


def _resized_png(data: bytes, width: int, height: int) -> bytes:
    """Return the PNG ``data`` with its header naming another size (the reader reads only the header)."""
    return data[:16] + struct.pack(">II", width, height) + data[24:]


def test_an_image_replaced_in_place_reaches_the_stored_page(client, tree):
    image = tree / f"content/images/{IMAGE}"
    for _ in range(3):  # rendered, then stored, then served from the page cache
        first = client.get(f"/uk/articles/{SLUG}").text
    assert 'width="1200" height="630"' in first
    with image.open("r+b") as file:  # overwritten in place: the source and its folder are untouched
        data = file.read()
        file.seek(0)
        file.write(_resized_png(data, 800, 420))
    again = client.get(f"/uk/articles/{SLUG}").text
    assert 'width="800" height="420"' in again
    assert _image_url(again) != _image_url(first)  # a new address, so no cache keeps the old picture
