"""Properties over hostile input (issue 9, part 6): whatever a reader, translator or author sends,
the answer is a supported language, a clear refusal, or files that our reader and GNU ``msgfmt -c``
both accept — and a refusal changes nothing.

Each property runs a bounded, reproducible number of examples (``derandomize``). The strategies
mix Hypothesis' own text with the inputs known to be dangerous: line breaks at the ends, the
Unicode line separators that Python's ``str.splitlines`` honours (U+2028, U+2029, U+0085, and
``\\v``, ``\\f``, ``\\x1c``–``\\x1e``), ``\\b``, a lone ``%``, control characters and very long lines.

The inputs that once saved into a catalog that no longer read (issue 9 parts 1 and 2) are pinned by
the reproducers at the end, one each.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from service.domain.articles import SourceError, parse_article
from service.domain.negotiation import negotiate_language
from service.web.accept_language import language_ranges
from service.domain.po_format import format_catalog, parse_catalog
from service.pipeline import article_template
from service.domain.editing import entry_id_of
from service.storage.po_files import read_catalog

from ..conftest import app_with_admin, copy_tree
from ..gnu_gettext import msgfmt_check

LANGUAGES = ["uk", "en"]
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])

#: Characters that broke something once, or that Python and GNU gettext disagree about.
DANGEROUS = [
    "\n", "\r", "\r\n", "\t", "\u2028", "\u2029", "\x85", "\b", "\f", "\v", "\x00", "\x1b", "\x1c", "\x1e",
    "\x7f", "\ud800", "\ufeff", "%", "%%", "%(", "%(name)s", "%s", "{", "{0}", "\\", "\\n", '"', "#", "*", "**",
    "[", "](", "<b>", "msgstr", "\u0301", "’", "«", "…", " ",
]


def dangerous_text(max_pieces: int = 8) -> st.SearchStrategy[str]:
    """Short texts built from dangerous pieces and ordinary words, plus Hypothesis' own text."""
    piece = st.one_of(st.sampled_from(DANGEROUS), st.sampled_from(["Редакція", "100", "news", "Київ", "2024"]),
                      st.text(max_size=6))
    return st.one_of(
        st.lists(piece, min_size=1, max_size=max_pieces).map("".join),
        st.text(max_size=40),
        st.builds(lambda unit, count: unit * count, st.sampled_from(["а", "ab ", "%", "\n"]),
                  st.integers(500, 5000)),  # very long lines
    )


# --- (a) negotiation ---------------------------------------------------------------------------

header_values = st.one_of(
    st.text(max_size=80),
    st.lists(st.tuples(st.sampled_from(["uk", "UK-ua", "en", "en-GB", "ru", "*", "", "uk_UA", "x-klingon", "é",
                                        "en;q=", "uk;q=abc", "q=0"]),
                       st.one_of(st.none(), st.sampled_from(["0", "1", "0.5", "-1", "2", "nan", "1e9", ""]))),
             max_size=40).map(lambda ranges: ",".join(tag if q is None else f"{tag};q={q}" for tag, q in ranges)),
    st.builds(lambda unit, count: unit * count, st.sampled_from(["uk,", "en;q=0.1,", "x" * 50, ",", ";"]),
              st.integers(1, 3000)),
)
cookie_values = st.one_of(st.none(), st.text(max_size=60), st.sampled_from(["uk", "EN", " uk ", "uk\x00", "en\n"]))


@PROPERTY
@given(cookie=cookie_values, accept_language=st.one_of(st.none(), header_values))
def test_any_header_and_cookie_negotiate_a_supported_language(cookie, accept_language):
    assert negotiate_language(cookie, language_ranges(accept_language), LANGUAGES, "uk") in LANGUAGES


def _latin1(text: str) -> str:
    """What a header or cookie can carry on the wire (WSGI hands them over as latin-1)."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> dict[str, Any]:
    """One app over one private tree for every example of this module (files restored after each)."""
    tree = copy_tree(tmp_path_factory.mktemp("tree"))
    app, headers = app_with_admin(tree)
    return {"app": app, "tree": tree, "headers": headers}


@PROPERTY
@given(cookie=cookie_values, accept_language=header_values)
def test_root_never_answers_5xx_whatever_the_header_and_cookie(shared, cookie, accept_language):
    client = shared["app"].test_client()
    if cookie is not None:
        client.set_cookie("lang", _latin1(cookie).replace(";", "").replace("\n", "").replace("\r", ""))
    response = client.get("/", headers={"Accept-Language": _latin1(accept_language).replace("\n", "")
                                        .replace("\r", "")})
    assert response.status_code == 302, response.status_code
    assert re.fullmatch(r"/(uk|en)/", response.headers["Location"].removeprefix("http://localhost"))


# --- (b) saving through the API --------------------------------------------------------------

ARTICLE = "articles/nordic-baltic-grid-repair-fund"
TITLE = "Nordic and Baltic states pledge €240 million to repair Ukraine’s power grid"
#: (language, domain, msgctxt, msgid) of the entries saved to: an article segment and a UI string
#: that every Ukrainian page shows (the site name, through Jinja's new-style gettext).
SAVE_TARGETS = [("uk", ARTICLE, "title", TITLE), ("uk", "messages", None, "Newsroom")]
LINE_SEPARATORS = "\u2028\u2029\x85"


def _paths(tree: Path, language: str, domain: str) -> tuple[Path, Path]:
    po = tree / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
    return po, po.with_suffix(".mo")


def _restore(po: Path, mo: Path, po_bytes: bytes, mo_bytes: bytes) -> None:
    for path, data in ((po, po_bytes), (mo, mo_bytes)):
        if path.read_bytes() != data:
            path.write_bytes(data)


def assert_clear_refusal(response, statuses=(400, 422)) -> None:
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.is_json and isinstance(response.json.get("error"), str) and response.json["error"]


def assert_both_readers_accept(path: Path) -> None:
    read_catalog(path)
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


def save_and_check(shared: dict[str, Any], target: tuple, text: str) -> None:
    language, domain, msgctxt, msgid = target
    app, headers = shared["app"], shared["headers"]
    po, mo = _paths(shared["tree"], language, domain)
    po_bytes, mo_bytes = po.read_bytes(), mo.read_bytes()
    url = f"/api/catalogs/{language}/{domain}/entries/{entry_id_of(msgctxt, msgid)}"
    client = app.test_client()
    try:
        base = client.get(url, headers=headers).json["msgstr"]
        response = client.put(url, headers=headers, json={"msgstr": text, "base": base})
        if response.status_code != 200:
            assert_clear_refusal(response)
            assert po.read_bytes() == po_bytes, "a refused save changed the catalog"
            return
        assert_both_readers_accept(po)
        again = client.get(url, headers=headers)
        assert again.status_code == 200, again.get_data(as_text=True)[:300]
        assert again.json["msgstr"].encode("utf-8") == text.encode("utf-8")
        page = client.get(f"/{language}/articles/{ARTICLE.split('/')[1]}" if domain != "messages" else f"/{language}/")
        assert page.status_code < 500, f"{page.request.path} answers {page.status_code} after the save"
    finally:
        _restore(po, mo, po_bytes, mo_bytes)


@PROPERTY
@given(target=st.sampled_from(SAVE_TARGETS), text=dangerous_text())
@example(target=SAVE_TARGETS[0], text="Країни 240 млн\r\nєвро")
@example(target=SAVE_TARGETS[0], text="a\b\f\vb")
@example(target=SAVE_TARGETS[0], text="x" * 100_001)
@example(target=SAVE_TARGETS[1], text="Редакція 100%%")
def test_any_saved_string_is_refused_or_reads_back_byte_identical(shared, target, text):
    save_and_check(shared, target, text)


# --- (c) uploading a PO file -----------------------------------------------------------------

def _string_literal(text: str) -> str:
    """``text`` as a PO string literal, escaping only ``\\`` and ``"`` (so raw controls stay raw)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def uploads(draw) -> tuple[str, Any]:
    """How to damage the downloaded catalog: one string replaced, cut short, duplicated, re-headed, or noise."""
    kind = draw(st.sampled_from(["replace", "escape", "truncate", "duplicate", "plural-header", "charset",
                                 "binary", "text"]))
    return kind, draw(_upload_payload(kind))


def _upload_payload(kind: str) -> st.SearchStrategy[Any]:
    if kind == "replace":
        return dangerous_text()
    if kind == "escape":
        return st.lists(st.sampled_from(["\\b", "\\f", "\\v", "\\a", "\\?", "\\'", "\\x41", "\\101", "\\q", "\\",
                                         "\\n", "\\t", "\\r", "\\0", "\\x", "\\u2028", "ok "]), min_size=1,
                        max_size=5).map("".join)
    if kind == "truncate":
        return st.floats(0, 1)
    if kind == "duplicate":
        return st.integers(0, 20)
    if kind == "plural-header":
        return st.sampled_from(["nplurals=3; plural=n%10==1 ? 0 : 1;", "nplurals=0; plural=0;", "nplurals=2;",
                                "nplurals=2; plural=n/0;", "nplurals=9999999999; plural=n;", "plural=n;", "",
                                "nplurals=4; plural=(n==1) ? 0 : (n%10>=2 && n%10<=4) ? 1 : (n==0) ? 3 : 2;"])
    if kind == "charset":
        return st.sampled_from(["latin-1", "base64", "CHARSET", "utf-16", "koi8-u", "nonesuch", "ascii"])
    if kind == "binary":
        return st.binary(max_size=400)
    return st.text(max_size=400)


def _mutate(original: str, kind: str, payload: Any) -> bytes:
    title_line = f'msgctxt "title"\nmsgid "{TITLE}"\nmsgstr "'
    start = original.index(title_line) + len(title_line) - 1
    end = original.index("\n", start)
    if kind == "replace":
        return (original[:start] + _string_literal(payload) + original[end:]).encode("utf-8", "surrogatepass")
    if kind == "escape":
        return (original[:start] + '"' + payload + '"' + original[end:]).encode("utf-8")
    if kind == "truncate":
        data = original.encode("utf-8")
        return data[: max(1, int(len(data) * payload))]
    if kind == "duplicate":
        blocks = original.split("\n\n")
        return "\n\n".join(blocks + [blocks[1 + payload % (len(blocks) - 1)]]).encode("utf-8")
    if kind == "plural-header":
        return re.sub(r'"Plural-Forms: [^"]*"', f'"Plural-Forms: {payload}\\\\n"', original).encode("utf-8")
    if kind == "charset":
        return original.replace("charset=UTF-8", f"charset={payload}").encode("utf-8")
    if kind == "binary":
        return payload
    return payload.encode("utf-8", "surrogatepass")


@PROPERTY
@given(upload=uploads())
def test_any_uploaded_bytes_are_refused_with_a_line_or_merge_into_a_readable_catalog(shared, upload):
    kind, payload = upload
    app, headers = shared["app"], shared["headers"]
    po, mo = _paths(shared["tree"], "uk", ARTICLE)
    po_bytes, mo_bytes = po.read_bytes(), mo.read_bytes()
    client = app.test_client()
    url = f"/api/catalogs/uk/{ARTICLE}/po"
    downloaded = client.get(url, headers=headers)
    assert downloaded.status_code == 200
    data = _mutate(downloaded.get_data(as_text=True), kind, payload)
    try:
        response = client.put(url, headers=headers, data=data, content_type="text/x-gettext-translation")
        if response.status_code != 200:
            assert_clear_refusal(response, (400, 413, 422))
            if response.status_code == 400 and data.strip():
                assert re.search(r"\bline \d+", response.json["error"]), response.json
            assert po.read_bytes() == po_bytes, "a refused upload changed the catalog"
            return
        assert_both_readers_accept(po)
    finally:
        _restore(po, mo, po_bytes, mo_bytes)


# --- (d) article sources ---------------------------------------------------------------------

FRONT_MATTER = '''+++
title = {title}
category = "politics"
published = 2026-11-20T09:15:00+02:00
source_language = "en"
summary = {summary}
points = [{point}]
+++
'''


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string (every character TOML would refuse raw is escaped)."""
    escaped = "".join(
        "\\\\" if c == "\\" else '\\"' if c == '"' else f"\\u{ord(c):04X}" if (ord(c) < 32 or ord(c) == 127) and
        not 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    return f'"{escaped}"'


body_lines = st.lists(st.one_of(
    dangerous_text(4), st.just(""), st.just("## Heading"), st.just("- item"), st.just("Paragraph 12 text."),
    dangerous_text(4).map(lambda text: "## " + text), dangerous_text(4).map(lambda text: "- " + text)),
    min_size=1, max_size=10)


@st.composite
def article_sources(draw) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=300))
    fields = {name: _toml_string(draw(st.one_of(st.just("Plain text"), dangerous_text(4))))
              for name in ("title", "summary", "point")}
    body = "\n".join(draw(body_lines))
    return FRONT_MATTER.format(**fields) + body + draw(st.sampled_from(["", "\n", "\r\n"]))


@PROPERTY
@given(source=article_sources())
@example(source=FRONT_MATTER.format(title='"T"', summary='"S"', point='"P"') + "Para\u2028graph with a separator\n")
@example(source=FRONT_MATTER.format(title='"T"', summary='"S"', point='"P"') + "Para\x0cgraph\vwith\x1c\n")
@example(source=FRONT_MATTER.format(title='"T\\u2028x"', summary='"S"', point='"P"') + "Text\n")
def test_any_article_source_is_refused_with_file_and_line_or_extracts_to_a_valid_template(source, tmp_path):
    path = "content/proof.md"
    lines = source.split("\n")
    try:
        article = parse_article(path, source, LANGUAGES, slug="proof")
    except SourceError as error:
        assert str(error).startswith(f"{path}:{error.line}: ") and error.message
        assert 1 <= error.line <= len(lines), (error.line, len(lines))
        return
    template = article_template(article, "content", __import__("datetime").datetime(2026, 1, 1))
    data = format_catalog(template).encode("utf-8")
    written = tmp_path / "proof.pot"
    written.write_bytes(data)
    reread = parse_catalog(data, str(written))
    assert [(e.msgctxt, e.msgid) for e in reread if e.msgid] == [(e.msgctxt, e.msgid) for e in template]
    result = msgfmt_check(written)
    assert result.returncode == 0, result.stderr
    for segment in article.segments:  # the reference points at the line the segment is on
        assert 1 <= segment.line <= len(lines)
        if segment.role in ("heading", "item", "paragraph"):
            assert segment.text.split(" ")[0].strip("*[]") in lines[segment.line - 1] or not segment.text


# --- the write-path bugs issue 9 fixed (parts 1 and 2), one minimal reproducer each ---------------

WRITE_BUGS = [
    pytest.param(SAVE_TARGETS[0], "Країни Балтії\n", id="save-trailing-newline"),
    pytest.param(SAVE_TARGETS[0], "\nКраїни Балтії", id="save-leading-newline"),
    *[pytest.param(SAVE_TARGETS[0], f"Країни{separator}Балтії", id=f"save-U+{ord(separator):04X}")
      for separator in LINE_SEPARATORS],
    pytest.param(SAVE_TARGETS[1], "Редакція 100%", id="save-lone-percent-in-ui-string"),
]


@pytest.mark.parametrize(("target", "text"), WRITE_BUGS)
def test_write_bug_is_refused_or_reads_back(shared, target, text):
    save_and_check(shared, target, text)


UPLOAD_BUGS = [pytest.param(escape, id=f"upload-escape-{escape[1:]}") for escape in ("\\b", "\\f", "\\v")]


@pytest.mark.parametrize("piece", UPLOAD_BUGS)
def test_upload_bug_is_refused_or_reads_back(shared, piece):
    po, mo = _paths(shared["tree"], "uk", ARTICLE)
    po_bytes, mo_bytes = po.read_bytes(), mo.read_bytes()
    client, headers = shared["app"].test_client(), shared["headers"]
    url = f"/api/catalogs/uk/{ARTICLE}/po"
    downloaded = client.get(url, headers=headers).get_data(as_text=True)
    data = _mutate(downloaded, "escape", f"Країни{piece}Балтії")
    try:
        response = client.put(url, headers=headers, data=data, content_type="text/x-gettext-translation")
        if response.status_code != 200:
            assert_clear_refusal(response, (400, 422))
            assert po.read_bytes() == po_bytes
            return
        assert response.json["applied"] or response.json["rejected"]
        assert_both_readers_accept(po)
    finally:
        _restore(po, mo, po_bytes, mo_bytes)
