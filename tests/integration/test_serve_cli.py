"""``l10n serve`` as an operator types it: its own options, then gunicorn's, one command line."""
from __future__ import annotations

import pytest

import service.cli


def test_gunicorn_s_own_options_pass_through(runner, monkeypatch: pytest.MonkeyPatch):
    started: list[list[str]] = []

    def execv(_program: str, command: list[str]) -> None:
        started.append(command)

    monkeypatch.setattr(service.cli.os, "execv", execv)
    monkeypatch.setenv("L10N_READERS_ONLY", "0")  # --readers-only sets it for gunicorn's workers: undone after
    result = runner.invoke("serve", "--readers-only", "--bind", "127.0.0.1:8123", "--timeout", "60",
                           "--control-socket", "/run/l10n-readers/gunicorn.ctl")
    assert result.exit_code == 0, result.output
    [command] = started
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    assert command[command.index("--timeout") + 1] == "60"
    assert command[command.index("--control-socket") + 1] == "/run/l10n-readers/gunicorn.ctl"
    assert "--no-control-socket" not in command
