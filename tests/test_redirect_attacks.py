"""Every redirect the site issues from an address it was given stays on the site:
the sign-in page's ``next``, the moderators' ``next``, WordPress's old addresses,
an article's former slugs, comment permalinks and the mail pages."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from broadsheet.moderation.models import ModerationSettings
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Section
from tests.conftest import post
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db

EVIL = "evil.example"
# Ways to write another site's address so that a careless check reads it as a path.
OFF_SITE = [
    f"//{EVIL}", f"///{EVIL}", f"/\\{EVIL}", f"\\\\{EVIL}", f"/\\/{EVIL}", f"https:{EVIL}",
    f"https://{EVIL}", f"https:/{EVIL}", f"%2F%2F{EVIL}", f"/%2F{EVIL}", f"%5C%5C{EVIL}",
    f"/\t/{EVIL}", f"/\n/{EVIL}", f"/%09/{EVIL}", f"/%0d%0a/{EVIL}", f" //{EVIL}",
    f"http://testserver@{EVIL}", f"//{EVIL}%2F..", "javascript:alert(1)", f"/%5C{EVIL}",
    f"//{EVIL}/%2e%2e", f"\x00//{EVIL}", "%00", f"%00//{EVIL}",
]  # fmt: skip


def assert_on_site(response, asked: str) -> None:
    """A redirect, if any, leads to this site, as a browser resolves it."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return
    location = response["Location"]
    assert "\r" not in location and "\n" not in location, (asked, location)
    # Browsers read a backslash as a slash and drop tabs and line breaks.
    as_read = location.replace("\\", "/").replace("\t", "")
    resolved = urlsplit(urljoin("http://testserver/page/", as_read))
    assert resolved.scheme in ("http", "https") and resolved.hostname == "testserver", (
        asked,
        location,
    )


def test_sign_in_sends_no_one_off_the_site():
    make_moderator("mod")
    for target in OFF_SITE:
        client = Client()
        assert client.get("/admin/login/", {"next": target}).status_code == 200
        form = {"username": "mod", "password": "pw", "next": target}
        response = client.post("/admin/login/", form)
        assert response.status_code == 302
        assert_on_site(response, target)


def test_a_moderators_decision_sends_them_back_only_on_the_site(article):
    client = Client()
    client.force_login(make_moderator("mod"))
    for target in OFF_SITE:
        comment = post(article, f"Held for a look: {target!r}.")
        response = client.post(
            "/moderation/decide", {"one": f"approve:{comment.pk}", "next": target}
        )
        assert response.status_code == 302
        assert_on_site(response, target)


@pytest.mark.parametrize("target", OFF_SITE)
def test_old_addresses_lead_only_to_this_site(article, target):
    Section.objects.create(name="News", slug="news")
    client = Client()
    for path in (f"/{target}", f"/{target}/", f"/category/{target}/", f"/category/news/{target}",
                 f"/tag/{target}/feed/", f"/page/{target}/", f"/?p={target}",
                 f"/article/{target}/", f"/c/{target}", f"/mail/stop/{target}",
                 f"/mail/confirm/{target}", f"/feed/{target}", "/feed/atom/" + target,
                 f"/article/hello-world/{target}"):  # fmt: skip
        assert_on_site(client.get(path), path)


def test_an_articles_former_slug_and_a_comment_lead_to_this_site(article):
    old = article.get_absolute_url()
    article.slug = "moved"
    newsroom_actions.save_article(article)
    client = Client()
    for path in (old, old + "?next=//evil.example", f"{old}//{EVIL}"):
        assert_on_site(client.get(path), path)
    comment = post(article, "Hello.")
    for path in (f"/c/{comment.pk}", f"/c/{comment.pk}?next=//{EVIL}",
                 f"/c/{comment.pk}?on=//{EVIL}"):  # fmt: skip
        assert_on_site(client.get(path), path)
    assert ModerationSettings.load()  # the site is whole after it all
