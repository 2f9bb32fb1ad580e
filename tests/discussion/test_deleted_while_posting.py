"""A story an editor deletes while a reader's comment on it is being judged: the post
is a 404 that stores nothing, on the page's form and in the API alike, where the
comment's row met the missing article at commit and the reader got a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.discussion.models import Comment
from broadsheet.moderation.policy import DefaultPolicy
from broadsheet.newsroom.actions import delete_article
from broadsheet.newsroom.models import Article
from tests.api.conftest import API, post_json
from tests.discussion.test_views import submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def deleted_while_judged(monkeypatch):
    """The article goes (as an editor's delete, in its own transaction) after the post
    has read it and while the policy judges the comment."""
    judge = DefaultPolicy.decide

    def decide(self, submission):
        decision = judge(self, submission)
        delete_article(Article.objects.get(pk=submission.article.pk))
        return decision

    monkeypatch.setattr(DefaultPolicy, "decide", decide)


def test_a_comment_posted_from_the_page_as_its_story_is_deleted_is_a_404(
    article, deleted_while_judged
):
    answer = submit(Client(raise_request_exception=False), article, body="Just in time?")
    assert answer.status_code == 404
    assert not Comment.objects.exists()
    assert not Article.objects.filter(pk=article.pk).exists()


def test_a_comment_posted_through_the_api_as_its_story_is_deleted_is_a_404(
    article, deleted_while_judged
):
    client = Client(raise_request_exception=False)
    answer = post_json(client, article, {"author_name": "Jo", "body": "Hi."})
    assert answer.status_code == 404
    # Said as for any story that is not there.
    assert answer.json() == client.get(f"{API}/articles/{article.slug}").json()
    assert not Comment.objects.exists()
