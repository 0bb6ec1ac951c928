"""The translation memory and glossary stores over a private tree, and their commands (integration)."""
from __future__ import annotations

import os

import pytest

from service.bootstrap import build_services
from service.config import load_settings
from service.storage import memory as memory_module
from service.domain.editing import entry_id_of, save_entry, translation_of
from service.domain.names import CatalogKey
from service.domain.uploads import upload_po
from service.storage.po_files import read_catalog

from ..conftest import tree_settings

LYNX = "articles/carpathian-lynx-camera-traps"
TRAM = "articles/lviv-ryasne-tram-line"
SEEN = "Рись у Києві бачили вперше за сто років."


def add_entries(tree, language, domain, *entries):
    """Append ``(msgctxt, msgid, msgstr)`` entries to a catalog (as an editor would, in place)."""
    path = tree / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
    text = "".join(f'\nmsgctxt "{ctx}"\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n' for ctx, msgid, msgstr in entries)
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture
def services(tree):
    return build_services(load_settings(tree_settings(tree)))


def suggestions(services, language, domain, msgctxt, msgid):
    return [(s.source, s.translation, s.score, s.domain) for s in services.memory.suggest(language, domain, msgctxt, msgid)]


def test_built_on_first_use_from_every_catalog_reviewed_singular_entries(services, tree):
    assert not (tree / "instance" / "memory.sqlite3").exists()
    catalog = read_catalog(tree / "locales/en/LC_MESSAGES" / f"{LYNX}.po")
    title = next(e for e in catalog if e.msgctxt == "title")
    found = suggestions(services, "en", "articles/new-story", "title", title.msgid)
    assert found[0] == (title.msgid, title.msgstr, 100, LYNX)
    units = services.memory.units()
    assert {unit.language for unit in units} == {"en", "uk"}
    assert not [u for u in units if u.domain == LYNX and not u.translation]
    assert {u.source_language for u in units if u.domain == LYNX} == {"uk"}
    assert {u.source_language for u in units if u.domain == "messages"} == {"en"}


def test_a_save_teaches_the_memory_without_reading_the_catalog_again(services, tree, monkeypatch):
    add_entries(tree, "en", LYNX, ("paragraph", SEEN, ""))
    services.memory.refresh()
    assert suggestions(services, "en", TRAM, "paragraph", SEEN) == []
    monkeypatch.setattr(memory_module, "_read", lambda path: pytest.fail(f"{path} read again"))
    entry_id = entry_id_of("paragraph", SEEN)
    save_entry(services.catalogs, services.history, CatalogKey("en", LYNX), entry_id, "A lynx was seen in Kyiv.", "", "olena")
    assert suggestions(services, "en", TRAM, "paragraph", SEEN) == [(SEEN, "A lynx was seen in Kyiv.", 100, LYNX)]
    save_entry(services.catalogs, services.history, CatalogKey("en", LYNX), entry_id, "A lynx was seen in Kyiv.", "A lynx was seen in Kyiv.",
                                 "olena", fuzzy=True)
    assert suggestions(services, "en", TRAM, "paragraph", SEEN) == []  # fuzzy: not a reviewed translation


def test_another_process_sees_a_save_through_the_database(services, tree):
    add_entries(tree, "en", LYNX, ("paragraph", SEEN, ""))
    other = build_services(load_settings(tree_settings(tree)))
    assert suggestions(other, "en", TRAM, "paragraph", SEEN) == []
    save_entry(services.catalogs, services.history, CatalogKey("en", LYNX), entry_id_of("paragraph", SEEN), "Seen in Kyiv.", "", "olena")
    assert suggestions(other, "en", TRAM, "paragraph", SEEN)[0][1] == "Seen in Kyiv."


def test_an_upload_teaches_the_memory(services, tree):
    add_entries(tree, "en", LYNX, ("paragraph", SEEN, ""))
    services.memory.refresh()
    upload = f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgctxt "paragraph"\nmsgid "{SEEN}"\nmsgstr "Uploaded."\n'
    report = upload_po(services.catalogs, services.snapshots, services.history, CatalogKey("en", LYNX), upload.encode(), "olena")
    assert len(report.applied) == 1
    assert suggestions(services, "en", TRAM, "paragraph", SEEN)[0][1] == "Uploaded."


def test_a_catalog_replaced_from_outside_is_read_again(services, tree):
    services.memory.refresh()
    path = tree / "locales/en/LC_MESSAGES" / f"{LYNX}.po"
    replacement = path.with_name("replacement.tmp")
    replacement.write_text(path.read_text(encoding="utf-8") + f'\nmsgctxt "paragraph"\nmsgid "{SEEN}"\nmsgstr "From git."\n',
                           encoding="utf-8")
    os.replace(replacement, path)  # as git and most editors write
    assert suggestions(services, "en", TRAM, "paragraph", SEEN)[0][1] == "From git."
    path.unlink()
    assert suggestions(services, "en", TRAM, "paragraph", SEEN) == []


def test_l10n_update_tells_the_memory_what_became_fuzzy(services, tree, runner):
    source = tree / "content" / "carpathian-lynx-camera-traps.md"
    catalog = read_catalog(tree / "locales/en/LC_MESSAGES" / f"{LYNX}.po")
    title = next(e for e in catalog if e.msgctxt == "title")
    assert suggestions(services, "en", TRAM, "title", title.msgid)[0][2] == 100
    source.write_text(source.read_text(encoding="utf-8").replace(title.msgid, title.msgid + " у 2024 році"),
                      encoding="utf-8")
    assert runner.invoke("extract").exit_code == 0
    assert runner.invoke("update").exit_code == 0
    catalog = read_catalog(tree / "locales/en/LC_MESSAGES" / f"{LYNX}.po")
    assert next(e for e in catalog if e.msgctxt == "title").fuzzy
    assert not [s for s in suggestions(services, "en", TRAM, "title", title.msgid) if s[2] == 100]


def test_tm_export_and_import_round_trip(services, tree, runner):
    exported = tree / "memory.tmx"
    result = runner.invoke("tm", "export", str(exported))
    assert result.exit_code == 0, result.output
    data = exported.read_text(encoding="utf-8")
    assert '<tuv xml:lang="uk">' in data and '<tuv xml:lang="en">' in data and "x-domain" in data
    foreign = tree / "foreign.tmx"
    foreign.write_text('<?xml version="1.0"?><tmx version="1.4"><header srclang="uk-UA"/><body>'
                       f'<tu><tuv xml:lang="uk-UA"><seg>{SEEN}</seg></tuv><tuv xml:lang="en-GB"><seg>Imported.</seg></tuv>'
                       '</tu></body></tmx>', encoding="utf-8")
    result = runner.invoke("tm", "import", str(foreign))
    assert result.exit_code == 0 and "1 new or changed" in result.output
    assert suggestions(services, "en", TRAM, "paragraph", SEEN) == [(SEEN, "Imported.", 100, "tmx")]


def test_tm_import_of_broken_xml_names_the_line_and_changes_nothing(services, tree, runner):
    before = services.memory.units()
    broken = tree / "broken.tmx"
    broken.write_text('<tmx version="1.4">\n<body>\n<tu><tuv xml:lang="en"><seg>a</seg></tuv>\n</body>\n</tmx>\n')
    result = runner.invoke("tm", "import", str(broken))
    assert result.exit_code == 1
    assert f"{broken}:4: not well-formed XML" in result.output
    assert services.memory.units() == before


def test_glossary_commands_round_trip_and_l10n_check_warns(services, tree, runner):
    terms = tree / "terms.csv"
    terms.write_text("term,translation,note,forbidden\nрись,lynx,the animal,bobcat; wildcat\n", encoding="utf-8")
    result = runner.invoke("glossary", "import", "en", str(terms))
    assert result.exit_code == 0 and "1 added" in result.output
    assert [t.forbidden for t in services.glossaries.terms("en")] == [("bobcat", "wildcat")]
    exported = tree / "out.tbx"
    assert runner.invoke("glossary", "export", "en", str(exported)).exit_code == 0
    assert "deprecatedTerm-admn-sts" in exported.read_text(encoding="utf-8")
    assert runner.invoke("glossary", "import", "en", str(exported)).output.count("0 added, 0 changed") == 1

    path = tree / "locales/en/LC_MESSAGES" / f"{LYNX}.po"
    catalog = read_catalog(path)
    entry = next(e for e in catalog if e.msgctxt == "title")
    save_entry(services.catalogs, services.history, CatalogKey("en", LYNX), entry_id_of(entry.msgctxt, entry.msgid),
                                 translation_of(entry).replace("lynx", "bobcats"), translation_of(entry), "olena")
    result = runner.invoke("check", "--language", "en", "--format", "json")
    assert '"check": "glossary"' in result.output and "bobcat" in result.output


@pytest.mark.parametrize("content, words", [
    ("term,translation\nрись,\n", ":2: translation must be a non-empty string"),
    ("слово,переклад\nрись,lynx\n", ":1: the first row must name the columns"),
])
def test_glossary_import_of_a_bad_file_names_the_line_and_changes_nothing(services, tree, runner, content, words):
    bad = tree / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    result = runner.invoke("glossary", "import", "en", str(bad))
    assert result.exit_code == 1 and words in result.output
    assert services.glossaries.terms("en") == []
    assert runner.invoke("glossary", "import", "xx", str(bad)).exit_code == 2
