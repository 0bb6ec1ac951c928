"""Searches ignore case and how an apostrophe is typed."""
from __future__ import annotations

import pytest

from service.domain.text_search import mentions


@pytest.mark.parametrize("query", ["з'єднає", "з’єднає", "зʼєднає", "З`ЄДНАЄ", "ukraine's grid"])
def test_any_apostrophe_finds_any_other(query):
    assert mentions("Нова лінія з’єднає Рясне з центром; Ukraine’s grid", query)


def test_a_different_word_is_not_found():
    assert not mentions("Нова лінія з’єднає Рясне", "з'єднала")
    assert not mentions("з’єднає", "зєднає")  # the apostrophe is a letter of the word, not left out
