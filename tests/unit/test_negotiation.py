from __future__ import annotations

import pytest

from service.domain.negotiation import accept_language_match, cookie_language, match_language, negotiate_language
from service.web.accept_language import MAX_RANGES, language_ranges

LANGUAGES = ["uk", "en"]


def negotiate(cookie: str | None, header: str | None, languages: list[str] = LANGUAGES, default: str = "uk") -> str:
    return negotiate_language(cookie, language_ranges(header), languages, default)


@pytest.mark.parametrize("header, expected", [
    ("en-US", "en"),
    ("uk-UA", "uk"),
    ("EN-us", "en"),
    ("UK", "uk"),
    ("en-US,en;q=0.9,uk;q=0.8", "en"),
    ("uk-UA, en", "uk"),            # the reader's order, not "exact match anywhere wins"
    ("en-GB, uk", "en"),
    ("fr-CA, en;q=0.8, uk;q=0.9", "uk"),  # q-values beat header order
    ("de, fr, en;q=0.1", "en"),
    ("en;q=0, uk;q=0.1", "uk"),
    ("en;q=0", "uk"),
    ("*", "uk"),
    ("*;q=0.5, en;q=0.1", "uk"),
    ("uk;q=0, *", "en"),            # q=0 excludes, even through the wildcard
    ("en-US;q=0, en;q=0.5", "en"),  # excluding one region leaves the language itself acceptable
    ("en-GB, en-US;q=0", "en"),
    ("uk-UA;q=0, uk;q=0.9, en;q=0.5", "uk"),
    ("en;q=0, en-GB", "uk"),        # ...but excluding the language excludes it in every region
    ("de, fr", "uk"),
    ("en;q=abc, uk", "uk"),         # a broken q-value drops that range
])
def test_accept_language_chooses_by_preference(header, expected):
    assert negotiate(None, header) == expected


@pytest.mark.parametrize("header", [
    None, "", " ", ";;;,,,=", "q=0.5", "-", "en--US", "123", ",,,,,,", "\x00\x01", "ü, ö;q=0.5",
    "en;q=0.5;q=0.7", "x-klingon", "a" * 100_000, "en-US;q=1," * 12_000, "zz;q=0.9," * 20_000,
])
def test_malformed_or_empty_header_falls_back_to_the_default(header):
    assert negotiate(None, header) in LANGUAGES
    assert negotiate(None, header, default="en") in LANGUAGES


def test_hostile_header_is_cut_to_a_bounded_number_of_ranges():
    ranges = language_ranges("zz;q=0.9," * 20_000 + "en")
    assert len(ranges) <= MAX_RANGES
    assert negotiate(None, "zz;q=0.9," * 20_000 + "en") == "uk"  # "en" lies past the cut


def test_match_language_prefers_the_same_region():
    assert match_language("pt-BR", ["pt_PT", "pt_BR"]) == "pt_BR"
    assert match_language("pt", ["en", "pt_BR"]) == "pt_BR"
    assert match_language("pt-AO", ["pt_PT", "pt_BR"]) == "pt_PT"
    assert match_language("de", ["uk", "en"]) is None
    assert match_language("*", ["uk", "en"]) is None


def test_a_third_language_needs_no_code():
    languages = ["uk", "en", "pl"]
    assert negotiate(None, "pl-PL,en;q=0.5", languages) == "pl"
    assert negotiate("pl", "en", languages) == "pl"
    assert accept_language_match(language_ranges("de"), languages, "uk") is None


@pytest.mark.parametrize("cookie, expected", [
    ("en", "en"), ("uk", "uk"), ("EN", "en"), (" en ", "en"),
    ("", "uk"), ("fr", "uk"), ("en-US", "uk"), ("../../etc", "uk"), ("x" * 5000, "uk"),
    ("en; uk", "uk"), ("\u0456\u0301", "uk"), (None, "uk"),
])
def test_cookie_names_a_supported_language_or_is_ignored(cookie, expected):
    assert negotiate(cookie, None) == expected


def test_cookie_beats_accept_language():
    assert negotiate("uk", "en-US") == "uk"
    assert negotiate("en", "uk-UA") == "en"
    assert negotiate("klingon", "en-US") == "en"


def test_cookie_language_checks_length_first():
    assert cookie_language("en" + " " * 100, LANGUAGES) is None
