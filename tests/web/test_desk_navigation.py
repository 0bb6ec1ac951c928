"""One desk: the navigation bar shared by the workspace, the glossaries and the coverage dashboard."""
from __future__ import annotations

import re


def nav_of(html: str) -> str:
    match = re.search(r'<nav class="desk-nav".*?</nav>', html, re.S)
    assert match, "no desk navigation on the page"
    return match.group(0)


def test_a_translator_sees_who_they_are_their_languages_by_name_and_their_glossary(client, add_user, login):
    login(add_user("olena", "translator", "en"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    nav = nav_of(client.get("/translate/").text)
    assert "<strong>olena</strong> · translator · English" in nav
    assert 'href="/translate/" aria-current="page">Catalogs</a>' in nav
    assert 'href="/translate/glossary/en">English</a>' in nav and "/translate/glossary/uk" not in nav
    assert "/editor/coverage" not in nav  # not an editor: no link to a page they may not open
    assert 'action="/logout"' in nav and "Sign out" in nav
    assert not re.search(r">\s*(EN|UK|en|uk)\s*<", nav)  # languages by name, never by code
    glossary = nav_of(client.get("/translate/glossary/en").text)
    assert 'href="/translate/glossary/en" aria-current="page">English</a>' in glossary


def test_editors_move_between_catalogs_coverage_and_every_glossary(client, add_user, login):
    login(add_user("iryna", "editor"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "uk"
    dashboard = client.get("/editor/coverage").text
    nav = nav_of(dashboard)
    assert 'href="/translate/">Каталоги</a>' in nav
    assert 'href="/editor/coverage" aria-current="page">Покриття</a>' in nav
    assert 'href="/translate/glossary/uk">Українська</a>' in nav and 'href="/translate/glossary/en">Англійська</a>' in nav
    assert "<strong>iryna</strong> · редактор" in nav
    assert "Час — Europe/Kyiv (за східноєвропейським часом)" in dashboard
    assert 'href="/editor/coverage"' in nav_of(client.get("/translate/").text)  # and back


def test_the_dashboard_states_its_time_zone_in_english(client, add_user, login):
    login(add_user("iryna", "editor"))
    page = client.get("/editor/coverage", headers={"Accept-Language": "en"}).text
    assert "Times in Europe/Kyiv (Eastern European Time)" in page
