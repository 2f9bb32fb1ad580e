"""Staff sign-in: failed attempts counted and refused past a limit, and a forgotten
password reset by e-mail through a real SMTP server on loopback."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from broadsheet import counters
from broadsheet import settings as site_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


class Clock:
    """The counters' clock, stopped a minute into an hour: no test straddles two windows."""

    now = 1_700_002_860.0

    def time(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    stopped = Clock()
    monkeypatch.setattr(counters, "time", stopped)
    return stopped


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.BROADSHEET_RATE_LIMIT = "on"
    settings.BROADSHEET_SIGNIN_FAILURES = 3
    settings.BROADSHEET_SIGNIN_FAILURES_PER_ADDRESS = 5


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "dana", "dana@news.example", PASSWORD, is_staff=True, first_name="Dana"
    )


def sign_in(username: str, password: str, address: str = "198.51.100.7"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    return client, response


def signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_passwords_are_kept_as_argon2_hashes_and_sign_in_with_them(settings, django_user_model):
    # The suite hashes with MD5 for speed (conftest); the site stores Argon2.
    settings.PASSWORD_HASHERS = site_settings.PASSWORD_HASHERS
    user = django_user_model.objects.create_user("ada", password=PASSWORD, is_staff=True)
    assert user.password.startswith("argon2$argon2id$")
    assert PASSWORD not in user.password
    client, response = sign_in("ada", PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    assert not signed_in(sign_in("ada", PASSWORD + "!")[0])


def test_failed_sign_ins_are_refused_past_the_limit_even_with_the_right_password(editor):
    for _ in range(3):
        _client, response = sign_in("dana", "guess")
        assert "correct username and password" in response.content.decode()
    client, response = sign_in("dana", PASSWORD)
    page = response.content.decode()
    assert "Too many failed sign-ins from your address" in page
    assert "Try again in 14 minutes, or reset your password" in page
    assert not signed_in(client)
    # The same account from another address is not held back.
    client, _response = sign_in("dana", PASSWORD, address="203.0.113.9")
    assert signed_in(client)


def test_the_wait_ends_with_its_window(editor, clock):
    for _ in range(3):
        sign_in("dana", "guess")
    assert "Try again in 14 minutes" in sign_in("dana", PASSWORD)[1].content.decode()
    clock.now += 14 * 60
    client, _response = sign_in("dana", PASSWORD)
    assert signed_in(client)


def test_guessing_many_accounts_from_one_address_is_refused_too(editor):
    for name in ("ana", "ben", "cy", "dee", "eli"):
        sign_in(name, "guess")
    client, response = sign_in("dana", PASSWORD)
    assert "Too many failed sign-ins" in response.content.decode()
    assert not signed_in(client)


def test_signing_in_clears_the_accounts_failures(editor):
    for _ in range(2):
        sign_in("dana", "guess")
    client, _response = sign_in("dana", PASSWORD)
    assert signed_in(client)
    for _ in range(2):
        sign_in("dana", "guess")
    client, _response = sign_in("dana", PASSWORD)
    assert signed_in(client)


def test_with_rate_limits_off_nothing_is_counted(editor, settings):
    settings.BROADSHEET_RATE_LIMIT = "off"
    for _ in range(5):
        sign_in("dana", "guess")
    client, _response = sign_in("dana", PASSWORD)
    assert signed_in(client)


# A forgotten password


def ask_for_reset(email: str, address: str = "198.51.100.7"):
    return Client(REMOTE_ADDR=address).post("/admin/password_reset/", {"email": email})


def test_the_sign_in_page_offers_a_reset(client):
    page = client.get("/admin/login/").content.decode()
    assert 'href="/admin/password_reset/"' in page


def test_the_sign_in_page_speaks_hebrew_to_the_end(client, site):
    """Django's Hebrew leaves the link to a reset in English; the site's catalog says it."""
    site.language = "he"
    site.save()
    page = client.get("/admin/login/").content.decode()
    assert 'lang="he"' in page
    assert "Forgotten your login credentials?" not in page
    assert "שכחת את פרטי הכניסה?" in page


def test_a_forgotten_password_is_reset_through_the_link_in_the_email(editor, smtp):
    response = ask_for_reset("DANA@news.example")
    assert response.status_code == 302 and response["Location"] == "/admin/password_reset/done/"
    (message,) = smtp.messages
    assert message["To"] == "dana@news.example"
    link = re.search(r"http://testserver(/admin/reset/\S+/)", message.get_content()).group(1)
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Broadsheet" in form.content.decode()
    new = "a new and longer passphrase"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "password has been set" in done.content.decode()
    assert signed_in(sign_in("dana", new)[0])
    assert not signed_in(sign_in("dana", PASSWORD, address="203.0.113.9")[0])
    # The link works once.
    assert "invalid" in Client().get(link, follow=True).content.decode().lower()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(editor, smtp):
    response = ask_for_reset("nobody@news.example")
    assert response["Location"] == "/admin/password_reset/done/"
    assert smtp.messages == []


def test_reset_mails_to_one_address_are_limited_per_hour(editor, smtp, settings):
    settings.BROADSHEET_PASSWORD_RESETS_PER_HOUR = 2
    for n in range(4):
        response = ask_for_reset("dana@news.example", address=f"198.51.100.{n}")
        assert response["Location"] == "/admin/password_reset/done/"
    assert len(smtp.messages) == 2


def test_the_reset_mail_uses_the_sites_address_and_name_when_set(editor, smtp, settings, site):
    settings.BROADSHEET_SITE_URL = "https://news.example.org"
    site.site_name = "The Quay Gazette"
    site.save()
    ask_for_reset("dana@news.example")
    (message,) = smtp.messages
    assert "The Quay Gazette" in message["Subject"]
    assert re.search(r"https://news\.example\.org/admin/reset/\S+/", message.get_content())
