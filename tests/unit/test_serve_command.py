"""``l10n serve``'s gunicorn command line."""
from __future__ import annotations

from service.cli import gunicorn_command


def test_gunicorn_s_shared_control_socket_is_off_unless_asked_for():
    command = gunicorn_command("127.0.0.1:8000", 2, ())
    assert "--no-control-socket" in command
    assert command[-1] == "service:create_app()"


def test_a_replica_loads_the_app_once_in_gunicorn_s_master():
    command = gunicorn_command("127.0.0.1:8000", 2, ("--timeout", "60"), preload=True)
    assert command[-2:] == ["--preload", "service:serving_app()"]
    assert command[command.index("--timeout") + 1] == "60"


def test_a_control_socket_asked_for_is_passed_on_alone():
    command = gunicorn_command("127.0.0.1:8001", 2, ("--control-socket", "/run/l10n/editing.ctl"))
    assert "--no-control-socket" not in command
    assert command[command.index("--control-socket") + 1] == "/run/l10n/editing.ctl"
