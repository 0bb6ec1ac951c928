from __future__ import annotations

import pytest

from service.domain.numbers import numbers, numbers_differ


@pytest.mark.parametrize("previous, current", [
    ("3,5 км", "3.5 км"),
    ("40 000 людей", "40,000 людей"),
    ("40\u00a0000 людей", "40 000 людей"),
    ("1,234.5", "1.234,5"),
    ("2 листопада, о 1:00", "о 1:00, 2 листопада"),  # reordered, same numbers
    ("без чисел", "інший текст без чисел"),
])
def test_formatting_a_number_is_not_a_changed_fact(previous, current):
    assert not numbers_differ(previous, current)


@pytest.mark.parametrize("previous, current", [
    ("щонайменше 14 місяців", "щонайменше 16 місяців"),
    ("4,6 км", "4,7 км"),
    ("9 зупинок", "9 зупинок і 2 вузли"),
    ("2 і 2", "2"),  # one occurrence fewer
])
def test_a_changed_number_is_a_changed_fact(previous, current):
    assert numbers_differ(previous, current)


def test_numbers_are_read_as_values():
    assert numbers("у 2024 100 людей, 1 234 567,5 грн") == [{"2024"}, {"100"}, {"1234567.5"}]
    assert numbers("1,260 tonnes") == [{"1260", "1.26"}]


def test_link_addresses_are_not_facts():
    assert not numbers_differ("[звіт](https://example.org/report-2026)", "[report](https://example.org/r-2027)")


def test_a_number_of_any_length_is_a_fact():
    huge = "1" * 5000
    assert numbers(huge) == [{huge}]
    assert numbers("0" + huge + ",50") == [{huge + ".5"}]
    assert not numbers_differ(huge, "00" + huge)
    assert numbers_differ(huge, huge + "1")


def test_digits_of_other_scripts_read_as_their_values():
    assert numbers("٣٥") == [{"35"}]
