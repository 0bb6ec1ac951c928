"""The caches keyed by text stay bounded however many articles a worker reads (issue 10: ≤ 150 MB a worker)."""
from __future__ import annotations

from service.domain import statistics, variants


def test_the_word_counts_keep_at_most_4096_paragraphs():
    for counter in (variants._words, statistics._words):
        for number in range(5000):
            counter(f"paragraph {number} of an archive larger than the cache")
        assert counter.cache_info().currsize <= 4096


def test_rendered_inline_markup_keeps_at_most_2048_texts():
    from service.web.reader import _render_inline_filter

    for number in range(3000):
        _render_inline_filter(f"*segment* {number}")
    assert _render_inline_filter.cache_info().currsize <= 2048
