"""The cookies a reader's browser keeps: their own recent comments (``bs_mine``) and
their details (``bs_author``), written as RFC 6265 says a server must write them."""

from __future__ import annotations

import email.message
import http.cookiejar
import json
import re
import urllib.request
from http.cookies import Morsel, SimpleCookie

import pytest
from django.core import signing
from django.test import Client

from broadsheet.discussion.models import Comment
from broadsheet.discussion.readers import _OWN_SALT, AUTHOR_COOKIE, OWN_COOKIE
from broadsheet.newsroom.models import Article, SiteSettings
from tests.discussion.test_views import form_data

pytestmark = pytest.mark.django_db

# RFC 6265, section 4.1.1: what a server sends in Set-Cookie.
_CTL = r"\x00-\x1F\x7F"
_SEPARATORS = re.escape('()<>@,;:\\"/[]?={} \t')
TOKEN = rf"[^{_CTL}{_SEPARATORS}\x80-\U0010FFFF]+"
COOKIE_OCTETS = r"[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*"
COOKIE_VALUE = f'(?:{COOKIE_OCTETS}|"{COOKIE_OCTETS}")'
RFC1123_DATE = (
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
    r"[0-9]{2}:[0-9]{2}:[0-9]{2} GMT"
)
NOT_CTL_OR_SEMICOLON = rf"[^{_CTL};\x80-\U0010FFFF]*"
COOKIE_AV = "|".join(
    [
        f"(?i:Expires)={RFC1123_DATE}",
        "(?i:Max-Age)=[1-9][0-9]*",
        f"(?i:Domain)={NOT_CTL_OR_SEMICOLON}",
        f"(?i:Path)={NOT_CTL_OR_SEMICOLON}",
        "(?i:Secure)",
        "(?i:HttpOnly)",
        NOT_CTL_OR_SEMICOLON,  # extension-av: SameSite=Lax
    ]
)
SET_COOKIE_STRING = re.compile(f"({TOKEN})=({COOKIE_VALUE})(?:; (?:{COOKIE_AV}))*")


def set_cookie_strings(response) -> dict[str, str]:
    """Each Set-Cookie header's value, by cookie name, as the server sends it."""
    return {name: morsel.OutputString() for name, morsel in response.cookies.items()}


def assert_rfc6265(set_cookie: str) -> str:
    """The cookie's value, once ``set_cookie`` is checked against the RFC's grammar
    and the value found bare (only cookie-octets, no quotes around them)."""
    matched = SET_COOKIE_STRING.fullmatch(set_cookie)
    assert matched, f"not an RFC 6265 set-cookie-string: {set_cookie!r}"
    value = matched[2]
    assert re.fullmatch(COOKIE_OCTETS, value) and value, value
    return value


@pytest.fixture
def held(site):
    """Every comment waits for a moderator: only its poster sees it."""
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    return site


NAME = 'Dana "the, first"; דנה 👩‍🔬 \\ back'


def post_as_reader(client: Client, article: Article, body: str, **fields):
    response = client.post(
        f"/article/{article.slug}/comments",
        form_data(body=body, author_name=NAME, author_email="dana@example.org", **fields),
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    return response


def test_the_readers_cookies_are_bare_rfc_6265_cookie_octets(article, held):
    client = Client()
    first = set_cookie_strings(post_as_reader(client, article, "First, held.", remember="on"))
    second = set_cookie_strings(post_as_reader(client, article, "Second, held.", remember="on"))
    for sent in (first, second):
        assert set(sent) == {OWN_COOKIE, AUTHOR_COOKIE}
        for set_cookie in sent.values():
            assert_rfc6265(set_cookie)
            assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    # Both comments are remembered, each with its edit token.
    mine = assert_rfc6265(second[OWN_COOKIE])
    pks = [c.pk for c in Comment.objects.order_by("pk")]
    assert mine.startswith(f"{pks[0]}.") and f"~{pks[1]}." in mine


def test_the_readers_cookies_survive_a_strict_cookie_jar(article, held):
    """Python's http.cookiejar reads the headers as the RFC's grammar says; the cookies
    it sends back show the reader their held comments and their details."""
    response = post_as_reader(Client(), article, "Held, and mine.", remember="on")
    headers = email.message.Message()
    for set_cookie in set_cookie_strings(response).values():
        headers["Set-Cookie"] = set_cookie

    class Answer:
        def info(self) -> email.message.Message:
            return headers

    jar = http.cookiejar.CookieJar()
    posted = urllib.request.Request(f"http://testserver/article/{article.slug}/comments")
    jar.extract_cookies(Answer(), posted)  # type: ignore[arg-type]
    kept = {cookie.name: cookie.value for cookie in jar}
    assert kept == {name: morsel.value for name, morsel in response.cookies.items()}

    page = urllib.request.Request(f"http://testserver{article.get_absolute_url()}")
    jar.add_cookie_header(page)
    shown = Client().get(article.get_absolute_url(), HTTP_COOKIE=page.get_header("Cookie"))
    html = shown.content.decode()
    assert "Held, and mine." in html and "awaiting moderation" in html
    assert "private" in shown["Cache-Control"]
    # The form is filled in with the details, every character of the name kept.
    assert 'value="dana@example.org"' in html
    assert "Dana &quot;the, first&quot;; דנה 👩‍🔬 \\ back" in html


def old_cookie(name: str, value: str) -> str:
    """A cookie as the site wrote it before, JSON signed and quoted by Python's
    cookie writer (``\\054`` for a comma), as a browser sends it back."""
    signed = signing.get_cookie_signer(salt=name + _OWN_SALT).sign(value)
    cookie = SimpleCookie()
    cookie[name] = signed
    coded = cookie[name].coded_value
    assert coded.startswith('"') and "\\054" in coded  # the old form, indeed
    return f"{name}={coded}"


def test_cookies_written_before_are_still_read_and_rewritten_in_the_new_form(article, held):
    client = Client()
    post_as_reader(client, article, "Held before the change.")
    comment = Comment.objects.get()
    token = client.cookies[OWN_COOKIE].value.split(":")[0].split(".", 1)[1]
    details = {"author_name": "Old Reader, Esq.", "author_email": "old@example.org"}
    cookies = "; ".join(
        [
            old_cookie(OWN_COOKIE, json.dumps([[comment.pk, token]])),
            old_cookie(AUTHOR_COOKIE, json.dumps(details)),
        ]
    )
    html = Client().get(article.get_absolute_url(), HTTP_COOKIE=cookies).content.decode()
    assert "Held before the change." in html and "awaiting moderation" in html
    assert 'value="Old Reader, Esq."' in html and 'value="old@example.org"' in html
    # The old token still edits the comment.
    edit = Client().get(f"/c/{comment.pk}/edit", HTTP_COOKIE=cookies)
    assert edit.status_code == 200

    # The reader's next comment writes the cookie anew, keeping the first.
    reader = Client(HTTP_COOKIE=cookies)
    response = reader.post(
        f"/article/{article.slug}/comments",
        form_data(body="Held after it.", author_name="Old Reader"),
        HTTP_ORIGIN="http://testserver",
        HTTP_COOKIE=cookies,
    )
    mine = assert_rfc6265(set_cookie_strings(response)[OWN_COOKIE])
    assert mine.startswith(f"{comment.pk}.{token}~")
    shown = Client()
    shown.cookies[OWN_COOKIE] = mine
    html = shown.get(article.get_absolute_url()).content.decode()
    assert "Held before the change." in html and "Held after it." in html


def test_a_cookie_not_signed_by_the_site_shows_nothing(article, held):
    client = Client()
    post_as_reader(client, article, "Only mine.", remember="on")
    signed = client.cookies[OWN_COOKIE].value
    comment = Comment.objects.get()
    value, rest = signed.split(":", 1)
    for forged in (
        value,  # unsigned
        f"{comment.pk}.forged:{rest}",  # another token under the signature
        f"{comment.pk + 1}{value[len(str(comment.pk)) :]}:{rest}",  # another id
    ):
        stranger = Client()
        stranger.cookies[OWN_COOKIE] = forged
        assert "Only mine." not in stranger.get(article.get_absolute_url()).content.decode()
    stranger = Client()
    stranger.cookies[AUTHOR_COOKIE] = client.cookies[AUTHOR_COOKIE].value.split(":")[0]
    assert "dana@example.org" not in stranger.get(article.get_absolute_url()).content.decode()


def test_forgetting_the_details_deletes_their_cookie(article, held):
    client = Client()
    post_as_reader(client, article, "Remember me.", remember="on")
    response = post_as_reader(client, article, "Now forget me.")
    morsel: Morsel = response.cookies[AUTHOR_COOKIE]
    assert morsel.value == "" and morsel["max-age"] == 0
    assert "dana@example.org" not in client.get(article.get_absolute_url()).content.decode()
