#!/usr/bin/env python3
"""Fill deploy/nginx/l10n.conf's @...@ placeholders: the nginx site an operator installs.

    python3 deploy/render_nginx.py --server-name news.example \\
        --reader 10.0.0.11:8000 --reader 10.0.0.12:8000 --editing 10.0.0.10:8000 \\
        > /etc/nginx/sites-available/l10n
    python3 deploy/render_nginx.py --server-name news.example \
        --reader 127.0.0.1:8000 --editing 127.0.0.1:8001 > …   # one machine, two pools

Only the standard library: it runs on the nginx host without the service installed. The
integration test (tests/e2e/test_nginx.py) renders the same file with its own ports and paths.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "l10n.conf"
#: host:port, [ipv6]:port or unix:/path; then nginx's server parameters (weight=2, backup, max_fails=3 …)
SERVER = re.compile(r"(unix:/\S+|\[[0-9A-Fa-f:.]+\]:\d+|[A-Za-z0-9.-]+:\d+)((\s+[a-z_]+(=[A-Za-z0-9.]+)?)*)")
SAFE = re.compile(r"[^;{}'\"\\\s#$]+")  # a value that cannot end the directive or open a block


def _servers(addresses: list[str]) -> str:
    for address in addresses:
        if not SERVER.fullmatch(address.strip()):
            raise ValueError(f"not an upstream server: {address!r} (host:port, [::1]:port or unix:/path)")
    return "\n".join(f"    server {address.strip()};" for address in addresses)


def render(
    readers: list[str],
    editing: list[str] | None = None,
    listen: str = "80",
    server_name: str = "_",
    cache_dir: str = "/var/cache/nginx/l10n",
    template: str | None = None,
) -> str:
    """Return the site file for these upstreams (``editing`` defaults to the readers: no split)."""
    if not readers:
        raise ValueError("at least one reader server is needed")
    for name, value in [("listen", listen), ("server name", server_name), ("cache directory", cache_dir)]:
        words = value.split()
        if not words or not all(SAFE.fullmatch(word) for word in words) or (name == "cache directory" and len(words) > 1):
            raise ValueError(f"{name}: {value!r} has characters nginx would read as syntax")
    values = {
        "READERS": _servers(readers),
        "EDITING": _servers(editing or readers),
        "LISTEN": " ".join(listen.split()),
        "SERVER_NAME": " ".join(server_name.split()),
        "CACHE_DIR": cache_dir,
    }
    text = TEMPLATE.read_text() if template is None else template
    text = re.sub(r"@([A-Z_]+)@", lambda match: values[match.group(1)], text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reader", action="append", required=True, metavar="HOST:PORT",
                        help="a reader instance (repeat for each; a full instance or a --readers-only replica)")
    parser.add_argument("--editing", action="append", metavar="HOST:PORT",
                        help="the editing host (default: the reader instances, no split)")
    parser.add_argument("--listen", default="80", help="nginx's listen parameters (default 80)")
    parser.add_argument("--server-name", default="_", help="host names, space-separated (default _)")
    parser.add_argument("--cache-dir", default="/var/cache/nginx/l10n", help="proxy_cache_path (nginx's user writes it)")
    arguments = parser.parse_args(argv)
    try:
        sys.stdout.write(render(arguments.reader, arguments.editing, arguments.listen, arguments.server_name,
                                arguments.cache_dir))
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
