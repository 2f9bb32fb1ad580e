"""The feeds of comments: one article's discussion, and the whole site's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.discussion.forms import form_stamp
from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions as moderation
from broadsheet.newsroom import actions as newsroom
from broadsheet.newsroom.models import Article, Redirect
from tests.conftest import make_article, post
from tests.feeds.conftest import NS, read_feed
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db

FEED = "/article/hello-world/feed/"


def test_an_articles_feed_lists_its_comments_newest_first(article):
    first = post(article, "First **words**.", author_name="Sam", author_url="https://sam.example")
    reply = post(article, "An answer.", author_name="Jane", parent=first)
    post(make_article(title="Another"), "Elsewhere.")
    last = post(article, "Last.", author_name="Ann", author_url="javascript:alert(1)")
    feed = read_feed(FEED)
    assert feed.text("a:title") == "Comments on “Hello world”"
    assert feed.link("alternate") == "http://testserver/article/hello-world/#comments"
    assert feed.link("self") == "http://testserver/article/hello-world/feed/"
    assert feed.titles == ["Comment by Ann", "Comment by Jane", "Comment by Sam"]
    ann, jane, sam = feed.entries
    assert sam.link == f"http://testserver/c/{first.pk}"
    assert sam.author == "Sam" and sam.author_uri == "https://sam.example"
    assert ann.author_uri is None  # not an address a reader can follow
    assert sam.content == first.body_html == "<p>First <strong>words</strong>.</p>\n"
    assert sam.published == sam.updated == first.created_at.isoformat()
    assert sam.id == f"tag:testserver,{timezone.localdate(first.created_at)}:comment/{first.pk}"
    assert ann.id.endswith(f":comment/{last.pk}")
    # A reply says whom it answers, to readers and to threading readers (RFC 4685).
    assert jane.content.startswith(
        f'<p>In reply to <a href="http://testserver/c/{first.pk}">Sam</a>:</p><p>An answer.</p>'
    )
    answered = jane.element.find("thr:in-reply-to", NS)
    assert answered.get("ref") == sam.id
    assert answered.get("href") == sam.link
    assert sam.element.find("thr:in-reply-to", NS) is None
    assert jane.link == f"http://testserver/c/{reply.pk}"


def test_an_edited_comment_says_when(article):
    comment = post(article, "Frist.")
    Comment.objects.filter(pk=comment.pk).update(edited_at=comment.created_at + timedelta(1))
    (entry,) = read_feed(FEED).entries
    assert entry.updated == (comment.created_at + timedelta(1)).isoformat()


def test_comments_a_reader_cannot_see_are_in_no_feed(article, site):
    moderator = make_moderator()
    shown = post(article, "Shown.")
    for status, verb in (
        ("spam", moderation.mark_spam),
        ("rejected", moderation.reject),
        ("deleted", moderation.delete),
    ):
        verb(post(article, f"Then {status}."), actor=moderator)
    newsroom.set_comment_policy(article, Article.CommentPolicy.HOLD)
    held = post(article, "Held for review.")
    assert held.status == Comment.Status.PENDING
    spam = post(article, "Judged spam.")
    Comment.objects.filter(pk=spam.pk).update(status=Comment.Status.SPAM)
    for url in (FEED, "/comments/feed/"):
        assert [e.link for e in read_feed(url).entries] == [f"http://testserver/c/{shown.pk}"]


def test_a_reply_to_a_removed_comment_names_no_parent(article):
    first = post(article, "Soon gone.", author_name="Sam")
    post(article, "An answer.", parent=first)
    moderation.delete(first, actor=make_moderator())
    (entry,) = read_feed(FEED).entries
    assert "In reply to" not in entry.content
    assert entry.element.find("thr:in-reply-to", NS) is None


def test_a_closed_discussion_still_lists_its_comments(article):
    post(article, "Before closing.")
    newsroom.set_comments_open(article, False)
    assert read_feed(FEED).titles == ["Comment by Reader"]
    assert read_feed("/comments/feed/").titles == ["Reader on “Hello world”"]


def test_no_feed_for_an_article_readers_cannot_see(article, admin_client):
    make_article(slug="draft", status=Article.Status.DRAFT, published_at=None)
    make_article(
        slug="tomorrow", status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    for slug in ("draft", "tomorrow", "no-such-story"):
        assert Client().get(f"/article/{slug}/feed/").status_code == 404
        # Not for staff either: a feed is the same for everyone.
        assert admin_client.get(f"/article/{slug}/feed/").status_code == 404
    post(article, "On a live one.")
    assert Client().get(FEED).status_code == 200
    newsroom.unpublish(article)
    assert Client().get(FEED).status_code == 404


def test_an_old_address_of_the_article_leads_to_its_feed(article):
    post(article, "Still here.")
    renamed = Article.objects.get(pk=article.pk)
    renamed.slug = "hello-again"
    newsroom.save_article(renamed)
    response = Client().get(FEED)
    assert response.status_code == 301
    assert response["Location"] == "/article/hello-again/feed/"
    assert read_feed(response["Location"]).titles == ["Comment by Reader"]
    # A WordPress post's comment feed, at its old permalink.
    Redirect.objects.create(old_path="/2016/12/06/hello/", article=article)
    for old in ("/2016/12/06/hello/feed/", "/2016/12/06/hello/feed/atom/"):
        response = Client().get(old)
        assert response.status_code == 301, old
        assert response["Location"] == "/article/hello-again/feed/"


def test_the_site_feed_of_comments_lists_every_live_articles_newest_first(article):
    other = make_article(title="Other story")
    gone = make_article(title="Soon a draft")
    post(article, "One.", author_name="Sam")
    post(other, "Two.", author_name="Jane")
    post(gone, "On a story taken down.")
    newsroom.unpublish(gone)
    post(article, "Three.", author_name="Ann")
    feed = read_feed("/comments/feed/")
    assert feed.text("a:title") == "Broadsheet: latest comments"
    assert feed.link("self") == "http://testserver/comments/feed/"
    assert feed.titles == [
        "Ann on “Hello world”",
        "Jane on “Other story”",
        "Sam on “Hello world”",
    ]


def test_a_comment_feed_holds_the_newest_feed_items_comments(article, settings):
    settings.BROADSHEET_FEED_ITEMS = 2
    for n in range(4):
        post(article, f"Number {n}.", author_name=f"N{n}")
    for url in (FEED, "/comments/feed/"):
        assert [e.author for e in read_feed(url).entries] == ["N3", "N2"]


def test_every_character_of_a_comment_survives_and_control_characters_do_not_break_it(
    article,
):
    # Posted through the web form, as a reader pastes it from a word processor.
    response = Client().post(
        f"/article/{article.slug}/comments",
        {
            "author_name": "דנה 👩‍🔬 Zoe\u0308",
            "body": "שלום! Emoji 🇮🇱, e\u0301, a\x0bvertical tab, a\x1funit separator.",
            "stamp": form_stamp(),
        },
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    stored = Comment.objects.get()
    assert stored.status == Comment.Status.APPROVED
    assert "\x0b" in stored.body  # stored as written, drawn with a line break
    for url in (FEED, "/comments/feed/"):
        (entry,) = read_feed(url).entries
        assert entry.author == "דנה 👩‍🔬 Zoe\u0308"
        assert "שלום! Emoji 🇮🇱, e\u0301, a<br>\nvertical tab, a\ufffdunit separator." in (
            entry.content
        )
