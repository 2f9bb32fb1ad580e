"""A story whose comments are all held: readers are told before they write, and the
cached page changes the moment an editor holds the story or lifts it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.conftest import post
from tests.discussion.test_views import queries_for

pytestmark = pytest.mark.django_db
Policy = Article.CommentPolicy
NOTE = "Comments on this story are reviewed by a moderator before they appear."


def page(client: Client, article: Article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def test_readers_are_told_before_they_write_that_comments_are_reviewed(client, article):
    assert NOTE not in page(client, article)
    newsroom_actions.set_comment_policy(article, Policy.HOLD)
    html = page(client, article)
    # Between the heading and the form.
    assert html.index("Leave a Reply") < html.index(NOTE) < html.index('class="comment-form"')


def test_the_reply_page_tells_them_too(client, article):
    url = reverse("discussion:reply", args=[post(article, "Something to answer").pk])
    before = client.get(url)
    assert before.status_code == 200 and NOTE not in before.content.decode()
    newsroom_actions.set_comment_policy(article, Policy.HOLD)
    assert NOTE in client.get(url).content.decode()


def test_the_note_follows_the_sites_policy_unless_the_story_has_its_own(client, article, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    assert NOTE in page(client, article)
    newsroom_actions.set_comment_policy(article, Policy.PUBLISH)
    assert NOTE not in page(client, article)


def test_a_closed_story_says_it_is_closed_not_reviewed(client, article):
    newsroom_actions.set_comment_policy(article, Policy.HOLD)
    newsroom_actions.set_comments_open(article, False)
    html = page(client, article)
    assert "Comments are closed" in html and NOTE not in html


def test_staff_are_told_their_own_comments_are_not_held(client, article, django_user_model):
    newsroom_actions.set_comment_policy(article, Policy.HOLD)
    client.force_login(django_user_model.objects.create_user("desk", is_staff=True))
    html = page(client, article)
    assert "yours, as staff, appear at once" in html and NOTE not in html


def test_holding_a_story_changes_its_etag_and_lifting_it_changes_it_back(client, article):
    first = client.get(article.get_absolute_url())["ETag"]
    newsroom_actions.set_comment_policy(article, Policy.HOLD)
    held = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first)
    assert held.status_code == 200 and NOTE in held.content.decode()
    newsroom_actions.set_comment_policy(article, Policy.SITE)
    lifted = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=held["ETag"])
    assert lifted.status_code == 200 and NOTE not in lifted.content.decode()
    assert len({first, held["ETag"], lifted["ETag"]}) == 3


def test_the_shared_page_cache_never_serves_the_page_from_before(client, article):
    queries_for(client, article.get_absolute_url())  # rendered and kept in the cache
    cached = queries_for(client, article.get_absolute_url())
    newsroom_actions.set_comment_policy(article, Policy.HOLD)
    assert queries_for(client, article.get_absolute_url()) > cached  # drawn anew
    assert NOTE in page(client, article)


def test_a_change_made_around_the_action_still_changes_the_etag(client, article):
    """The ETag holds the policy itself: a bulk update that forgets ``changed_at`` (SQL by
    hand, a queryset ``update()``) is not served from the old page."""
    first = client.get(article.get_absolute_url())["ETag"]
    Article.objects.filter(pk=article.pk).update(comment_policy=Policy.HOLD)
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first)
    assert again.status_code == 200 and NOTE in again.content.decode()
