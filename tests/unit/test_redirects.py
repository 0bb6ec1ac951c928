from __future__ import annotations

import pytest

from service.web.redirects import local_path


@pytest.mark.parametrize("target", [
    "/", "/en/", "/uk/articles/lviv-ryasne-tram-line", "/en/?page=2", "/en/#top", "/en/articles/a%2Fb",
])
def test_local_paths_are_kept(target):
    assert local_path(target) == target


@pytest.mark.parametrize("target", [
    None, "", "en/", "//elsewhere.example", "//elsewhere.example/en/", "https://elsewhere.example/",
    "http://localhost/en/", "/\\elsewhere.example", "\\\\elsewhere.example", "/\t/elsewhere.example",
    "/\n/elsewhere.example", "javascript:alert(1)", "///elsewhere.example", " /en/", "/" + "a" * 5000,
    "https:/elsewhere.example", "/%0d%0aSet-Cookie:x=1".replace("%0d%0a", "\r\n"),
])
def test_anything_that_could_leave_the_site_is_refused(target):
    assert local_path(target) is None
