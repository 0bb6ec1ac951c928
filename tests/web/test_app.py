from __future__ import annotations

import pytest

from service.web.extension import services

from ..conftest import both_at_once, prepared_app, tree_settings


def test_app_compiles_missing_catalogs_at_start(app, tree):
    compiled = sorted(path.name for path in (tree / "locales").rglob("*.mo"))
    sources = sorted(path.with_suffix(".mo").name for path in (tree / "locales").rglob("*.po"))
    assert compiled == sources


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_ui_strings_come_from_the_messages_catalog(app):
    from flask import g

    from service.web import i18n

    with app.test_request_context("/"):
        g.language = "uk"
        assert i18n.gettext("Politics") == "Політика"
        g.language = "en"
        assert i18n.gettext("Politics") == "Politics"


def test_request_bodies_are_limited_to_9_mb_unless_configured(app):
    from service.config import load_settings

    assert app.config["MAX_CONTENT_LENGTH"] == 9 * 1024 * 1024
    assert load_settings(environ={"L10N_MAX_CONTENT_LENGTH": "1024"})["MAX_CONTENT_LENGTH"] == 1024


def test_a_translation_with_wrong_placeholders_falls_back_to_the_source(app):
    import gettext

    from service.web import i18n

    class Broken(gettext.NullTranslations):
        def gettext(self, message):
            return "%(count)d хвилин"

    with app.test_request_context("/"):
        services(app).catalogs._compiled.get = lambda path: Broken()
        assert i18n.gettext("%(num)d minutes", num=5) == "5 minutes"


def test_workers_starting_together_share_one_generated_secret_key(tmp_path):
    # Without a configured SECRET_KEY each gunicorn worker reads the instance's key as it boots;
    # two different keys would make every other request drop the login session and CSRF token.
    from service import _secret_key

    answers = both_at_once(_secret_key, [tmp_path / str(number) for number in range(100)])
    assert all(len(set(pair)) == 1 and len(pair[0]) == 64 for pair in answers), answers
    assert (tmp_path / "0" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in (tmp_path / "0").iterdir()) == ["secret_key"]


def test_trusted_hosts_from_the_environment_refuse_other_hosts(tree, monkeypatch):
    # Reader pages are public and cached, with hreflang/canonical links made from the Host header.
    from service import create_app

    from ..conftest import tree_environment

    for name, value in tree_environment(tree).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("L10N_TRUSTED_HOSTS", "news.example, www.news.example")
    client = create_app({"SECRET_KEY": "test"}).test_client()
    page = client.get("/uk/", base_url="https://news.example")
    assert page.status_code == 200 and 'href="https://news.example/en/"' in page.text
    assert client.get("/uk/", base_url="https://evil.example").status_code == 400


@pytest.mark.parametrize("proxies, address, scheme", [(0, "127.0.0.1", "http"), (1, "203.0.113.7", "https")])
def test_forwarded_headers_are_believed_only_from_the_configured_proxies(tree, proxies, address, scheme):
    # Behind a proxy every reader comes from its address: login throttling needs the forwarded one.
    from flask import request


    app = prepared_app({**tree_settings(tree), "SECRET_KEY": "test", "PROXIES": proxies})
    app.add_url_rule("/whoami", "whoami", lambda: f"{request.remote_addr} {request.scheme}")
    answer = app.test_client().get("/whoami", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                   headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert answer.text == f"{address} {scheme}"
