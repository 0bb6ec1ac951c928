"""``similarity`` is GNU fstrcmp (the msgmerge agreement is in ``integration/test_merge.py``)."""
from __future__ import annotations

import pytest

from service.domain.merge import similarity


def test_similarity_is_gnu_fstrcmp_over_utf8_bytes():
    assert similarity("abc", "abc") == 1.0
    assert similarity("", "abc") == 0.0
    assert similarity("abcd", "abxd") == pytest.approx(6 / 8)
    # "ї" and "і" share their first UTF-8 byte, so they are half alike to fstrcmp.
    assert similarity("ї", "і") == pytest.approx(2 / 4)
