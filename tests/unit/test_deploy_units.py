"""The systemd units in deploy/: two gunicorn masters on one machine, each with a control socket of its own."""
from __future__ import annotations

from pathlib import Path

DEPLOY = Path(__file__).parent.parent.parent / "deploy"


def _service_settings(*files: Path) -> dict[str, list[str]]:
    """Collect the ``[Service]`` lines of a unit and its drop-ins: each key's values in order (``Key=`` resets)."""
    settings: dict[str, list[str]] = {}
    for path in files:
        section = None
        for line in path.read_text().splitlines():
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
            elif section == "Service" and "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                settings[key] = settings.get(key, []) + [value] if value else []
    return settings


def _control_socket(settings: dict[str, list[str]]) -> str | None:
    """The control socket the unit's ``l10n serve`` asks gunicorn for (``None``: ``l10n serve`` has none).

    Systemd sets no XDG_RUNTIME_DIR for a system service; ``%t/<name>`` is writable only as a
    RuntimeDirectory= of the unit itself (created for its user, writable under ProtectSystem=strict).
    """
    words = settings["ExecStart"][-1].split()
    if "--control-socket" not in words:
        return None
    path = words[words.index("--control-socket") + 1]
    folder = path.removeprefix("%t/").rsplit("/", 1)[0]
    assert path.startswith("%t/") and folder in settings.get("RuntimeDirectory", []), path
    return path


def test_the_two_pools_on_one_machine_have_control_sockets_of_their_own():
    editing = _service_settings(DEPLOY / "l10n.service", DEPLOY / "l10n.service.d" / "editing-pool.conf")
    readers = _service_settings(DEPLOY / "l10n-readers.service")
    assert editing["User"] == readers["User"]  # one user, one home: the default socket would be shared
    # A shared socket: the pool started last takes it over and either one's stop removes it, so
    # `gunicornc -c "worker add 2"` meant for the readers could reach the editing pool, or nothing.
    editing_socket, readers_socket = _control_socket(editing), _control_socket(readers)
    assert editing_socket and readers_socket and editing_socket != readers_socket
