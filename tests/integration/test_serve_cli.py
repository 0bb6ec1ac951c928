"""``l10n serve`` as an operator types it: its own options, then gunicorn's, one command line."""
from __future__ import annotations

import socket

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


@pytest.mark.parametrize("setting", ["CONTENT_DIR", "LOCALES_DIR"])
def test_a_missing_folder_stops_the_server_before_it_serves_an_empty_site(runner, tree, monkeypatch, setting):
    started: list[list[str]] = []
    monkeypatch.setattr(service.cli.os, "execv", lambda _program, command: started.append(command))
    monkeypatch.setenv("L10N_READERS_ONLY", "0")  # set by --readers-only should the refusal not come
    monkeypatch.setenv(f"L10N_{setting}", str(tree / "no-such-dir"))
    result = runner.invoke("serve", "--readers-only", "--bind", "127.0.0.1:8123")
    assert result.exit_code == 1
    assert f"no-such-dir: the {'content' if setting == 'CONTENT_DIR' else 'locales'} directory does not exist" \
        in result.output
    assert setting in result.output
    assert not started


@pytest.mark.parametrize("bind, port", [("127.0.0.1:99999", None), ("127.0.0.1:8000", "abc"), ("127.0.0.1:0", None)])
def test_a_port_that_is_not_one_is_refused_in_one_line(runner, monkeypatch, bind, port):
    started: list[list[str]] = []
    monkeypatch.setattr(service.cli.os, "execv", lambda _program, command: started.append(command))
    monkeypatch.setenv("L10N_READERS_ONLY", "0")  # set by --readers-only should the refusal not come
    arguments = ("--bind", bind) if port is None else ()
    if port is not None:
        monkeypatch.setenv("PORT", port)
    result = runner.invoke("serve", "--readers-only", *arguments)
    assert result.exit_code == 1
    assert "the port must be a number from 1 to 65535" in result.output
    assert "Traceback" not in result.output
    assert not started


@pytest.mark.parametrize("workers", ["0", "-1"])
def test_a_pool_without_workers_is_refused_by_the_option_itself(runner, monkeypatch, workers):
    started: list[list[str]] = []
    monkeypatch.setattr(service.cli.os, "execv", lambda _program, command: started.append(command))
    monkeypatch.setenv("L10N_READERS_ONLY", "0")  # set by --readers-only should the refusal not come
    result = runner.invoke("serve", "--readers-only", "--bind", "127.0.0.1:8123", "--workers", workers)
    assert result.exit_code == 2
    assert "--workers" in result.output and "x>=1" in result.output
    assert not started


def test_an_address_another_server_listens_on_is_refused_in_one_line(runner, monkeypatch):
    started: list[list[str]] = []
    monkeypatch.setattr(service.cli.os, "execv", lambda _program, command: started.append(command))
    monkeypatch.setenv("L10N_READERS_ONLY", "0")  # set by --readers-only should the refusal not come
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        bind = f"127.0.0.1:{other.getsockname()[1]}"
        result = runner.invoke("serve", "--readers-only", "--bind", bind)
    assert result.exit_code == 1
    assert f"{bind}: cannot listen there" in result.output and "Traceback" not in result.output
    assert not started
    free = runner.invoke("serve", "--readers-only", "--bind", bind)  # closed now: gunicorn is started
    assert free.exit_code == 0 and started
