"""Importing a blog again to catch up: what editors and moderators changed here stays."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, Section, Tag
from tests.interchange.conftest import run_import, tally

BLOG = "https://catchup.example.com"


def _comment(cid: int, text: str, *, approved: str = "1") -> str:
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author>Reader {cid}</wp:comment_author>"
        f"<wp:comment_author_email>r{cid}@example.org</wp:comment_author_email>"
        f"<wp:comment_date_gmt>2020-01-0{cid % 9 + 1} 10:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[{text}]]></wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved>"
        "<wp:comment_parent>0</wp:comment_parent></wp:comment>"
    )


def _post(
    pid: int,
    title: str,
    body: str,
    *,
    slug: str,
    post_type: str = "post",
    open_: str = "open",
    category: str = "news",
    tag: str = "local",
    comments: str = "",
) -> str:
    return (
        f"<item><title>{title}</title><link>{BLOG}/{slug}/</link>"
        f"<dc:creator>dana</dc:creator>"
        f'<category domain="category" nicename="{category}">{category.title()}</category>'
        f'<category domain="post_tag" nicename="{tag}">{tag.title()}</category>'
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<wp:post_id>{pid}</wp:post_id><wp:post_name>{slug}</wp:post_name>"
        "<wp:post_date_gmt>2020-01-01 09:00:00</wp:post_date_gmt>"
        "<wp:post_modified_gmt>2020-01-01 09:00:00</wp:post_modified_gmt>"
        f"<wp:comment_status>{open_}</wp:comment_status><wp:status>publish</wp:status>"
        f"<wp:post_type>{post_type}</wp:post_type>{comments}</item>"
    )


def _export(tmp_path, name: str, *items: str):
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title>'
        f"<link>{BLOG}</link><wp:wxr_version>1.2</wp:wxr_version>"
        f"<wp:base_site_url>{BLOG}</wp:base_site_url><wp:base_blog_url>{BLOG}</wp:base_blog_url>"
        f"{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )
    return path


def _story(pid: int) -> Article:
    return Article.objects.get(origin=f"wxr:{BLOG}#{pid}")


FIRST = (
    _post(1, "Budget vote", "The council voted.", slug="budget", comments=_comment(11, "First!")),
    _post(2, "Bridge closed", "The bridge is shut.", slug="bridge"),
)


def test_a_catch_up_import_keeps_what_editors_changed_and_brings_new_comments(db, tmp_path):
    run_import("wxr", _export(tmp_path, "first.xml", *FIRST), "--no-train")
    story = _story(1)
    # An editor reworks the story here: title, body, slug, section, tags, unlisted...
    story.title = "Budget vote: what it means"
    story.body = "Rewritten here, with the figures."
    story.slug = "budget-explained"
    story.section = Section.objects.create(name="Politics", slug="politics")
    story.listed = False
    newsroom_actions.save_article(story)
    story.tags.set([Tag.objects.create(name="Council", slug="council")])
    # ...and a moderator closes its comments.
    newsroom_actions.set_comments_open(story, False)
    edited = Article.objects.values().get(pk=story.pk)

    # Later, the old site: both posts edited there, and a reader commented on the first.
    newer = _export(
        tmp_path,
        "newer.xml",
        _post(
            1, "Budget vote (updated)", "The council voted again.", slug="budget-vote",
            category="city", tag="money", comments=_comment(11, "First!") + _comment(12, "Late."),
        ),
        _post(2, "Bridge reopened", "The bridge is open.", slug="bridge", open_="closed"),
    )  # fmt: skip
    output = run_import("wxr", newer, "--no-train")

    story.refresh_from_db()
    for name in ("title", "body", "slug", "section_id", "listed", "comments_open", "body_html"):
        assert getattr(story, name) == edited[name], name
    assert list(story.tags.values_list("slug", flat=True)) == ["council"]
    assert "post 1 was changed here since it was imported: its body, comments open, listed, " in (
        output
    )
    assert "section, slug, tags, title stay as they are here, not as the file has them" in output
    assert "1 articles were changed here since an earlier import" in output
    # The new comment still arrives, and is counted.
    late = Comment.objects.get(origin=f"wxr:{BLOG}#c12")
    assert late.article == story and late.status == "approved"
    assert story.comment_count == 2
    assert tally(output, "comments") == [2, 1, 0, 1, 0]
    # The post nobody changed here takes every change the old site made.
    bridge = _story(2)
    assert (bridge.title, bridge.body, bridge.comments_open) == (
        "Bridge reopened", "The bridge is open.", False,
    )  # fmt: skip
    # A third run changes nothing and still keeps the editor's version.
    again = run_import("wxr", newer, "--no-train")
    assert tally(again, "posts") == [2, 0, 0, 2, 0]
    story.refresh_from_db()
    assert (story.title, story.listed, story.comments_open) == (edited["title"], False, False)


def test_what_an_editor_left_alone_still_takes_the_old_sites_changes(db, tmp_path):
    run_import("wxr", _export(tmp_path, "first.xml", *FIRST), "--no-train")
    story = _story(1)
    story.listed = False  # the only change here
    newsroom_actions.save_article(story)
    newer = _export(tmp_path, "newer.xml", _post(1, "Budget vote, amended", "New text.", slug="b"))
    run_import("wxr", newer, "--no-train")
    story.refresh_from_db()
    assert not story.listed
    assert (story.title, story.body, story.slug) == ("Budget vote, amended", "New text.", "b")
    # Once the file says what the editor chose, the two agree: nothing is noted.
    as_page = _post(1, "Budget vote, amended", "New text.", slug="b", post_type="page")
    agreed = _export(tmp_path, "agreed.xml", as_page)
    output = run_import("wxr", agreed, "--no-train")
    assert "changed here" not in output and not _story(1).listed


def test_a_page_made_a_listed_article_here_stays_listed(db, tmp_path):
    page = _post(3, "About us", "Who we are.", slug="about", post_type="page")
    run_import("wxr", _export(tmp_path, "first.xml", page), "--no-train")
    article = _story(3)
    assert not article.listed
    article.listed = True
    newsroom_actions.save_article(article)
    run_import("wxr", _export(tmp_path, "again.xml", page), "--no-train")
    assert _story(3).listed


def test_articles_imported_before_the_record_was_kept_are_judged_by_their_times(db, tmp_path):
    run_import("wxr", _export(tmp_path, "first.xml", *FIRST), "--no-train")
    # As an earlier version left them: no record of what it imported, made a day ago.
    Article.objects.update(imported={}, created_at=timezone.now() - timedelta(days=1))
    story = _story(1)
    story.title = "Retitled here"
    newsroom_actions.save_article(story)  # saved after the import made it
    newer = _export(
        tmp_path,
        "newer.xml",
        _post(1, "Budget vote (updated)", "Changed there.", slug="budget"),
        _post(2, "Bridge reopened", "The bridge is open.", slug="bridge"),
    )
    output = run_import("wxr", newer, "--no-train")
    story.refresh_from_db()
    assert (story.title, story.body) == ("Retitled here", "The council voted.")
    # Every field that differs from the file stays: which of them the editor changed
    # is not known.
    kept = "post 1 was changed here since it was imported: its body, title stay as they are"
    assert kept in output
    assert _story(2).title == "Bridge reopened"  # never saved here: the file's
    # From now on the record is kept: a field that was as the file had it (comments
    # open) takes the old site's next change.
    latest = _export(
        tmp_path,
        "latest.xml",
        _post(1, "Budget vote (updated)", "Changed there.", slug="budget", open_="closed"),
    )
    run_import("wxr", latest, "--no-train")
    story.refresh_from_db()
    assert (story.title, story.comments_open) == ("Retitled here", False)
