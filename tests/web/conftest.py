"""Fixtures of the web tests: the app over a private tree, its test client, accounts signed in."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.web.extension import services

from ..conftest import prepared_app, tree_settings


@pytest.fixture
def app(tree: Path):
    """The Flask app over a private sample tree."""
    return prepared_app({**tree_settings(tree), "SECRET_KEY": "test-secret", "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def add_user(app):
    """Create an account in the app's database: ``add_user(name, role, *languages)`` → Credentials."""

    def add(name: str, role: str = "translator", *languages: str):
        return services(app).accounts.add_user(name, role, languages)

    return add


@pytest.fixture
def uk_translator(client, add_user, login):
    """A translator for ``uk``, signed in on ``client``, whose browser prefers Ukrainian."""
    credentials = add_user("taras", "translator", "uk")
    login(credentials)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "uk"
    return credentials


def csrf_token_from(html: str) -> str:
    """Return the CSRF token a page's form carries."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def login(client):
    """Sign ``client`` in through the login form: ``login(credentials)``."""

    def sign_in(credentials, target: str = "/translate/"):
        page = client.get("/login")
        response = client.post("/login", data={"csrf_token": csrf_token_from(page.text), "name": credentials.user.name,
                                               "password": credentials.password, "next": target})
        assert response.status_code == 302, response.text
        return response

    return sign_in
