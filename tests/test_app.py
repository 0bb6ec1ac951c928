from __future__ import annotations


def test_app_compiles_missing_catalogs_at_start(app, tree):
    compiled = sorted(path.name for path in (tree / "locales").rglob("*.mo"))
    sources = sorted(path.with_suffix(".mo").name for path in (tree / "locales").rglob("*.po"))
    assert compiled == sources


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_ui_strings_come_from_the_messages_catalog(app):
    from flask import g

    from service import i18n

    with app.test_request_context("/"):
        g.language = "uk"
        assert i18n.gettext("Politics") == "Політика"
        g.language = "en"
        assert i18n.gettext("Politics") == "Politics"
