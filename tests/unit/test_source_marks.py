"""Placeholders and markup found in a source text, for highlighting it on the entry page."""
from __future__ import annotations

import pytest

from service.domain.source_marks import MARKUP, PLACEHOLDER, TEXT, source_spans
from service.web.entry_page import marked_source


@pytest.mark.parametrize("text", [
    "Рись **охороняють** [тут](https://example.net/a) <b>x</b>",
    "%(num)d статей, {name} і 100% та %s",
    "a * b", "", "<script>alert(1)</script>", "{{ not a field }}",
])
def test_spans_join_back_into_the_text(text):
    assert "".join(piece for _kind, piece in source_spans(text)) == text


def test_placeholders_and_markup_are_told_apart_from_text():
    assert source_spans("%(num)d **нових** {name}") == [
        (PLACEHOLDER, "%(num)d"), (TEXT, " "), (MARKUP, "**"), (TEXT, "нових"), (MARKUP, "**"), (TEXT, " "),
        (PLACEHOLDER, "{name}")]
    assert source_spans("на [сайті](https://example.net)") == [
        (TEXT, "на "), (MARKUP, "["), (TEXT, "сайті"), (MARKUP, "](https://example.net)")]
    assert source_spans("100% певності") == [(TEXT, "100% певності")]


def test_marked_source_escapes_first_and_never_renders_the_text_as_html():
    html = str(marked_source('<img src=x onerror="alert(1)"> & %(name)s'))
    assert html == ('<mark class="mu">&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</mark> &amp; '
                    '<code class="ph">%(name)s</code>')
