from __future__ import annotations

import json
import re

import pytest

from .conftest import csrf_token_from
from service.web.extension import services
from service.domain.editing import entry_id_of, save_entry
from service.domain.names import CatalogKey
from service.storage.po_files import read_catalog

LYNX = "articles/carpathian-lynx-camera-traps"
TRAM = "articles/lviv-ryasne-tram-line"


@pytest.fixture
def translator(client, add_user, login):
    credentials = add_user("olena", "translator", "en")
    login(credentials)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertions read the English UI
    return credentials


def entry_ids(html):
    return list(dict.fromkeys(re.findall(r"/entries/([0-9a-f]{16})", html)))


def test_index_lists_only_the_translators_languages_with_progress(client, translator):
    page = client.get("/translate/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert LYNX in page.text and "nordic-baltic" not in page.text
    assert "<svg class=\"progress\"" in page.text


def test_another_languages_catalog_is_forbidden(client, translator):
    assert client.get("/translate/uk/messages").status_code == 403
    assert client.get(f"/translate/uk/articles/nordic-baltic-grid-repair-fund/entries/{'0' * 16}").status_code == 403


def test_unknown_catalog_and_entry_are_404(client, translator):
    assert client.get("/translate/en/articles/nope").status_code == 404
    assert client.get(f"/translate/en/{LYNX}/entries/{'0' * 16}").status_code == 404
    assert client.get("/translate/en/../../etc/passwd").status_code == 404


@pytest.mark.parametrize("state, expected", [("untranslated", 4), ("fuzzy", 0), ("translated", 7), ("all", 11)])
def test_entries_filter_by_state(client, translator, state, expected):
    page = client.get(f"/translate/en/{LYNX}?state={state}", headers={"Accept-Language": "en"})
    assert len(entry_ids(page.text.split("<table class=\"entries\">")[1].split("</table>")[0])) == expected


def test_entries_filter_failing_a_check(client, translator, tree):
    path = tree / f"locales/en/LC_MESSAGES/{TRAM}.po"
    path.write_text(path.read_text().replace('msgstr "What residents will get"', 'msgstr "Що отримають мешканці?"'))
    page = client.get(f"/translate/en/{TRAM}?state=failing")
    listed = entry_ids(page.text.split("<table class=\"entries\">")[1].split("</table>")[0])
    # The heading (Ukrainian text, "?"), and the fuzzy paragraph whose source now says 16, not 14 months.
    assert listed[0] == entry_id_of("heading", "Що отримають мешканці") and len(listed) == 2


def test_entries_search_source_and_translation(client, translator):
    by_source = client.get(f"/translate/en/{TRAM}?q=Шевченка").text
    by_translation = client.get(f"/translate/en/{TRAM}?q=shevchenko street").text
    table = lambda html: entry_ids(html.split("<table class=\"entries\">")[1].split("</table>")[0])  # noqa: E731
    assert len(table(by_source)) == 2
    assert len(table(by_translation)) == 2


def test_entries_are_paginated(client, app, translator, tree):
    path = tree / "locales/en/LC_MESSAGES/articles/lviv-ryasne-tram-line.po"
    extra = "".join(f'\nmsgctxt "paragraph"\nmsgid "Абзац {n}."\nmsgstr ""\n' for n in range(40))
    path.write_text(path.read_text() + extra)
    first = client.get(f"/translate/en/{TRAM}?state=untranslated", headers={"Accept-Language": "en"})
    assert "Page 1 of 2" in first.text
    second = client.get(f"/translate/en/{TRAM}?state=untranslated&page=2")
    assert len(entry_ids(second.text.split("<table class=\"entries\">")[1].split("</table>")[0])) == 15
    assert client.get(f"/translate/en/{TRAM}?page=abc").status_code == 200


def test_edit_page_shows_context_neighbours_and_live_link(client, translator):
    entry_id = entry_id_of("heading", "Як упізнати рись")
    page = client.get(f"/translate/en/{LYNX}/entries/{entry_id}", headers={"Accept-Language": "en"}).text
    assert "subheading 1" in page and "content/carpathian-lynx-camera-traps.md:" in page
    assert 'href="/en/articles/carpathian-lynx-camera-traps"' in page
    assert "Around this segment" in page
    assert 'name="msgstr"' in page and 'name="csrf_token"' in page


def test_still_correct_is_refused_while_the_numbers_differ_and_numbers_checked_allows_it(client, translator, tree):
    catalog_page = client.get(f"/translate/en/{TRAM}?state=fuzzy").text
    (entry_id,) = entry_ids(catalog_page.split("<table class=\"entries\">")[1].split("</table>")[0])
    url = f"/translate/en/{TRAM}/entries/{entry_id}"
    page = client.get(url).text
    assert "<del>14</del><ins>16</ins>" in page
    path = tree / f"locales/en/LC_MESSAGES/{TRAM}.po"
    before = path.read_bytes()
    refused = post_entry(client, page, url, action="still-correct")
    assert refused.status_code == 422
    assert "changed facts" in refused.text and "now: 16" in refused.text and "14" in refused.text
    assert path.read_bytes() == before  # nothing stored
    allowed = post_entry(client, refused.text, url, action="still-correct", numbers_checked="on")
    assert allowed.status_code == 302
    text = path.read_text()
    assert "#, fuzzy" not in text and "#| msgid" not in text and "#, numbers-checked" in text
    assert "X-Stale-Since" not in text


def test_the_refusal_of_still_correct_speaks_the_workspace_language(client, translator, tree):
    fuzzy = next(e for e in read_catalog(tree / f"locales/en/LC_MESSAGES/{TRAM}.po") if e.fuzzy)
    url = f"/translate/en/{TRAM}/entries/{entry_id_of(fuzzy.msgctxt, fuzzy.msgid)}"
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "uk"
    refused = post_entry(client, client.get(url).text, url, action="still-correct")
    assert refused.status_code == 422 and "Числа в оригіналі змінилися" in refused.text


def test_fixing_the_figure_clears_fuzzy(client, translator, tree):
    fuzzy = next(e for e in read_catalog(tree / f"locales/en/LC_MESSAGES/{TRAM}.po") if e.fuzzy)
    url = f"/translate/en/{TRAM}/entries/{entry_id_of(fuzzy.msgctxt, fuzzy.msgid)}"
    response = post_entry(client, client.get(url).text, url, action="save", msgstr=fuzzy.msgstr.replace("14", "16"))
    assert response.status_code == 302
    assert "#, fuzzy" not in (tree / f"locales/en/LC_MESSAGES/{TRAM}.po").read_text()


def unescape(value):
    import html

    return html.unescape(value)


def post_entry(client, page, url, **fields):
    base = unescape(re.search(r'name="base" value="([^"]*)"', page).group(1))
    return client.post(url, data={"csrf_token": csrf_token_from(page), "base": base, **fields})


def test_save_and_next_goes_to_the_next_entry_of_the_filtered_list(client, translator):
    listing = client.get(f"/translate/en/{LYNX}?state=untranslated").text
    ids = entry_ids(listing.split("<table class=\"entries\">")[1].split("</table>")[0])
    url = f"/translate/en/{LYNX}/entries/{ids[0]}"
    page = client.get(url + "?state=untranslated").text
    response = post_entry(client, page, url, msgstr="How to recognise a lynx", action="save-next", state="untranslated")
    assert response.status_code == 302
    assert f"/entries/{ids[1]}" in response.location and "state=untranslated" in response.location
    following = client.get(response.location, headers={"Accept-Language": "en"}).text
    assert "Saved." in following


def test_save_with_an_error_shows_the_checks_and_keeps_the_text(client, translator, tree):
    path = tree / f"locales/en/LC_MESSAGES/{TRAM}.po"
    before = path.read_bytes()
    entry_id = entry_id_of("paragraph", next(line for line in path.read_text().splitlines()
                                        if line.startswith('msgid "Графік робіт'))[7:-1])
    url = f"/translate/en/{TRAM}/entries/{entry_id}"
    page = client.get(url).text
    response = post_entry(client, page, url, msgstr="Schedule on the city portal.", action="save")
    assert response.status_code == 422
    assert "markup" in response.text and "Schedule on the city portal." in response.text
    assert path.read_bytes() == before


def test_save_shows_warnings_after_saving(client, translator):
    entry_id = entry_id_of("heading", "Як упізнати рись")
    url = f"/translate/en/{LYNX}/entries/{entry_id}"
    response = post_entry(client, client.get(url).text, url, msgstr="Як упізнати рись", action="save")
    page = client.get(response.location, headers={"Accept-Language": "en"}).text
    assert "The saved translation has warnings" in page and "same-as-source" in page


def test_conflicting_save_shows_the_other_text_and_keeps_mine(client, app, translator):
    entry_id = entry_id_of("heading", "Як упізнати рись")
    url = f"/translate/en/{LYNX}/entries/{entry_id}"
    page = client.get(url).text
    stores = services(app)
    save_entry(stores.catalogs, stores.history, CatalogKey("en", LYNX), entry_id, "Recognising a lynx", "", "ivan")
    response = post_entry(client, page, url, msgstr="How to recognise a lynx", action="save")
    assert response.status_code == 409
    assert "Recognising a lynx" in response.text and "How to recognise a lynx" in response.text
    again = post_entry(client, response.text, url, msgstr="How to recognise a lynx", action="save")
    assert again.status_code == 302  # the second try started from the winner's text


def test_history_lists_changes_and_reverts_one(client, translator, tree):
    entry_id = entry_id_of("heading", "Як упізнати рись")
    url = f"/translate/en/{LYNX}/entries/{entry_id}"
    post_entry(client, client.get(url).text, url, msgstr="First text", action="save")
    post_entry(client, client.get(url).text, url, msgstr="Second text", action="save")
    page = client.get(url).text
    assert page.count('value="revert-') == 2 and "olena" in page
    row_id = re.findall(r'value="revert-(\d+)"', page)[0]  # newest first: First → Second
    response = post_entry(client, page, url, action=f"revert-{row_id}")
    assert response.status_code == 302
    assert 'msgstr "First text"' in (tree / f"locales/en/LC_MESSAGES/{LYNX}.po").read_text()
    bogus = post_entry(client, client.get(url).text, url, action="revert-99999")
    assert bogus.status_code == 400


def test_history_of_an_entry_leaves_out_the_catalogs_state_change(app, client, translator, tree):
    fuzzy = next(e for e in read_catalog(tree / f"locales/en/LC_MESSAGES/{TRAM}.po") if e.fuzzy)
    url = f"/translate/en/{TRAM}/entries/{entry_id_of(fuzzy.msgctxt, fuzzy.msgid)}"
    response = post_entry(client, client.get(url).text, url, action="still-correct", numbers_checked="on")
    assert response.status_code == 302
    assert [t.new for t in services(app).history.state_transitions()] == ["complete"]
    page = client.get(url).text
    assert page.count('value="revert-') == 1 and 'class="state"' not in page


def test_plural_form_fields_are_labelled(client, add_user, login, tree):
    path = tree / "locales/uk/LC_MESSAGES/messages.po"
    path.write_text(path.read_text() + '\n#, python-format\nmsgid "%(num)d minute"\nmsgid_plural "%(num)d minutes"\n'
                    'msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n')
    login(add_user("mariia", "translator", "uk"))
    entry_id = entry_id_of(None, "%(num)d minute")
    url = f"/translate/uk/messages/entries/{entry_id}"
    page = client.get(url).text
    assert all(f'name="msgstr_{index}"' in page for index in range(3))
    assert "<strong>one</strong>" in page and "1, 21, 31" in page
    assert "<strong>few</strong>" in page and "2, 3, 4, 22" in page
    assert "<strong>many</strong>" in page and "0, 5, 6, 7" in page
    response = post_entry(client, page, url, msgstr_0="%(num)d хвилина", msgstr_1="%(num)d хвилини",
                          msgstr_2="%(num)d хвилин", action="save")
    assert response.status_code == 302
    assert 'msgstr[2] "%(num)d хвилин"' in path.read_text()


def test_upload_page_reports_a_broken_file(client, translator, tree):
    page = client.get(f"/translate/en/{LYNX}").text
    from io import BytesIO
    response = client.post(f"/translate/en/{LYNX}/upload", data={
        "csrf_token": csrf_token_from(page), "file": (BytesIO(b'msgid "x"\nmsgstr "y\n'), "broken.po")},
        content_type="multipart/form-data", headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "line 2" in response.text


def test_form_with_a_tampered_base_is_refused(client, translator):
    entry_id = entry_id_of("heading", "Як упізнати рись")
    url = f"/translate/en/{LYNX}/entries/{entry_id}"
    page = client.get(url).text
    response = client.post(url, data={"csrf_token": csrf_token_from(page), "base": "{not json", "msgstr": "x"})
    assert response.status_code == 400


def test_form_with_a_plural_base_keyed_by_other_digits_is_refused(client, add_user, login, tree):
    path = tree / "locales/uk/LC_MESSAGES/messages.po"
    path.write_text(path.read_text() + '\nmsgid "one lynx"\nmsgid_plural "%(num)d lynxes"\n'
                    'msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n')
    login(add_user("mariia", "translator", "uk"))
    url = f"/translate/uk/messages/entries/{entry_id_of(None, 'one lynx')}"
    page = client.get(url).text
    for base in ({"²": "a"}, {"9" * 5000: "a"}):
        response = client.post(url, data={"csrf_token": csrf_token_from(page), "base": json.dumps(base),
                                          "msgstr_0": "x", "action": "save"})
        assert response.status_code == 400


@pytest.mark.parametrize("action", ["revert-99999999999999999999999", "revert-9223372036854775808", "revert-²", "revert-"])
def test_revert_of_an_impossible_history_id_is_refused(client, translator, action):
    entry_id = entry_id_of("heading", "Як упізнати рись")
    url = f"/translate/en/{LYNX}/entries/{entry_id}"
    assert post_entry(client, client.get(url).text, url, action=action).status_code == 400


def test_form_with_a_base_nested_too_deep_is_refused(client, translator):
    entry_id = entry_id_of("heading", "Як упізнати рись")
    url = f"/translate/en/{LYNX}/entries/{entry_id}"
    page = client.get(url).text
    response = client.post(url, data={"csrf_token": csrf_token_from(page), "base": "[" * 100_000, "msgstr": "x"})
    assert response.status_code == 400


def test_403_for_another_language_comes_before_the_csrf_check_in_forms(client, translator):
    entry_id = entry_id_of(None, "Politics")
    assert client.post(f"/translate/uk/messages/entries/{entry_id}", data={"msgstr": "x", "base": '""'}).status_code == 403
    assert client.post("/translate/uk/messages/upload", data={}).status_code == 403


def test_every_form_post_still_needs_the_csrf_token(client, translator):
    entry_id = entry_id_of("heading", "Як упізнати рись")
    saved = client.post(f"/translate/en/{LYNX}/entries/{entry_id}", data={"msgstr": "x", "base": '""', "action": "save"})
    assert saved.status_code == 400
    assert client.post(f"/translate/en/{LYNX}/upload", data={}).status_code == 400


def test_the_dashboards_open_link_lists_the_untranslated_and_fuzzy_entries(client, add_user, login):
    credentials = add_user("ivan", "editor")
    login(credentials)
    dashboard = client.get("/editor/coverage").text
    link = f"/translate/en/{TRAM}?state=open"
    assert f'href="{link}"' in dashboard
    entries = client.get(f"/api/catalogs/en/{TRAM}", headers={"Authorization": f"Bearer {credentials.token}"}
                         ).get_json()["entries"]
    open_ids = [entry["id"] for entry in entries if entry["state"] in ("untranslated", "fuzzy")]
    assert any(entry["state"] == "fuzzy" for entry in entries) and len(open_ids) < len(entries)
    page = client.get(link, headers={"Accept-Language": "en"}).text
    assert entry_ids(page.split('<table class="entries">')[1].split("</table>")[0]) == open_ids
    assert 'value="open" checked' in page and "untranslated or fuzzy" in page


def test_the_open_filter_is_labelled_in_ukrainian(client, translator):
    page = client.get(f"/translate/en/{TRAM}?state=open", headers={"Accept-Language": "uk"}).text
    assert "не перекладено або неточні" in page


def test_fixing_a_fuzzy_entry_and_saving_the_form_as_it_comes_clears_fuzzy(client, translator, tree):
    fuzzy = next(e for e in read_catalog(tree / f"locales/en/LC_MESSAGES/{TRAM}.po") if e.fuzzy)
    url = f"/translate/en/{TRAM}/entries/{entry_id_of(fuzzy.msgctxt, fuzzy.msgid)}"
    page = client.get(url).text
    # A save is a review (as over the API): the "needs review" box starts unticked, so what the
    # browser sends for the form as shown clears the flag.
    fields = {"msgstr": fuzzy.msgstr.replace("14 months", "16 months"), "action": "save-next"}
    if re.search(r'<input type="checkbox" name="fuzzy" checked', page):
        fields["fuzzy"] = "on"
    assert post_entry(client, page, url, **fields).status_code == 302
    saved = next(e for e in read_catalog(tree / f"locales/en/LC_MESSAGES/{TRAM}.po") if e.msgid == fuzzy.msgid)
    assert "16 months" in saved.msgstr and not saved.fuzzy


def test_saving_the_last_entry_of_a_list_says_so_on_the_list_not_later_on_another_entry(client, translator, tree):
    fuzzy = next(e for e in read_catalog(tree / f"locales/en/LC_MESSAGES/{TRAM}.po") if e.fuzzy)
    entry_id = entry_id_of(fuzzy.msgctxt, fuzzy.msgid)
    url = f"/translate/en/{TRAM}/entries/{entry_id}"
    page = client.get(url + "?state=fuzzy").text
    response = post_entry(client, page, url, msgstr=fuzzy.msgstr.replace("14 months", "16 months"),
                          action="save-next", state="fuzzy")
    assert response.status_code == 302 and f"/translate/en/{TRAM}?" in response.location
    listing = client.get(response.location, headers={"Accept-Language": "en"}).text
    assert "Saved." in listing and "That was the last entry of this list." in listing
    assert f"/entries/{entry_id}" in listing  # a link back to the entry just saved
    other = client.get(f"/translate/en/{TRAM}", headers={"Accept-Language": "en"}).text
    first = entry_ids(other.split("<table class=\"entries\">")[1].split("</table>")[0])[0]
    assert "Saved." not in client.get(f"/translate/en/{TRAM}/entries/{first}", headers={"Accept-Language": "en"}).text


def test_upload_page_lists_the_entries_of_the_file_that_are_not_in_the_catalog_with_their_line(client, translator):
    from io import BytesIO

    page = client.get(f"/translate/en/{LYNX}").text
    text = client.get(f"/api/catalogs/en/{LYNX}/po").data.decode()
    text += '\nmsgctxt "paragraph"\nmsgid "A paragraph the source no longer has"\nmsgstr "Gone"\n'
    line = text.count("\n", 0, text.index('msgctxt "paragraph"\nmsgid "A paragraph the source')) + 1
    response = client.post(f"/translate/en/{LYNX}/upload", data={
        "csrf_token": csrf_token_from(page), "file": (BytesIO(text.encode()), "old.po")},
        content_type="multipart/form-data", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Not in the catalog" in response.text and f"line {line}" in response.text
    assert "A paragraph the source no longer has" in response.text


def test_a_refused_save_says_so_at_the_top_of_the_page(client, translator, tree):
    entry_id = entry_id_of("heading", "Як упізнати рись")
    url = f"/translate/en/{LYNX}/entries/{entry_id}"
    response = post_entry(client, client.get(url).text, url, msgstr="How to *recognise a lynx", action="save-next")
    assert response.status_code == 422
    top = response.text.split('<div class="editor">')[0]  # above the form: seen first on a phone too
    assert 'role="alert"' in top and "unbalanced emphasis marker" in top


def test_search_looks_at_the_texts_not_at_the_gettext_context(client, translator):
    # Every paragraph has msgctxt "paragraph"; none of this article's texts says "paragraph".
    page = client.get(f"/translate/en/{TRAM}?q=paragraph").text
    assert entry_ids(page.split("<table class=\"entries\">")[1].split("</table>")[0]) == []


def test_catalog_list_is_paged(client, translator, monkeypatch):
    from service.web import translate
    monkeypatch.setattr(translate, "CATALOG_PAGE_SIZE", 3)
    first = client.get("/translate/?state=all").text
    second = client.get("/translate/?state=all&page=2").text
    listed = lambda html: re.findall(r'href="/translate/en/(articles/[a-z0-9-]+)"', html)  # noqa: E731
    assert len(listed(first)) == 3 and len(listed(second)) == 1 and not set(listed(first)) & set(listed(second))
    assert "Page 1 of 2" in first and 'rel="next" href="/translate/?page=2&amp;state=all"' in first


def test_catalog_list_counts_checks_of_the_shown_catalogs_only(client, translator, app, monkeypatch):
    from service.web import translate
    monkeypatch.setattr(translate, "CATALOG_PAGE_SIZE", 1)
    store = services(app).catalogs
    assert client.get("/translate/").status_code == 200
    assert store.cache_sizes()["parsed"] == 0  # counts come from the statistics, not a parse of every catalog
    assert store._checks.loads == 1  # only the one shown catalog's checks were run


def test_catalog_list_filters_by_state_and_finds_an_article_by_title(client, translator):
    needs_work = client.get("/translate/?state=needs-work").text
    assert LYNX in needs_work and "odesa-ports-grain-exports" not in needs_work  # incomplete / complete
    complete = client.get("/translate/?state=complete").text
    assert "odesa-ports-grain-exports" in complete and LYNX not in complete
    found = client.get("/translate/", query_string={"q": "рисей"}).text  # a word of the lynx article's title
    assert LYNX in found and TRAM not in found and "1 catalog" in found
    assert "No catalogs match." in client.get("/translate/?q=no-such-article").text


def test_catalog_list_puts_the_catalogs_that_need_work_first(client, translator):
    page = client.get("/translate/?state=all").text
    listed = re.findall(r'href="/translate/en/(articles/[a-z0-9-]+)"', page)
    states = re.findall(r'<span class="state (\w+)">', page)
    assert states == sorted(states, key=["stale", "incomplete", "complete"].index) and len(states) == len(listed)


def test_a_translator_lands_on_what_needs_them_now_stale_first_then_newest(client, translator, app):
    page = client.get("/translate/").text
    listed = re.findall(r'href="/translate/(en/[a-z0-9/-]+)"', page.split('<table class="catalogs">')[1])
    states = re.findall(r'<span class="state (\w+)">', page)
    assert "complete" not in states and states == sorted(states, key=["stale", "incomplete"].index)
    assert all(code.startswith("en/") for code in listed)  # only the translator's language
    articles = services(app).sources.articles()
    for state in ("stale", "incomplete"):
        dates = [articles[domain.removeprefix("en/articles/")].published
                 for domain, shown in zip([d for d in listed if d.startswith("en/articles/")], states) if shown == state]
        assert dates == sorted(dates, reverse=True)  # newest articles first within each state
    assert 'value="needs-work" checked' in page
    assert "odesa-ports-grain-exports" in client.get("/translate/?state=all").text  # complete ones one click away


def test_catalog_list_shows_the_article_title_in_its_language_and_the_slug_beside(client, translator):
    page = client.get("/translate/?state=all").text
    assert ('<span class="title" lang="uk">Фотопастки в Карпатах нарахували щонайменше 46 рисей</span></a>'
            '\n        <br><span class="slug">carpathian-lynx-camera-traps</span>') in page
    assert ">English</td>" in page and '<span class="code"' not in page.split('<table class="catalogs">')[1]


def test_an_entry_page_checks_that_entry_only_unless_the_list_is_of_failing_ones(client, app, translator, tree,
                                                                                    monkeypatch):
    path = tree / f"locales/en/LC_MESSAGES/{TRAM}.po"
    path.write_text(path.read_text().replace('msgstr "What residents will get"', 'msgstr "Що отримають мешканці?"'))
    heading = entry_id_of("heading", "Що отримають мешканці")
    store = services(app).catalogs
    whole = store.entry_checks
    calls = []
    monkeypatch.setattr(store, "entry_checks", lambda *args: calls.append(args) or whole(*args))
    page = client.get(f"/translate/en/{TRAM}/entries/{heading}")
    assert page.status_code == 200 and calls == []
    assert "Ukrainian, not English" in page.text  # the entry's own check still speaks
    failing = client.get(f"/translate/en/{TRAM}/entries/{heading}?state=failing")
    assert calls and 'class="skip"' in failing.text  # the next failing entry needs every entry's results


def test_search_finds_a_typographic_apostrophe_typed_as_a_plain_one(client, translator):
    # The summary says "з’єднає" (U+2019); a keyboard types "з'єднає".
    table = lambda html: entry_ids(html.split("<table class=\"entries\">")[1].split("</table>")[0])
    typed = table(client.get(f"/translate/en/{TRAM}?q=з'єднає").text)
    assert typed == table(client.get(f"/translate/en/{TRAM}?q=з’єднає").text) and len(typed) == 1
