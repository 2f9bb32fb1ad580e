"""A site moving in keeps its comments' addresses: WordPress's ids, #comment-N."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db import connection

from broadsheet.discussion.actions import reserve_ids
from broadsheet.discussion.models import Comment
from broadsheet.discussion.quoting import quote_markdown
from broadsheet.newsroom.models import Article
from tests.conftest import post
from tests.interchange.conftest import run_export, run_import

BLOG = "https://ids.example.com"


def given() -> int:
    """The highest comment id the database has given out (reserving nothing more)."""
    return reserve_ids(0)


def wxr(path: Path, posts: dict[int, list[tuple[int, int]]]) -> Path:
    """A WXR file: post id -> its comments as (wp:comment_id, wp:comment_parent)."""
    items = []
    for post_id, comments in posts.items():
        rows = "".join(
            f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id>
<wp:comment_author>Reader {cid}</wp:comment_author>
<wp:comment_date_gmt>2016-12-06 10:{n:02d}:00</wp:comment_date_gmt>
<wp:comment_content>Comment {cid}.</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""
            for n, (cid, parent) in enumerate(comments)
        )
        items.append(
            f"""<item><title>Post {post_id}</title>
<link>{BLOG}/2016/12/06/post-{post_id}/</link>
<content:encoded>Text of post {post_id}.</content:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date_gmt>2016-12-06 09:00:00</wp:post_date_gmt>
<wp:post_name>post-{post_id}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>{rows}</item>"""
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Ids</title>'
        f"<link>{BLOG}</link><wp:wxr_version>1.2</wp:wxr_version>"
        f"<wp:base_site_url>{BLOG}</wp:base_site_url><wp:base_blog_url>{BLOG}</wp:base_blog_url>"
        + "".join(items)
        + "</channel></rss>",
        encoding="utf-8",
    )
    return path


def imported(cid: int) -> Comment:
    return Comment.objects.get(origin=f"wxr:{BLOG}#c{cid}")


def test_comments_keep_their_wordpress_ids_and_new_ones_come_after(db, tmp_path):
    base = given() + 100
    output = run_import("wxr", wxr(tmp_path / "a.xml", {7: [(base + 5, 0), (base + 9, base + 5)]}))
    assert "Every comment kept its WordPress id" in output

    first, reply = imported(base + 5), imported(base + 9)
    assert (first.pk, reply.pk) == (base + 5, base + 9)
    assert reply.parent_id == first.pk and reply.thread_id == first.pk and reply.depth == 1
    # The database hands out no id the file held: the next comment comes after them.
    fresh = post(first.article, "Posted here, after the move.")
    assert fresh.pk > base + 9


def test_ids_the_site_has_given_are_never_reused(db, tmp_path, article):
    own = post(article, "The site's own comment.")
    deleted = post(article, "Gone.")
    deleted_pk = deleted.pk
    deleted.delete()  # its id is still the site's: an old /c/<id> link must not find another
    high = given() + 50
    output = run_import(
        "wxr",
        wxr(tmp_path / "b.xml", {3: [(own.pk, 0), (deleted_pk, own.pk), (high, deleted_pk)]}),
    )
    assert "1 of 3 new comments kept its WordPress id (links to #comment-N find it)" in output

    taken, reply, kept = imported(own.pk), imported(deleted_pk), imported(high)
    assert kept.pk == high
    assert taken.pk != own.pk and reply.pk != deleted_pk  # both given ids of their own
    assert Comment.objects.get(pk=own.pk).body == "The site's own comment."
    assert reply.parent_id == taken.pk and kept.parent_id == reply.pk


def test_ids_repeated_across_posts_keep_each_thread_whole(db, tmp_path):
    """Some tools that write WXR number each post's comments from 1."""
    base = given() + 10
    run_import(
        "wxr",
        wxr(
            tmp_path / "c.xml",
            {1: [(base + 1, 0), (base + 2, base + 1)], 2: [(base + 1, 0), (base + 2, base + 1)]},
        ),
    )

    for post_id in (1, 2):
        article = Article.objects.get(origin=f"wxr:{BLOG}#{post_id}")
        top, reply = article.comments.order_by("created_at")
        assert reply.parent_id == top.pk and top.parent_id is None
    assert Comment.objects.filter(pk__in=[base + 1, base + 2]).count() == 2
    assert Comment.objects.count() == 4


def test_a_rerun_keeps_the_ids(db, tmp_path):
    path = wxr(tmp_path / "d.xml", {5: [(given() + 20, 0)]})
    run_import("wxr", path)
    before = list(Comment.objects.values_list("pk", "origin"))
    run_import("wxr", path)
    assert list(Comment.objects.values_list("pk", "origin")) == before


def test_a_dry_run_reserves_no_ids(db, tmp_path):
    before = given()
    run_import("wxr", wxr(tmp_path / "e.xml", {5: [(before + 1000, 0)]}), "--dry-run")
    # (PostgreSQL's sequence still moves past the one id the rolled-back insert drew.)
    assert given() <= before + 1
    assert not Comment.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the tests before it moved the sequence")
def test_an_empty_site_takes_every_id_from_the_file(db, tmp_path):
    run_import("wxr", wxr(tmp_path / "f.xml", {1: [(1, 0), (2, 1)], 4: [(3, 0)]}))
    assert sorted(Comment.objects.values_list("pk", flat=True)) == [1, 2, 3]


def test_an_export_turns_a_quotes_link_into_the_comments_wordpress_anchor(db, article):
    quoted = post(article, "The original point.", author_name="Dana")
    reply = post(article, quote_markdown(quoted) + "\n\nI agree.", parent=quoted)
    elsewhere = post(article, f"See [this](/c/{reply.pk + 1000}) too.")

    xml = run_export("wxr", "--base-url", "https://news.example.org")

    url = f"https://news.example.org{article.get_absolute_url()}"
    assert f'<a href="{url}#comment-{quoted.pk}"' in xml  # WordPress's own anchor
    assert 'href="/c/' not in xml
    # A comment that is not on the article keeps its permalink, made absolute.
    assert f'href="https://news.example.org/c/{reply.pk + 1000}"' in xml
    assert elsewhere.body_html.count("/c/") == 1  # the site's own copy is unchanged


def _as_wordpress_imports(xml: str) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
    """What WordPress's importer (wordpress-importer 0.9.5, ``process_post_comments``)
    makes of the file's comments: it stores the posts in the file's order, each post's
    comments in the order of their ``wp:comment_id``, each under its table's next id.
    Returns each comment's (by author) id in the file, the id WordPress gives it, and
    its text."""
    from lxml import etree

    ns = {"wp": "http://wordpress.org/export/1.2/"}
    root = etree.fromstring(xml.encode())
    in_file: dict[str, int] = {}
    given: dict[str, int] = {}
    texts: dict[str, str] = {}
    next_id = 2  # a new WordPress: its sample comment took 1
    for item in root.iter("item"):
        stored: set[int] = set()
        comments = item.findall("wp:comment", ns)
        for c in sorted(comments, key=lambda c: int(c.findtext("wp:comment_id", "", ns))):
            author = c.findtext("wp:comment_author", "", ns)
            cid, parent = (int(c.findtext(f"wp:comment_{f}", "", ns)) for f in ("id", "parent"))
            assert parent == 0 or parent in stored  # else WordPress would lose the thread
            stored.add(cid)
            in_file[author], given[author] = cid, next_id
            texts[author] = c.findtext("wp:comment_content", "", ns)
            next_id += 1
    return in_file, given, texts


def test_an_export_can_number_comments_as_the_wordpress_importing_it_will(db, article, tmp_path):
    # An imported thread whose reply is older than its parent (ids 20, 10, 30), which the
    # export writes under a new id after the site's highest, then comments and quotes
    # posted here on two articles, their ids interleaved.
    run_import("wxr", wxr(tmp_path / "a.xml", {1: [(20, 0), (10, 20), (30, 10)]}), "--no-train")
    imported_post = Article.objects.get(slug="post-1")
    for pk, origin in Comment.objects.filter(article=imported_post).values_list("pk", "origin"):
        Comment.objects.filter(pk=pk).update(author_name=f"Imported {origin.split('#c')[1]}")
    first = post(article, "The original point.", author_name="First")
    post(imported_post, quote_markdown(Comment.objects.get(author_name="Imported 10")) + "\n\nYes.",
         author_name="Quoting imported")  # fmt: skip
    second = post(article, "Another point.", author_name="Second", parent=first)
    post(article, quote_markdown(first) + "\n\n" + quote_markdown(second) + "\n\nBoth.",
         author_name="Quoting both", parent=second)  # fmt: skip

    plain = run_export("wxr", "--base-url", "https://news.example.org")
    in_file, given, _ = _as_wordpress_imports(plain)
    assert in_file != given  # what --first-comment-id is for: the anchors find others

    xml = run_export("wxr", "--base-url", "https://news.example.org", "--first-comment-id", "2")
    in_file, given, texts = _as_wordpress_imports(xml)
    assert in_file == given and sorted(given.values()) == list(range(2, 9))
    url = f"https://news.example.org{article.get_absolute_url()}"
    assert f'href="{url}#comment-{given["First"]}"' in texts["Quoting both"]
    assert f'href="{url}#comment-{given["Second"]}"' in texts["Quoting both"]
    url = f"https://news.example.org{imported_post.get_absolute_url()}"
    assert f'href="{url}#comment-{given["Imported 10"]}"' in texts["Quoting imported"]


@pytest.mark.parametrize("value", ["0", "-3", "two", "١٢"])
def test_a_first_comment_id_that_is_not_one_is_refused(db, value):
    with pytest.raises(CommandError, match="is not a comment id"):
        run_export("wxr", "--first-comment-id", value)
    with pytest.raises(CommandError, match="--first-comment-id is for wxr"):
        run_export("json", "--first-comment-id", "2")


def test_a_file_numbered_for_wordpress_is_refused_by_an_import_here(db, tmp_path):
    """A file written with --first-comment-id gives its comments other ids than theirs:
    imported where an earlier export of the same site was (or before a later one), each
    id found another comment, its text written over that one's. It is refused, changing
    nothing."""
    from tests.conftest import make_article

    first, second = make_article(slug="first"), make_article(slug="second")
    for n in range(3):
        post(first, f"On the first, {n}.")
        post(second, f"On the second, {n}.")
    base = "https://old.example.org"
    run_export("wxr", "--base-url", base, "-o", str(tmp_path / "plain.xml"))
    renumbered = tmp_path / "for-wordpress.xml"
    run_export("wxr", "--base-url", base, "--first-comment-id", "2", "-o", str(renumbered))
    assert "?v=1&amp;comment-ids=wordpress&amp;articles=whole</generator>" in renumbered.read_text()
    with pytest.raises(CommandError, match=r"numbered for a WordPress .*Nothing was imported"):
        run_import("wxr", str(renumbered), "--no-train")
    assert Comment.objects.count() == 6 and Article.objects.count() == 2
    run_import("wxr", str(tmp_path / "plain.xml"), "--no-train")
    stored = list(Comment.objects.order_by("pk").values_list("origin", "article_id", "body"))
    with pytest.raises(CommandError, match=r"numbered for a WordPress .*Nothing was imported"):
        run_import("wxr", str(renumbered), "--no-train")
    assert list(Comment.objects.order_by("pk").values_list("origin", "article_id", "body")) == (
        stored
    )


def test_a_quote_of_another_articles_comment_leads_to_its_wordpress_anchor(db, tmp_path):
    """With --first-comment-id every comment's id in WordPress is known, so a quote of a
    comment on another article (later or earlier in the file) is written as that post's
    address and the comment's anchor there, where it was the /c/<id> WordPress does not
    have; and so is a Markdown article's link to a comment."""
    from tests.conftest import make_article

    first, second = make_article(slug="first"), make_article(slug="שני")
    early = post(second, "Said on the second.", author_name="Early")
    post(first, quote_markdown(early) + "\n\nFrom the other.", author_name="Forward")
    said = post(first, "Said on the first 👩🏽‍🚀.", author_name="דנה")
    post(second, quote_markdown(said) + "\n\nBack.", author_name="Back", parent=early)
    third = make_article(slug="third", body=f"As [a reader put it](/c/{said.pk}), the vote.")
    post(third, "On the third.", author_name="Third")

    base = "https://news.example.org"
    xml = run_export("wxr", "--base-url", base, "--first-comment-id", "2")

    in_file, given, texts = _as_wordpress_imports(xml)
    assert in_file == given and sorted(given.values()) == list(range(2, 7))
    first_url, second_url = (base + a.get_absolute_url() for a in (first, second))
    second_url = second_url.replace("שני", "%D7%A9%D7%A0%D7%99")
    assert f'href="{second_url}#comment-{given["Early"]}"' in texts["Forward"]
    assert f'href="{first_url}#comment-{given["דנה"]}"' in texts["Back"]
    assert f'href="{first_url}#comment-{given["דנה"]}"' in xml  # the article's link
    assert "/c/" not in xml
    # Without it the ids WordPress will give are not known: the permalink, made absolute.
    assert f'href="{base}/c/{early.pk}"' in run_export("wxr", "--base-url", base)


def test_a_quote_of_a_comment_the_file_leaves_out_leads_to_its_posts_discussion(db):
    """--visible-only leaves out a comment readers do not see: a quote of it leads to
    the discussion of the post it was on (WordPress's #comments), on its own post or on
    another. A link to an id no comment has stays the permalink it was."""
    from django.contrib.auth import get_user_model

    from broadsheet.moderation import actions as moderation
    from tests.conftest import make_article

    first, second = make_article(slug="first"), make_article(slug="second")
    hidden = post(first, "Rejected later.", author_name="Hidden")
    post(first, quote_markdown(hidden) + "\n\nHere.", author_name="Same post")
    post(second, quote_markdown(hidden) + "\n\nThere.", author_name="Other post")
    post(second, "See [this](/c/9999) too.", author_name="Nowhere")
    moderation.reject(hidden, actor=get_user_model().objects.create_user("mod", is_staff=True))

    base = "https://news.example.org"
    xml = run_export("wxr", "--base-url", base, "--visible-only", "--first-comment-id", "40")

    _, _, texts = _as_wordpress_imports(xml)
    assert "Hidden" not in texts
    discussion = f'href="{base}{first.get_absolute_url()}#comments"'
    assert discussion in texts["Same post"] and discussion in texts["Other post"]
    assert f'href="{base}/c/9999"' in texts["Nowhere"]


@pytest.mark.parametrize("change", ["approve", "reject"])
def test_comments_changed_during_the_export_stop_it(db, tmp_path, monkeypatch, change):
    """The quotes' anchors are found in a first reading of the comments. A comment
    approved before the second reading numbers the rest otherwise, and the file would
    send each quote to another comment; the last comment of the file, quoted, rejected
    meanwhile shifts no id, but its quote would name an id the file gives no comment.
    The export stops and writes no file."""
    from django.contrib.auth import get_user_model

    from broadsheet.interchange.wxr import writer
    from broadsheet.moderation import actions as moderation
    from tests.conftest import make_article

    first, second = make_article(slug="first"), make_article(slug="second")
    waiting = post(first, "Waiting.", author_name="Waiting")
    Comment.objects.filter(pk=waiting.pk).update(status="pending")
    quoted = post(second, "Quoted.", author_name="Quoted")
    post(first, quote_markdown(quoted), author_name="Quoting")
    found = writer._addresses_elsewhere

    def changed_meanwhile(*args):
        addresses = found(*args)
        moderator = get_user_model().objects.create_user("mod")
        getattr(moderation, change)(waiting if change == "approve" else quoted, actor=moderator)
        return addresses

    monkeypatch.setattr(writer, "_addresses_elsewhere", changed_meanwhile)
    out = tmp_path / "for-wordpress.xml"
    with pytest.raises(CommandError, match="changed while the export ran"):
        run_export("wxr", "--visible-only", "--first-comment-id", "2", "-o", str(out))
    assert list(tmp_path.iterdir()) == []
