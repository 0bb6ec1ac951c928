"""The translator workspace's pure helpers: plural form labels and word diffs."""
from __future__ import annotations

from service.domain.diffs import word_diff
from service.domain.plurals import plural_labels

UK_EXPRESSION = "n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2"


def test_plural_labels_name_the_cldr_category_with_examples():
    labels = plural_labels("uk", 3, UK_EXPRESSION)
    assert [(label.category, label.examples[:3]) for label in labels] == [
        ("one", ("1", "21", "31")), ("few", ("2", "3", "4")), ("many", ("0", "5", "6"))]
    english = plural_labels("en", 2, "(n != 1)")
    assert [label.category for label in english] == ["one", "other"] and not english[0].more


def test_word_diff_marks_changed_words():
    assert word_diff("lasts at least 14 months.", "lasts at least 16 months.") == [
        ("equal", "lasts at least "), ("delete", "14"), ("insert", "16"), ("equal", " months.")]
