"""The long batch commands lower their own CPU priority by BATCH_NICENESS, so the server's workers keep the CPU."""
from __future__ import annotations

import pytest

import service.cli

BATCHES = [["extract"], ["update"], ["compile"], ["check"], ["coverage"]]


@pytest.fixture
def nice_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(service.cli.os, "nice", calls.append)  # never lower pytest's own priority
    return calls


@pytest.mark.parametrize("command", BATCHES, ids=" ".join)
def test_a_batch_command_gives_way_by_the_configured_niceness(runner, monkeypatch, nice_calls, command):
    monkeypatch.setenv("L10N_BATCH_NICENESS", "7")
    result = runner.invoke(*command)
    assert result.exit_code == 0, result.output
    assert nice_calls == [7]


def test_niceness_zero_keeps_the_priority_and_short_commands_never_change_it(runner, monkeypatch, nice_calls, tree):
    monkeypatch.setenv("L10N_BATCH_NICENESS", "0")
    assert runner.invoke("update").exit_code == 0
    monkeypatch.setenv("L10N_BATCH_NICENESS", "7")
    assert runner.invoke("users", "list").exit_code == 0
    assert runner.invoke("stats", str(tree / "locales" / "uk" / "LC_MESSAGES" / "messages.po")).exit_code == 0
    assert nice_calls == []
