"""One story's own comment policy: every comment held on a heated story, or published at
once on a site that holds the rest. Judged by the ``hold_all`` check, as the site's is."""

from __future__ import annotations

import pytest

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.models import Comment
from broadsheet.moderation.models import ModerationSettings, WordRule
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.api.conftest import post_json
from tests.conftest import make_article, post
from tests.discussion.test_views import submit
from tests.moderation.test_policy import author, settled

pytestmark = pytest.mark.django_db
Status = Comment.Status
Policy = Article.CommentPolicy
STORY_HOLDS = "This story holds every comment for review."


@pytest.fixture
def heated(article) -> Article:
    return newsroom_actions.set_comment_policy(article, Policy.HOLD)


@pytest.fixture
def trusted(heated, rules: ModerationSettings) -> dict[str, str]:
    """A commenter the site trusts: one approved comment, a day old, on another story."""
    rules.trust_after = 1
    rules.save()
    settled(post(make_article(slug="calm"), "good point", **author()))
    return author()


def reasons(comment: Comment) -> dict[str, str]:
    return {r["check"]: r["reason"] for r in comment.reasons}


def test_a_held_story_holds_every_comment_and_says_why(heated):
    held = post(heated, "Hello")
    assert held.status == Status.PENDING
    assert reasons(held) == {"hold_all": STORY_HOLDS}
    # The rest of the site publishes at once.
    assert post(make_article(slug="calm"), "Hello").status == Status.APPROVED


def test_a_held_story_holds_a_trusted_commenter_as_the_site_wide_hold_does(heated, trusted):
    held = post(heated, "Another good point", **trusted)
    assert held.status == Status.PENDING
    assert set(reasons(held)) == {"hold_all", "trusted_commenter"}
    assert post(make_article(slug="other"), "elsewhere", **trusted).status == Status.APPROVED


def test_staff_are_published_at_once_on_a_held_story(heated, moderator):
    comment = post(heated, "Please keep it civil.", user=moderator)
    assert comment.status == Status.APPROVED


def test_an_edit_on_a_held_story_is_held_again(article):
    comment = post(article, "First words")
    assert comment.status == Status.APPROVED
    newsroom_actions.set_comment_policy(article, Policy.HOLD)
    comment.article.refresh_from_db()
    discussion_actions.edit_comment(comment, "Second words", token=comment._token)
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert reasons(comment)["hold_all"] == STORY_HOLDS


def test_back_to_the_sites_policy_publishes_again(heated):
    newsroom_actions.set_comment_policy(heated, Policy.SITE)
    assert post(heated, "Hello").status == Status.APPROVED


def holds_everything(site: SiteSettings) -> None:
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()


def test_a_story_that_publishes_at_once_on_a_site_that_holds_everything(article, site):
    holds_everything(site)
    open_story = newsroom_actions.set_comment_policy(article, Policy.PUBLISH)
    comment = post(open_story, "Hello")
    assert comment.status == Status.APPROVED
    assert post(make_article(slug="calm"), "Hello").status == Status.PENDING


def test_a_story_that_publishes_at_once_keeps_every_other_check(article, rules, site):
    """Only the hold-all check changes: the lists, the first-comment hold and the signs of
    a bot still hold or file what they would anywhere else."""
    holds_everything(site)
    open_story = newsroom_actions.set_comment_policy(article, Policy.PUBLISH)
    WordRule.objects.create(phrase="watches", list=WordRule.List.HOLD)
    listed = post(open_story, "cheap watches")
    assert (listed.status, set(reasons(listed))) == (Status.PENDING, {"word_lists"})
    assert post(open_story, "Hello", honeypot="filled").status == Status.SPAM
    rules.hold_first_comment = True
    rules.save()
    first = post(open_story, "My first words here", **author())
    assert (first.status, set(reasons(first))) == (Status.PENDING, {"first_comment"})


# Through the real doors: the page's form and the API.


def test_a_reader_posting_with_the_form_is_held_and_sees_it_awaiting_moderation(client, heated):
    response = submit(client, heated, body="Held from the form")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    assert reasons(comment) == {"hold_all": STORY_HOLDS}
    page = client.get(response["Location"]).content.decode()
    assert "Held from the form" in page and "awaiting moderation" in page


def test_a_trusted_commenter_posting_with_the_form_is_held(client, heated, trusted):
    response = submit(client, heated, body="Held though trusted", **trusted)
    assert response.status_code == 302
    comment = Comment.objects.get(body="Held though trusted")
    assert comment.status == Status.PENDING
    assert set(reasons(comment)) == {"hold_all", "trusted_commenter"}


def test_staff_posting_with_the_form_are_published(client, heated, moderator):
    client.force_login(moderator)
    assert submit(client, heated, author_name="", body="From the desk").status_code == 302
    assert Comment.objects.get(body="From the desk").status == Status.APPROVED


def test_a_reader_posting_with_the_api_is_told_pending(client, heated):
    response = post_json(client, heated, {"author_name": "Ann", "body": "Held from the API"})
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert reasons(Comment.objects.get()) == {"hold_all": STORY_HOLDS}


def test_a_trusted_commenter_posting_with_the_api_is_told_pending(client, heated, trusted):
    response = post_json(client, heated, {**trusted, "body": "Held from the API"})
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    ok = post_json(client, Article.objects.get(slug="calm"), {**trusted, "body": "Elsewhere"})
    assert ok.json()["status"] == "approved"


def test_the_queue_shows_why_a_comment_on_a_held_story_waits(client, heated, moderator):
    post(heated, "Waiting words")
    client.force_login(moderator)
    page = client.get("/moderation/").content.decode()
    assert "Waiting words" in page and STORY_HOLDS in page
