"""The moderation pages and the report form are valid HTML with labelled fields."""

from __future__ import annotations

import pytest

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from tests.conftest import post
from tests.test_html import check_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(article, moderator):
    parent = post(article, "Parent", author_email="p@example.org", ip_address="192.0.2.1")
    held = post(article, "Held <b>reply</b> http://x.example", parent=parent)
    Comment.objects.filter(pk=held.pk).update(
        status=Comment.Status.PENDING,
        score=0.6,
        reasons=[{"check": "x", "action": "hold", "reason": "Because"}],
    )
    spam = post(article, "spam", honeypot="x")
    actions.report(parent, reason="abuse", reporter_key="k", detail="rude")
    actions.reject(post(article, "rejected"), actor=moderator)
    actions.block_author(parent, actor=moderator, days=7)
    return parent, held, spam


@pytest.mark.parametrize(
    "url",
    [
        "/moderation/",
        "/moderation/?tab=reported",
        "/moderation/?tab=spam",
        "/moderation/?tab=decided",
        "/moderation/blocks/",
        "/moderation/log/",
        "/moderation/words/",
    ],
)
def test_staff_pages_are_valid(client, moderator, busy, url):
    client.force_login(moderator)
    response = client.get(url)
    assert response.status_code == 200
    check_page(response.content.decode())


def test_block_and_author_pages_are_valid(client, moderator, busy):
    parent, _, _ = busy
    client.force_login(moderator)
    check_page(client.get(f"/moderation/{parent.pk}/block").content.decode())
    check_page(client.get(f"/moderation/?author={parent.pk}").content.decode())


def test_report_pages_are_valid(client, busy):
    parent, _, _ = busy
    check_page(client.get(f"/moderation/report/{parent.pk}").content.decode())
    response = client.post(
        f"/moderation/report/{parent.pk}", {"reason": "spam"}, HTTP_ORIGIN="http://testserver"
    )
    check_page(response.content.decode())
    error = client.post(f"/moderation/report/{parent.pk}", {}, HTTP_ORIGIN="http://testserver")
    check_page(error.content.decode())
