"""A bare address in an imported comment is a link, as WordPress showed it.

WordPress keeps a comment's text as typed and makes its bare addresses links when it
shows it (``make_clickable`` on ``comment_text``); Broadsheet showed them as text.
"""

from __future__ import annotations

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.interchange.wpcontent import comment_html
from broadsheet.newsroom.models import Article
from tests.interchange.conftest import WXR_BLOG, run_import, wxr_comment, wxr_file, wxr_post
from tests.interchange.test_disqus_import import _disqus, _thread

REL = 'rel="nofollow ugc noopener"'


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "See http://example.org/a?b=1&c=2.",
            f'See <a href="http://example.org/a?b=1&amp;c=2" {REL}>'
            "http://example.org/a?b=1&amp;c=2</a>.",
        ),
        (
            "(www.example.org/x, https://en.wikipedia.org/wiki/Heat_(film))",
            f'(<a href="http://www.example.org/x" {REL}>www.example.org/x</a>, '
            f'<a href="https://en.wikipedia.org/wiki/Heat_(film)" {REL}>'
            "https://en.wikipedia.org/wiki/Heat_(film)</a>)",
        ),
        (
            "ראו https://he.wikipedia.org/wiki/ירושלים 👍🏽",
            f'ראו <a href="https://he.wikipedia.org/wiki/ירושלים" {REL}>'
            "https://he.wikipedia.org/wiki/ירושלים</a> 👍🏽",
        ),
        (
            "&lt;https://example.org&gt;",
            f'&lt;<a href="https://example.org" {REL}>https://example.org</a>&gt;',
        ),
    ],
    ids=["query and full stop", "www and brackets", "hebrew", "angle brackets"],
)
def test_a_bare_address_becomes_a_link(text, shown):
    assert comment_html(text) == f"<p>{shown}</p>"


@pytest.mark.parametrize(
    "text",
    [
        '<a href="https://example.org/x">https://example.org/x</a> already a link',
        "<code>curl http://localhost.example/api</code> as typed",
        "write to reader@example.org, or http:// alone, or www. alone",
        "a word that holds it: id=7&amp;next=http://example.org",
    ],
    ids=["link", "code", "e-mail and nothing", "inside a word"],
)
def test_what_is_not_a_bare_address_stays_as_it_was(text):
    assert comment_html(text).count("<a ") == text.count("<a ")


def test_imported_comments_show_their_addresses_as_links(db, tmp_path):
    wxr = wxr_file(
        tmp_path, "linked.xml",
        wxr_post(1, "Ferry", "<p>Text.</p>", slug="ferry", comments=wxr_comment(
            5, "Minutes: https://harbour.example.org/minutes.pdf\nבעד!"
        )),
    )  # fmt: skip
    run_import("wxr", wxr, "--no-train")
    comment = Comment.objects.get()
    assert comment.body == "Minutes: https://harbour.example.org/minutes.pdf\nבעד!"
    assert comment.body_html == (
        f'<p>Minutes: <a href="https://harbour.example.org/minutes.pdf" {REL}>'
        "https://harbour.example.org/minutes.pdf</a><br>\nבעד!</p>"
    )
    disqus = _disqus(
        tmp_path / "d.xml",
        _thread(1, f"{WXR_BLOG}/ferry/"),
        '<post dsq:id="9"><message><![CDATA[<p>Also www.example.org</p>]]></message>'
        "<createdAt>2021-01-02T00:00:00Z</createdAt><author><name>B</name></author>"
        '<thread dsq:id="1"/></post>',
    )
    run_import("disqus", disqus, "--no-train")
    linked = Comment.objects.get(origin__startswith="disqus:")
    assert f'<a href="http://www.example.org" {REL}>www.example.org</a>' in linked.body_html


def test_the_upgrade_links_the_addresses_of_comments_imported_before(db, tmp_path):
    wxr = wxr_file(
        tmp_path, "linked.xml",
        wxr_post(1, "Ferry", "<p>Text.</p>", slug="ferry", comments="".join([
            wxr_comment(5, "Minutes: https://harbour.example.org/minutes.pdf"),
            wxr_comment(6, "No address here."),
        ])),
        wxr_post(2, "Quiet", "<p>Text.</p>", slug="quiet", comments=wxr_comment(7, "Hi.")),
    )  # fmt: skip
    run_import("wxr", wxr, "--no-train")
    linked = Comment.objects.get(body__contains="Minutes")
    shown = linked.body_html
    earlier = timezone.now() - timedelta(days=1)
    # As the version before stored it: the address as text.
    before = "<p>Minutes: https://harbour.example.org/minutes.pdf</p>"
    Comment.objects.filter(pk=linked.pk).update(body_html=before)
    Article.objects.update(changed_at=earlier)
    untouched = dict(Comment.objects.exclude(pk=linked.pk).values_list("pk", "body_html"))

    migration = importlib.import_module(
        "broadsheet.discussion.migrations.0015_imported_addresses_linked"
    )
    migration.link_addresses(apps, SimpleNamespace(connection=connection))

    linked.refresh_from_db()
    assert linked.body_html == shown
    assert Article.objects.get(slug="ferry").changed_at > earlier  # its page is drawn again
    assert Article.objects.get(slug="quiet").changed_at == earlier
    assert dict(Comment.objects.exclude(pk=linked.pk).values_list("pk", "body_html")) == untouched


@pytest.mark.parametrize(
    "text",
    ["a broken address: http://[::1 as pasted", "http://[host]example.org/x"],
    ids=["unclosed bracket", "bracketed name"],
)
def test_an_address_no_url_parser_reads_stays_text(text):
    # urlsplit refuses these (ValueError): the import and the upgrade read them as text.
    assert comment_html(text) == f"<p>{text}</p>"
