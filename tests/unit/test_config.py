"""Settings: ``L10N_*`` overrides and the refusal of bad values, with a message."""
from __future__ import annotations

import pytest


def test_every_setting_can_come_from_the_environment():
    from service.config import load_settings

    settings = load_settings(environ={"L10N_LANGUAGES": "uk, en ,pl", "L10N_READER_PAGE_SIZE": "3",
                                      "L10N_TIMEZONE": "UTC", "L10N_CONTENT_DIR": "/srv/news/content"})
    assert settings["LANGUAGES"] == ["uk", "en", "pl"]
    assert settings["READER_PAGE_SIZE"] == 3
    assert str(settings["CONTENT_DIR"]) == "/srv/news/content"


def test_bad_settings_are_refused_with_a_message():
    import pytest

    from service.config import load_settings

    for environ, message in [({"L10N_TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
                             ({"L10N_READER_MAX_AGE": "soon"}, "READER_MAX_AGE"),
                             ({"L10N_DEFAULT_LANGUAGE": "pl"}, "DEFAULT_LANGUAGE"),
                             ({"L10N_LANGUAGES": "uk,en,../x"}, "not a language code"),
                             ({"L10N_LANGUAGES": "uk,en,xx"}, "not a language Babel"),
                             ({"L10N_LANGUAGES": "uk,en,uk"}, "names uk more than once")]:
        with pytest.raises(ValueError, match=message):
            load_settings(environ=environ)


@pytest.mark.parametrize("value", ["-1", "11", "two"])
def test_a_bad_proxies_setting_is_refused(value):
    from service.config import load_settings

    with pytest.raises(ValueError, match="PROXIES"):
        load_settings(environ={"L10N_PROXIES": value})


def test_passwords_are_hashed_with_scrypt_unless_configured_otherwise():
    from service.config import load_settings

    assert load_settings(environ={})["PASSWORD_HASH_METHOD"] == "scrypt"
    cheap = load_settings(environ={"L10N_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"})
    assert cheap["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:1"
    with pytest.raises(ValueError, match="PASSWORD_HASH_METHOD"):
        load_settings(environ={"L10N_PASSWORD_HASH_METHOD": "md5"})


@pytest.mark.parametrize("value", ["-1", "20", "low"])
def test_a_bad_batch_niceness_is_refused(value):
    from service.config import load_settings

    assert load_settings(environ={})["BATCH_NICENESS"] == 10
    with pytest.raises(ValueError, match="BATCH_NICENESS"):
        load_settings(environ={"L10N_BATCH_NICENESS": value})


@pytest.mark.parametrize("name, value", [("READER_PAGE_SIZE", "0"), ("READER_PAGE_SIZE", "-3"),
                                         ("READER_MAX_AGE", "-5"), ("MAX_CONTENT_LENGTH", "-1"),
                                         ("ARCHIVE_CHECK_EVERY", "-1")])
def test_a_number_without_meaning_is_refused_naming_its_setting(name, value):
    from service.config import load_settings

    with pytest.raises(ValueError, match=f"{name} must be at least"):
        load_settings(environ={f"L10N_{name}": value})
    assert load_settings(environ={"L10N_READER_MAX_AGE": "0"})["READER_MAX_AGE"] == 0  # no shared caching: allowed
