"""The pure builders of sitemaps, feeds and social cards: plain data in, text out (no Flask)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
from lxml import etree

from service.domain import sitemaps
from service.domain.cards import CardFacts, describe, meta_tags, news_article, script_json, site_meta_tags
from service.domain.feeds import Feed, FeedEntry, render_atom
from service.domain.publishing import (
    PublishedArticle, VariantFacts, og_locale, published_variants, source_modified, translation_modified,
)

XSD = Path(__file__).parent.parent / "fixtures" / "xsd"
KYIV = timezone(timedelta(hours=2))
PUBLISHED = datetime(2026, 11, 3, 14, 20, tzinfo=KYIV)


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / name)))


def test_og_locale_takes_the_likely_territory():
    assert og_locale("uk") == "uk_UA"
    assert og_locale("en") == "en_US"
    assert og_locale("pt_BR") == "pt_BR"


def test_a_translation_changed_when_it_fell_out_of_step_with_its_source():
    facts = VariantFacts("stale", {"PO-Revision-Date": "2026-11-03 17:20+0200", "X-Completed": "2026-11-03T17:20+02:00",
                                   "X-Stale-Since": "2026-11-25T09:10+02:00"})
    assert translation_modified(PUBLISHED, facts) == datetime(2026, 11, 25, 9, 10, tzinfo=KYIV)


def test_a_translation_without_dates_falls_back_to_its_file_time_and_never_predates_the_article():
    file_time = datetime(2026, 12, 1, tzinfo=timezone.utc)
    placeholder = {"PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE"}
    assert translation_modified(PUBLISHED, VariantFacts("complete", placeholder, file_time)) == file_time
    early = {"PO-Revision-Date": "2020-01-01 00:00+0000"}
    assert translation_modified(PUBLISHED, VariantFacts("complete", early)) == PUBLISHED


def test_the_original_changed_when_a_translation_fell_out_of_step_with_it():
    stale = VariantFacts("stale", {"X-Stale-Since": "2026-11-25T09:10+02:00"})
    assert source_modified(PUBLISHED, [stale, VariantFacts(None)]) == datetime(2026, 11, 25, 9, 10, tzinfo=KYIV)
    assert source_modified(PUBLISHED, []) == PUBLISHED


def test_only_complete_and_stale_variants_are_published_and_the_source_always_is():
    facts = {"en": VariantFacts("incomplete"), "de": VariantFacts("stale"), "pl": VariantFacts(None),
             "fr": VariantFacts("complete")}
    variants = published_variants("uk", PUBLISHED, facts, ["uk", "en", "de", "pl", "fr", "cs"])
    assert list(variants) == ["uk", "de", "fr"]


def _article(slug: str, *languages: str) -> PublishedArticle:
    return PublishedArticle(slug, languages[0], "society", PUBLISHED, {language: PUBLISHED for language in languages})


def _urls(articles: list[PublishedArticle]) -> list[sitemaps.SitemapUrl]:
    return list(sitemaps.article_urls(articles, lambda language, slug: f"https://news.example/{language}/articles/{slug}",
                                      lambda slug: f"https://news.example/articles/{slug}"))


def test_a_category_page_per_language_for_each_category_with_an_article_dated_by_its_newest_in_that_language():
    later = PUBLISHED + timedelta(days=1)
    articles = [_article("tram", "uk", "en"), PublishedArticle("bridge", "uk", "society", later, {"uk": later})]
    urls = sitemaps.category_urls(["uk", "en"], ["politics", "society"], articles,
                                  lambda language, key: f"https://news.example/{language}/categories/{key}/",
                                  lambda key: f"https://news.example/categories/{key}/")
    assert [(url.loc, url.lastmod) for url in urls] == [  # politics has no article: no page to name
        ("https://news.example/uk/categories/society/", later), ("https://news.example/en/categories/society/", PUBLISHED)]
    assert urls[1].alternates == (("uk", "https://news.example/uk/categories/society/"),
                                  ("en", "https://news.example/en/categories/society/"),
                                  ("x-default", "https://news.example/categories/society/"))


def test_a_category_page_is_named_only_in_the_languages_it_lists_something_in():
    articles = [_article("lynx", "uk"), PublishedArticle("tram", "uk", "culture", PUBLISHED, {"uk": PUBLISHED, "en": PUBLISHED})]
    urls = sitemaps.category_urls(["uk", "en"], ["society", "culture"], articles,
                                  lambda language, key: f"https://news.example/{language}/categories/{key}/",
                                  lambda key: f"https://news.example/categories/{key}/")
    # The English society page says "nothing yet": neither listed nor named as the Ukrainian one's translation.
    assert [url.loc for url in urls] == ["https://news.example/uk/categories/society/",
                                         "https://news.example/uk/categories/culture/",
                                         "https://news.example/en/categories/culture/"]
    assert urls[0].alternates == (("uk", "https://news.example/uk/categories/society/"),
                                  ("x-default", "https://news.example/categories/society/"))
    assert [language for language, _href in urls[2].alternates] == ["uk", "en", "x-default"]


def test_each_published_variant_names_every_published_variant_and_x_default():
    urls = _urls([_article("tram", "uk", "en", "pt_BR")])
    assert [url.loc for url in urls] == [f"https://news.example/{language}/articles/tram"
                                         for language in ("uk", "en", "pt_BR")]
    assert urls[2].alternates == (("uk", "https://news.example/uk/articles/tram"),
                                  ("en", "https://news.example/en/articles/tram"),
                                  ("pt-BR", "https://news.example/pt_BR/articles/tram"),
                                  ("x-default", "https://news.example/articles/tram"))


def test_a_sitemap_validates_against_the_sitemap_and_xhtml_schemas():
    urls = _urls([_article("tram", "uk", "en"), _article("lynx", "uk")])
    document = sitemaps.render_urlset(sitemaps.render_url(url) for url in urls)
    sitemap_schema = schema("sitemap.xsd")
    assert sitemap_schema.validate(etree.fromstring(document.encode())), sitemap_schema.error_log
    assert "<lastmod>2026-11-03T12:20:00Z</lastmod>" in document


def test_text_xml_cannot_carry_is_escaped_or_dropped():
    url = sitemaps.SitemapUrl("https://news.example/?a=1&b=<2>\x0b", None, (("x-default", 'https://news.example/"q"'),))
    document = sitemaps.render_urlset([sitemaps.render_url(url)])
    root = etree.fromstring(document.encode())
    assert root[0][0].text == "https://news.example/?a=1&b=<2>"
    assert root[0][1].get("href") == 'https://news.example/"q"'


def test_parts_hold_at_most_the_limit_of_urls_and_bytes():
    urls = _urls([_article(f"story-{number}", "uk", "en") for number in range(7)])
    assert [len(part) for part in sitemaps.partition(urls, max_urls=5)] == [5, 5, 4]
    one = len(sitemaps.render_url(urls[0]).encode())
    frame = len(sitemaps.render_urlset([]).encode())
    by_bytes = sitemaps.partition(urls, max_bytes=frame + 3 * one + 10)
    assert [len(part) for part in by_bytes] == [3, 3, 3, 3, 2]
    assert sitemaps.partition([]) == [range(0, 0)]


def test_a_sitemap_index_validates_against_the_index_schema():
    document = sitemaps.render_index([("https://news.example/sitemap-1.xml", PUBLISHED),
                                      ("https://news.example/sitemap-2.xml", None)])
    index_schema = schema("siteindex.xsd")
    assert index_schema.validate(etree.fromstring(document.encode())), index_schema.error_log


def _feed(entries: list[FeedEntry]) -> str:
    return render_atom(Feed(id="https://news.example/uk/feed.xml", title="Редакція", language="uk",
                            self_url="https://news.example/uk/feed.xml", page_url="https://news.example/uk/",
                            entries=entries))


def test_an_atom_feed_is_well_formed_for_a_feed_reader():
    entry = FeedEntry(id="https://news.example/uk/articles/tram", url="https://news.example/uk/articles/tram",
                      title="Трамвай & <ще>", summary="Лінія 4,6 км", published=PUBLISHED,
                      updated=PUBLISHED + timedelta(days=3), category="society", category_label="Суспільство",
                      content_html="<p>Опубліковано: 3 листопада 2026 р., 14:20</p>")
    parsed = feedparser.parse(_feed([entry]))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.language == "uk"
    assert parsed.feed.links[0].rel == "self"
    (item,) = parsed.entries
    assert item.title == "Трамвай & <ще>"
    assert item.updated_parsed[:5] == (2026, 11, 6, 12, 20)
    assert item.tags[0].label == "Суспільство"
    assert "Опубліковано" in item.content[0].value


def test_an_empty_feed_is_still_valid():
    assert feedparser.parse(_feed([])).bozo == 0


def _card(language: str = "en", **changes) -> CardFacts:
    facts = dict(title="Lviv begins building a tram line", description="A 4.6 km line.", language=language,
                 url=f"https://news.example/{language}/articles/tram", published=PUBLISHED,
                 modified=PUBLISHED + timedelta(days=22), section="Society", site_name="Newsroom",
                 variants={"uk": "https://news.example/uk/articles/tram", "en": "https://news.example/en/articles/tram"},
                 source_language="uk")
    facts.update(changes)
    return CardFacts(**facts)


def test_a_translation_points_at_its_original_and_the_original_lists_its_translations():
    translation = news_article(_card("en"))
    assert translation["translationOfWork"] == {"@type": "NewsArticle", "url": "https://news.example/uk/articles/tram",
                                                "inLanguage": "uk"}
    assert "workTranslation" not in translation
    assert translation["inLanguage"] == "en" and translation["articleSection"] == "Society"
    assert translation["dateModified"] == "2026-11-25T14:20:00+02:00"
    original = news_article(_card("uk", url="https://news.example/uk/articles/tram"))
    assert original["workTranslation"] == [{"@type": "NewsArticle", "url": "https://news.example/en/articles/tram",
                                            "inLanguage": "en"}]
    assert "translationOfWork" not in original


def test_open_graph_names_the_locale_of_every_other_published_variant():
    tags = {(key, content) for _attribute, key, content in meta_tags(_card("en"))}
    assert ("og:locale", "en_US") in tags and ("og:locale:alternate", "uk_UA") in tags
    assert ("og:locale:alternate", "en_US") not in tags
    assert ("og:type", "article") in tags and ("twitter:card", "summary") in tags
    assert ("description", "A 4.6 km line.") in tags
    assert ("article:published_time", "2026-11-03T14:20:00+02:00") in tags


def test_a_list_page_card_is_a_website_naming_the_other_languages_it_is_published_in():
    tags = site_meta_tags("Latest news — Newsroom", "The latest news.", "en", "https://news.example/en/",
                          ["uk", "pt-BR", "en"], "Newsroom")
    found = [(key, content) for _attribute, key, content in tags]
    assert ("og:type", "website") in found and ("og:url", "https://news.example/en/") in found
    assert ("og:locale", "en_US") in found
    assert [content for key, content in found if key == "og:locale:alternate"] == ["uk_UA", "pt_BR"]
    assert ("description", "The latest news.") in found and ("twitter:card", "summary") in found
    assert not any(key.startswith("article:") for key, _content in found)
    regional = site_meta_tags("T", "D", "pt_BR", "https://news.example/pt_BR/", ["uk", "pt-BR"], "N")
    assert [content for _attribute, key, content in regional if key == "og:locale:alternate"] == ["uk_UA"]


def test_json_for_a_script_element_cannot_close_it():
    hostile = {"headline": "</script><script>alert(1)</script> & <!-- \u2028"}
    text = script_json(hostile)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == hostile


def test_a_description_is_the_summary_or_the_first_paragraph_cut_at_a_word():
    assert describe("Short  summary.", "Paragraph.") == "Short summary."
    assert describe(None, "Paragraph.") == "Paragraph."
    long = describe(None, "word " * 100, limit=30)
    assert long.endswith("…") and len(long) <= 30 and not long[:-1].endswith(" ")
