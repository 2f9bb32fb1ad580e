"""What WordPress 6.1's own exporter writes, found by exporting a real WordPress site.

The sample is written in that exporter's layout (samples/wordpress-6.1.xml): a title
typed with tags, commenters on IPv6, a commenter's address with a query written with a
bare ``&`` (as the exporter writes ``comment_author_url``, outside CDATA and unescaped),
and trashed posts with the records WordPress keeps to restore them.
"""

from __future__ import annotations

import html

import pytest
from lxml import etree

from broadsheet.discussion.models import Comment
from broadsheet.interchange.loading import clean_ip
from broadsheet.newsroom.models import Article
from tests.interchange.conftest import SAMPLES, run_export, run_import, tally

ORIGIN = "wxr:https://tribune.example.org"
SAMPLE = SAMPLES / "wordpress-6.1.xml"
EXCERPT = "http://wordpress.org/export/1.2/excerpt/"


@pytest.fixture
def imported(db):
    return run_import("wxr", SAMPLE, "--no-train")


def status(cid: int) -> str:
    return Comment.objects.get(origin=f"{ORIGIN}#c{cid}").status


def test_a_title_typed_with_tags_is_shown_as_its_text(imported):
    article = Article.objects.get(origin=f"{ORIGIN}#40")
    # WordPress shows these tags as italics and bold; a Broadsheet title is text.
    assert article.title == "Hamlet at the Old Vic & a ghost"


def test_a_trashed_post_comes_back_as_a_draft_under_the_slug_it_had(imported):
    restored = Article.objects.get(origin=f"{ORIGIN}#50")
    assert (restored.status, restored.slug) == ("draft", "budget-leak")
    # An older WordPress kept no record of the slug: the suffix trashing added goes.
    assert Article.objects.get(origin=f"{ORIGIN}#60").slug == "old-notice"


def test_a_trashed_posts_comments_get_back_the_statuses_they_had_before_the_trash(imported):
    assert [status(cid) for cid in (51, 52, 53, 54)] == ["approved", "pending", "spam", "deleted"]
    # Without a record of their status they stay out of sight, as before.
    assert status(55) == "deleted" and status(61) == "deleted"
    assert Article.objects.get(origin=f"{ORIGIN}#50").comment_count == 1
    reply = Comment.objects.get(origin=f"{ORIGIN}#c52")
    assert reply.parent == Comment.objects.get(origin=f"{ORIGIN}#c51")


def test_an_ipv4_address_seen_through_ipv6_keeps_its_dotted_form(imported):
    mapped = Comment.objects.get(origin=f"{ORIGIN}#c41")
    # As Django stores the address of a reader who posts here from such a connection.
    assert mapped.ip_address == "::ffff:198.51.100.7"
    assert Comment.objects.get(origin=f"{ORIGIN}#c42").ip_address == "2001:db8::42"
    assert mapped.author_url == "https://reader.example/?a=1&b=2"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("::ffff:c000:207", "::ffff:192.0.2.7"),
        ("::FFFF:192.0.2.7", "::ffff:192.0.2.7"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("192.0.2.7", "192.0.2.7"),
        ("unknown", None),
    ],
)
def test_addresses_are_kept_in_the_form_django_stores(given, kept):
    assert clean_ip(given) == kept


def test_importing_the_file_again_changes_nothing(imported):
    again = run_import("wxr", SAMPLE, "--no-train")
    assert tally(again, "posts") == [3, 0, 0, 3, 0]
    assert tally(again, "comments") == [8, 0, 0, 8, 0]


def excerpts(exported: str) -> dict[str, str]:
    """Each exported post's title and excerpt."""
    root = etree.fromstring(exported.encode())
    return {
        html.unescape(item.findtext("title")): item.findtext(f"{{{EXCERPT}}}encoded")
        for item in root.iter("item")
    }


def test_a_summary_that_is_only_the_teaser_is_not_exported_as_an_excerpt(db):
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    teased = Article.objects.get(origin="wxr:https://gazette.example.com#10")
    assert teased.summary  # made from the text before <!--more-->
    exported = excerpts(run_export("wxr", "--base-url", "https://new.example.com"))
    # WordPress would show this excerpt instead of the teaser, and so change the post.
    assert exported[teased.title] == ""
    teased.summary = "Written here."
    teased.save(update_fields=["summary"])
    exported = excerpts(run_export("wxr", "--base-url", "https://new.example.com"))
    assert exported[teased.title] == "Written here."
