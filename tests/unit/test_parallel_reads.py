"""Reading many files at once: results in order, and the progress told reaches the whole count."""
from __future__ import annotations

import pytest

from service.storage import parallel_reads


def _square(number: int) -> int:
    return number * number


@pytest.mark.parametrize("processes, items", [(1, 10), (2, 1000)])
def test_results_come_in_order_and_progress_reaches_every_item_even_when_zipped(processes, items):
    told: list[int] = []
    numbers = list(range(items))
    pairs = list(zip(numbers, parallel_reads.read_all(_square, numbers, processes, told.append)))
    assert pairs == [(number, number * number) for number in numbers]
    assert sum(told) == items
