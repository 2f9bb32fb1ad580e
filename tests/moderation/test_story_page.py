"""A moderator closes, opens or holds a story's comments from the moderation pages,
without the right to edit the story."""

from __future__ import annotations

import html
import types
from importlib import import_module

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection

from broadsheet.discussion.models import Comment
from broadsheet.moderation.apps import MODERATORS
from broadsheet.moderation.models import AuditEntry
from broadsheet.newsroom.models import Article
from tests.api.conftest import post_json
from tests.conftest import post

pytestmark = pytest.mark.django_db


def url(article: Article) -> str:
    return f"/moderation/story/{article.pk}/"


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_moderator_closes_a_storys_comments_and_readers_can_no_longer_post(
    client, article, moderator
):
    assert not moderator.has_perm("newsroom.change_article")  # not an editor
    signed_in(client, moderator)
    response = client.post(url(article), {"comments_open": "0", "comment_policy": "site"})
    assert response.status_code == 302 and response["Location"] == url(article)
    article.refresh_from_db()
    assert article.comments_open is False
    entry = AuditEntry.objects.get(article=article)
    assert (entry.actor, entry.action, entry.said) == (
        moderator,
        AuditEntry.Action.ARTICLE,
        "Closed comments.",
    )
    client.logout()
    refused = post_json(client, article, {"author_name": "Ann", "body": "Still here?"})
    assert refused.status_code == 403
    assert not Comment.objects.exists()


def test_holding_a_story_from_its_page_holds_the_next_comment(client, article, moderator):
    signed_in(client, moderator)
    client.post(url(article), {"comments_open": "1", "comment_policy": "hold"})
    article.refresh_from_db()
    assert article.comment_policy == Article.CommentPolicy.HOLD
    held = post(article, "An ordinary remark about the council.")
    assert held.status == Comment.Status.PENDING
    page = html.unescape(client.get(url(article)).content.decode())
    assert "Comment policy: the site's policy → hold every comment for review." in page


def test_the_page_counts_the_storys_comments_and_a_save_that_changes_nothing_says_so(
    client, article, moderator
):
    post(article, "One")
    post(article, "Two")
    Comment.objects.filter(body="Two").update(status=Comment.Status.PENDING)
    signed_in(client, moderator)
    page = client.get(url(article)).content.decode()
    assert "<dt>Published</dt><dd>1</dd>" in page
    assert "<dt>Waiting for a moderator</dt><dd>1</dd>" in page
    followed = client.post(
        url(article), {"comments_open": "1", "comment_policy": "site"}, follow=True
    )
    assert "Nothing changed." in followed.content.decode()
    assert not AuditEntry.objects.filter(article=article).exists()


@pytest.mark.parametrize(
    "data", [{"comments_open": "maybe", "comment_policy": "site"}, {"comments_open": "1"}]
)
def test_a_bad_form_changes_nothing(client, article, moderator, data):
    signed_in(client, moderator)
    assert client.post(url(article), data).status_code == 400
    article.refresh_from_db()
    assert (article.comments_open, article.comment_policy) == (True, "site")
    assert not AuditEntry.objects.exists()


def test_staff_without_the_permission_are_refused_and_visitors_sent_to_sign_in(
    client, article, moderator
):
    group = Group.objects.get(name=MODERATORS)
    group.permissions.remove(Permission.objects.get(codename="moderate_discussion"))
    moderator = get_user_model().objects.get(pk=moderator.pk)  # permissions read afresh
    assert client.get(url(article)).status_code == 302  # the sign-in page
    signed_in(client, moderator)
    assert client.get(url(article)).status_code == 403
    assert (
        client.post(url(article), {"comments_open": "0", "comment_policy": "site"}).status_code
        == 403
    )
    article.refresh_from_db()
    assert article.comments_open is True
    # The queue no longer links to a page it may not open.
    waiting = post(article, "Waiting here")
    Comment.objects.filter(pk=waiting.pk).update(status=Comment.Status.PENDING)
    queue = client.get("/moderation/").content.decode()
    assert "Waiting here" in queue and "/moderation/story/" not in queue


def test_the_queue_links_each_comment_to_its_storys_settings_saying_when_closed(
    client, article, moderator
):
    held = post(article, "Waiting here")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    Article.objects.filter(pk=article.pk).update(comments_open=False)
    signed_in(client, moderator)
    queue = client.get("/moderation/").content.decode()
    assert f'href="{url(article)}"' in queue
    assert ">(comments closed)</a>" in queue


def test_an_existing_moderators_group_is_given_the_permission_on_upgrade(db):
    """The data migration, run on a site whose Moderators group was made before it."""
    group = Group.objects.get(name=MODERATORS)
    permission = Permission.objects.get(codename="moderate_discussion")
    group.permissions.remove(permission)
    migration = import_module(
        "broadsheet.moderation.migrations.0011_moderators_moderate_discussion"
    )
    from django.apps import apps

    migration.grant(apps, types.SimpleNamespace(connection=connection))
    assert group.permissions.filter(pk=permission.pk).exists()


def test_without_the_audit_log_the_storys_changes_do_not_name_other_moderators(
    client, article, moderator
):
    signed_in(client, moderator)
    client.post(url(article), {"comments_open": "0", "comment_policy": "site"})
    junior = get_user_model().objects.create_user("junior", password="pw", is_staff=True)
    junior.user_permissions.add(
        Permission.objects.get(content_type__app_label="discussion", codename="change_comment"),
        Permission.objects.get(content_type__app_label="newsroom", codename="moderate_discussion"),
    )
    signed_in(client, junior)
    client.post(url(article), {"comments_open": "1", "comment_policy": "site"})
    page = html.unescape(client.get(url(article)).content.decode())
    assert "A moderator: Closed comments." in page and ", mod:" not in page
    assert "junior: Opened comments." in page  # their own change
    signed_in(client, moderator)
    page = html.unescape(client.get(url(article)).content.decode())
    assert "mod: Closed comments." in page and "junior: Opened comments." in page
