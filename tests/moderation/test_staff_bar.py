"""The moderators' pages carry the staff's bar: who is signed in, the queue, the admin
and a way to sign out, which none of them had (found walking the demo as its editor).
The site's public pages, kept in the page cache for every reader, carry none."""

from __future__ import annotations

import re

import pytest

from tests.conftest import post

PAGES = [
    "/moderation/",
    "/moderation/?tab=decided",
    "/moderation/log/",
    "/moderation/blocks/",
    "/moderation/filter/",
    "/moderation/words/",
    "/moderation/notices/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_moderation_page_says_who_is_signed_in_and_signs_out(staff, moderator, url):
    moderator.is_superuser = True  # every page open to it
    moderator.save()
    page = staff.get(url, follow=True)
    assert page.status_code == 200, url
    html = page.content.decode()
    (bar,) = re.findall(r'<nav class="staff-bar"[^>]*>.*?</nav>', html, flags=re.S)
    assert "Signed in as <bdi>mod</bdi>" in bar
    assert 'href="/admin/"' in bar
    assert re.search(r'<form method="post" action="/admin/logout/">', bar)


def test_signing_out_from_the_bar_ends_the_session(staff):
    page = staff.get("/moderation/").content.decode()
    (bar,) = re.findall(r'<nav class="staff-bar"[^>]*>.*?</nav>', page, flags=re.S)
    action, token = re.search(
        r'<form method="post" action="([^"]+)"><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)">',
        bar,
    ).groups()
    assert staff.post(action, {"csrfmiddlewaretoken": token}).status_code == 200
    assert staff.get("/moderation/").status_code in (302, 403)


def test_the_public_pages_carry_no_staff_bar_even_for_staff(staff, article):
    post(article, "A plain remark.")
    for url in ("/", article.get_absolute_url(), "/search/?q=remark"):
        assert 'class="staff-bar"' not in staff.get(url).content.decode(), url
