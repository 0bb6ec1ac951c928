"""The benchmark's baseline apps render the very pages ours does: a ratio against them compares like with like."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from service.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import floor_bench  # noqa: E402
import reader_bench  # noqa: E402

MODIFIED = re.compile(r'(?<=article:modified_time" content=")[^"]+|(?<="dateModified":")[^"]+')


def test_the_baselines_render_the_measured_pages_as_ours_does_byte_for_byte(tmp_path: Path):
    """floor_bench's pages (a complete translation, the front page, a category page) from each app."""
    root, measured = floor_bench.prepare(12, tmp_path)
    pages = [path for path in measured.values() if path != "/"]
    apps = {kind: reader_bench.make_app(kind, root, ["uk", "en"], pages) for kind in ("ours", "flask-babel")}
    for path in pages:
        bodies = {}
        for kind, app in apps.items():
            answer = app.test_client().get(path)
            assert answer.status_code == 200, (kind, path)
            # The baseline dates its card with the publication, ours with the translation's last change:
            # the same number of bytes, the same work. Everything else is the same page.
            bodies[kind] = MODIFIED.sub("(modified)", answer.get_data(as_text=True))
        assert bodies["flask-babel"] == bodies["ours"], path
