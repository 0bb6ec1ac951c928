from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from service.web.extension import services

CELL_KEYS = ("translated", "fuzzy", "untranslated", "complete", "words", "words_translated", "percent",
             "facts_changed", "state", "stale_since")


@pytest.fixture
def set_role(client, add_user, login):
    """Sign ``client`` in as a new user with the given role (``None``: signed out)."""
    made = []

    def choose(role: str | None) -> None:
        with client.session_transaction() as session:
            session.clear()
        if role is not None:
            made.append(role)
            login(add_user(f"{role}{len(made)}", role, *(["en"] if role == "translator" else [])))

    return choose


@pytest.fixture
def editor(client, set_role):
    set_role("editor")
    return client


class _Cells(HTMLParser):
    """Collect the data attributes of every coverage cell of the dashboard."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "td" and "data-domain" in attributes:
            self.cells.append({key[5:].replace("-", "_"): value for key, value in attributes.items()
                               if key.startswith("data-")})


def dashboard_cells(html: str) -> dict[tuple[str, str], dict[str, str]]:
    parser = _Cells()
    parser.feed(html)
    return {(cell["language"], cell["domain"]): cell for cell in parser.cells}


def _normal(row: dict) -> dict[str, str]:
    return {key: "" if row[key] is None else str(row[key]) for key in CELL_KEYS}


# --- roles -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_see_the_coverage(client, set_role, role):
    set_role(role)
    assert client.get("/editor/coverage").status_code == 200
    assert client.get("/api/coverage").status_code == 200
    assert client.get("/api/coverage?format=csv").status_code == 200


def test_translators_are_refused(client, set_role):
    set_role("translator")
    page = client.get("/editor/coverage")
    assert page.status_code == 403 and "text/html" in page.content_type
    api = client.get("/api/coverage")
    assert api.status_code == 403 and "error" in api.get_json()


def test_anonymous_users_get_the_login_page_or_401(client, set_role):
    set_role(None)
    page = client.get("/editor/coverage?sort=date&stale=1")
    assert page.status_code == 302
    location = urlsplit(page.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/editor/coverage?sort=date&stale=1"]
    api = client.get("/api/coverage?format=csv")
    assert api.status_code == 401 and "error" in api.get_json()


def test_bad_parameters_are_4xx(editor):
    assert editor.get("/api/coverage?format=xml").status_code == 400
    unknown = editor.get("/api/coverage?language=../../etc")
    assert unknown.status_code == 400 and "error" in unknown.get_json()
    assert editor.get("/editor/coverage?language=zz").status_code == 400
    # unknown sort or category fall back to the defaults
    assert editor.get("/editor/coverage?sort=bogus&category=nope").status_code == 200


# --- the same numbers everywhere -----------------------------------------------------------


def test_api_csv_cli_and_dashboard_agree_with_stats_and_msgfmt(editor, runner, tree):
    body = editor.get("/api/coverage").get_json()
    api = {(row["language"], row["domain"]): row for row in body["catalogs"]}
    assert len(api) == 7 and body["errors"] == []

    csv_rows = list(csv.DictReader(io.StringIO(editor.get("/api/coverage?format=csv").get_data(as_text=True))))
    assert {(row["language"], row["domain"]): _normal(row) for row in csv_rows} == {
        key: _normal(row) for key, row in api.items()}

    cli = json.loads(runner.invoke("coverage", "--format", "json").output)
    assert cli["catalogs"] == body["catalogs"] and cli["totals"] == body["totals"]
    cli_csv = runner.invoke("coverage", "--format", "csv").output
    assert list(csv.reader(io.StringIO(cli_csv))) == list(csv.reader(io.StringIO(
        editor.get("/api/coverage?format=csv").get_data(as_text=True))))

    cells = dashboard_cells(editor.get("/editor/coverage").get_data(as_text=True))
    assert set(cells) == set(api)
    for key, row in api.items():
        assert _normal(cells[key]) == _normal(row), key

    paths = {(language, domain): tree / "locales" / language / "LC_MESSAGES" / (
        "messages.po" if domain == "messages" else domain + ".po") for language, domain in api}
    stats = json.loads(runner.invoke("stats", "--format", "json", *map(str, paths.values())).output)
    for (key, path), figures in zip(paths.items(), stats):
        row = api[key]
        assert (figures["translated"], figures["fuzzy"], figures["untranslated"]) == (
            row["translated"], row["fuzzy"], row["untranslated"])
        output = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)],
                                capture_output=True, text=True, check=True).stderr
        found = {kind: int(number) for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", output)}
        assert (found.get("translated", 0), found.get("fuzzy", 0), found.get("untranslated", 0)) == (
            row["translated"], row["fuzzy"], row["untranslated"]), path


def test_sample_content_states(editor):
    api = {(row["language"], row["domain"]): row for row in editor.get("/api/coverage").get_json()["catalogs"]}
    lynx = api[("en", "articles/carpathian-lynx-camera-traps")]
    assert (lynx["state"], lynx["percent"], lynx["stale_since"]) == ("incomplete", 63.6, None)
    lviv = api[("en", "articles/lviv-ryasne-tram-line")]
    assert (lviv["state"], lviv["fuzzy"], lviv["facts_changed"]) == ("stale", 1, 1)
    assert lviv["stale_since"] == "2026-11-25T09:10:00+02:00"
    assert api[("uk", "messages")]["article"] is None


def test_api_language_filter(editor):
    rows = editor.get("/api/coverage?language=uk").get_json()["catalogs"]
    assert rows and {row["language"] for row in rows} == {"uk"}


def test_missing_catalog_counts_as_untranslated(editor, tree):
    (tree / "locales/en/LC_MESSAGES/articles/odesa-ports-grain-exports.po").unlink()
    api = {(row["language"], row["domain"]): row for row in editor.get("/api/coverage").get_json()["catalogs"]}
    odesa = api[("en", "articles/odesa-ports-grain-exports")]
    assert (odesa["state"], odesa["translated"], odesa["untranslated"], odesa["percent"]) == ("incomplete", 0, 14, 0.0)


def test_broken_catalog_is_reported_not_a_500(editor, runner, tree):
    path = tree / "locales/en/LC_MESSAGES/articles/odesa-ports-grain-exports.po"
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "dangling"\n', encoding="utf-8")
    body = editor.get("/api/coverage").get_json()
    assert body["errors"] and "odesa-ports-grain-exports.po:" in body["errors"][0]
    page = editor.get("/editor/coverage")
    assert page.status_code == 200 and "odesa-ports-grain-exports.po:" in page.get_data(as_text=True)
    result = runner.invoke("coverage")
    assert result.exit_code == 1 and "odesa-ports-grain-exports.po:" in result.output


# --- the CLI's exit codes ------------------------------------------------------------------


# --- a changed fact ------------------------------------------------------------------------


def _edit_source(tree, old: str, new: str) -> None:
    path = tree / "content/odesa-ports-grain-exports.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _odesa(editor) -> tuple[dict, dict]:
    api = {(row["language"], row["domain"]): row for row in editor.get("/api/coverage").get_json()["catalogs"]}
    cells = dashboard_cells(editor.get("/editor/coverage").get_data(as_text=True))
    key = ("en", "articles/odesa-ports-grain-exports")
    return api[key], cells[key]


def test_changing_a_number_makes_the_cell_stale_with_the_fact_flag(editor, runner, tree):
    row, _ = _odesa(editor)
    assert row["state"] == "complete"
    _edit_source(tree, "скоротився з 5 до 3,5 доби", "скоротився з 5 до 4 діб")
    assert runner.invoke("extract").exit_code == 0
    assert runner.invoke("update").exit_code == 0
    row, cell = _odesa(editor)
    assert (row["state"], row["fuzzy"], row["facts_changed"]) == ("stale", 1, 1)
    assert row["stale_since"] is not None
    assert (cell["state"], cell["facts_changed"], cell["stale_since"]) == ("stale", "1", row["stale_since"])
    html = editor.get("/editor/coverage?stale=1", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-article="odesa-ports-grain-exports"' in html and "1 changed number" in html


def test_a_pure_rewording_has_no_changed_fact(editor, runner, tree):
    _edit_source(tree, "скоротився з 5 до 3,5 доби", "зменшився з 5 до 3.5 доби")
    runner.invoke("extract")
    runner.invoke("update")
    row, cell = _odesa(editor)
    assert (row["state"], row["facts_changed"], cell["facts_changed"]) == ("stale", 0, "0")
    assert "changed number" not in editor.get("/editor/coverage").get_data(as_text=True).split(
        'data-article="odesa-ports-grain-exports"')[1].split("</tr>")[0]


# --- the dashboard -------------------------------------------------------------------------


def test_dashboard_sorts_and_filters(editor):
    def slugs(query: str) -> list[str]:
        return re.findall(r'data-article="([^"]+)"', editor.get("/editor/coverage" + query).get_data(as_text=True))

    assert slugs("")[0] == "lviv-ryasne-tram-line"  # the only stale one comes first
    assert slugs("?sort=percent")[0] == "carpathian-lynx-camera-traps"
    assert len(slugs("?sort=date")) == 6
    assert slugs("?stale=1") == ["lviv-ryasne-tram-line"]
    assert slugs("?unpublished=1") == ["carpathian-lynx-camera-traps"]
    assert len(slugs("?stale=0&unpublished=off")) == 6  # a filter written out as off is off
    assert set(slugs("?category=society")) >= {"lviv-ryasne-tram-line"}
    only_uk = editor.get("/editor/coverage?language=uk").get_data(as_text=True)
    assert 'data-language="en"' not in only_uk.split('id="articles-title"')[1]


def test_cells_link_to_the_translator_editor(editor):
    html = editor.get("/editor/coverage").get_data(as_text=True)
    assert 'href="/translate/en/articles/carpathian-lynx-camera-traps?state=open"' in html
    assert 'href="/translate/uk/messages?state=open"' in html


def test_dashboard_speaks_the_readers_language(editor, tree, runner):
    english = editor.get("/editor/coverage", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Translation coverage" in english and '<html lang="en">' in english
    editor.set_cookie("lang", "uk")
    ukrainian = editor.get("/editor/coverage").get_data(as_text=True)
    assert '<html lang="uk">' in ukrainian and "Покриття перекладами" in ukrainian and "змінене число" in ukrainian


def test_dashboard_picks_the_language_as_the_reader_and_the_workspace_do(editor):
    # Werkzeug's best_match would pick "en" here: an exact match beats the regional "uk-UA" listed first.
    html = editor.get("/editor/coverage", headers={"Accept-Language": "uk-UA,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="uk">' in html and "Покриття перекладами" in html and "Translation coverage" not in html


def test_chart_is_inline_svg_without_script(editor):
    html = editor.get("/editor/coverage").get_data(as_text=True)
    assert '<svg class="timeline"' in html and html.count("<polyline") == 4  # published and complete, per language
    assert html.count('class="series series-1 complete"') == 1
    assert "<script" not in html and "style=" not in html


def _complete_line(html: str, language: str) -> str:
    name = {"en": "Англійська", "uk": "Українська"}[language]  # the dashboard names languages, in Ukrainian here
    return re.search(rf'<polyline class="series series-\d complete" points="([^"]+)"><title>{name}:', html).group(1)


def test_stale_since_and_the_chart_follow_the_history_after_l10n_update(app, editor, runner, tree):
    before = editor.get("/editor/coverage").get_data(as_text=True)
    _edit_source(tree, "скоротився з 5 до 3,5 доби", "скоротився з 5 до 4 діб")
    assert runner.invoke("extract").exit_code == 0
    assert runner.invoke("update").exit_code == 0
    [transition] = services(app).history.state_transitions()  # written by the CLI, read by the app
    row, cell = _odesa(editor)
    assert row["stale_since"] == transition.at.isoformat()  # to the second: the header has only minutes
    after = editor.get("/editor/coverage").get_data(as_text=True)
    assert _complete_line(after, "en") != _complete_line(before, "en")


def test_dashboard_pages_through_many_articles(editor, monkeypatch):
    from service.web import editor as editor_module

    monkeypatch.setattr(editor_module, "PAGE_SIZE", 4)
    first = editor.get("/editor/coverage?sort=date", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert len(re.findall(r'data-article="', first)) == 4 and "Page 1 of 2" in first and "6 articles" in first
    assert 'href="/editor/coverage?sort=date&amp;page=2"' in first
    second = editor.get("/editor/coverage?sort=date&page=2").get_data(as_text=True)
    assert len(re.findall(r'data-article="', second)) == 2
    assert editor.get("/editor/coverage?page=999").status_code == 200
    assert editor.get("/editor/coverage?page=-1").status_code == 200


@pytest.mark.parametrize("page", ["²", "٣", "9" * 5000, " 2"])
def test_a_page_number_that_is_not_ascii_digits_shows_the_first_page(editor, monkeypatch, page):
    from service.web import editor as editor_module

    monkeypatch.setattr(editor_module, "PAGE_SIZE", 4)
    response = editor.get("/editor/coverage", query_string={"page": page}, headers={"Accept-Language": "en"})
    assert response.status_code == 200 and "Page 1 of" in response.text
