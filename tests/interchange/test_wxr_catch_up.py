"""Importing a blog again to catch up: what editors and moderators changed here stays."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, Section, Tag
from tests.interchange.conftest import (
    WXR_BLOG,
    run_import,
    tally,
    wxr_comment,
    wxr_file,
    wxr_post,
)


def _story(pid: int) -> Article:
    return Article.objects.get(origin=f"wxr:{WXR_BLOG}#{pid}")


FIRST = (
    wxr_post(
        1, "Budget vote", "The council voted.", slug="budget", comments=wxr_comment(11, "First!")
    ),
    wxr_post(2, "Bridge closed", "The bridge is shut.", slug="bridge"),
)


def test_a_catch_up_import_keeps_what_editors_changed_and_brings_new_comments(db, tmp_path):
    run_import("wxr", wxr_file(tmp_path, "first.xml", *FIRST), "--no-train")
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
    comments = wxr_comment(11, "First!") + wxr_comment(12, "Late.")
    newer = wxr_file(
        tmp_path,
        "newer.xml",
        wxr_post(
            1, "Budget vote (updated)", "The council voted again.", slug="budget-vote",
            category="city", tag="money", comments=comments,
        ),
        wxr_post(2, "Bridge reopened", "The bridge is open.", slug="bridge", open_="closed"),
    )  # fmt: skip
    output = run_import("wxr", newer, "--no-train")

    story.refresh_from_db()
    for name in ("title", "body", "slug", "section_id", "listed", "comments_open", "body_html"):
        assert getattr(story, name) == edited[name], name
    assert list(story.tags.values_list("slug", flat=True)) == ["council"]
    assert "post 1 was changed here since it was imported: kept as it is here, not as the " in (
        output
    )
    assert "file has it (body, comments open, listed, section, slug, tags, title)" in output
    assert "1 article was changed here since an earlier import" in output
    # The new comment still arrives, and is counted.
    late = Comment.objects.get(origin=f"wxr:{WXR_BLOG}#c12")
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
    run_import("wxr", wxr_file(tmp_path, "first.xml", *FIRST), "--no-train")
    story = _story(1)
    story.listed = False  # the only change here
    newsroom_actions.save_article(story)
    newer = wxr_file(
        tmp_path, "newer.xml", wxr_post(1, "Budget vote, amended", "New text.", slug="b")
    )
    run_import("wxr", newer, "--no-train")
    story.refresh_from_db()
    assert not story.listed
    assert (story.title, story.body, story.slug) == ("Budget vote, amended", "New text.", "b")
    # Once the file says what the editor chose, the two agree: nothing is noted.
    as_page = wxr_post(1, "Budget vote, amended", "New text.", slug="b", post_type="page")
    agreed = wxr_file(tmp_path, "agreed.xml", as_page)
    output = run_import("wxr", agreed, "--no-train")
    assert "changed here" not in output and not _story(1).listed


def test_a_page_made_a_listed_article_here_stays_listed(db, tmp_path):
    page = wxr_post(3, "About us", "Who we are.", slug="about", post_type="page")
    run_import("wxr", wxr_file(tmp_path, "first.xml", page), "--no-train")
    article = _story(3)
    assert not article.listed
    article.listed = True
    newsroom_actions.save_article(article)
    run_import("wxr", wxr_file(tmp_path, "again.xml", page), "--no-train")
    assert _story(3).listed


def test_articles_imported_before_the_record_was_kept_are_judged_by_their_times(db, tmp_path):
    run_import("wxr", wxr_file(tmp_path, "first.xml", *FIRST), "--no-train")
    # As an earlier version left them: no record of what it imported, made a day ago.
    Article.objects.update(imported={}, created_at=timezone.now() - timedelta(days=1))
    story = _story(1)
    story.title = "Retitled here"
    newsroom_actions.save_article(story)  # saved after the import made it
    newer = wxr_file(
        tmp_path,
        "newer.xml",
        wxr_post(1, "Budget vote (updated)", "Changed there.", slug="budget"),
        wxr_post(2, "Bridge reopened", "The bridge is open.", slug="bridge"),
    )
    output = run_import("wxr", newer, "--no-train")
    story.refresh_from_db()
    assert (story.title, story.body) == ("Retitled here", "The council voted.")
    # Every field that differs from the file stays: which of them the editor changed
    # is not known.
    kept = "post 1 was changed here since it was imported: kept as it is here, not as the file "
    kept += "has it (body, title)"
    assert kept in output
    assert _story(2).title == "Bridge reopened"  # never saved here: the file's
    # From now on the record is kept: a field that was as the file had it (comments
    # open) takes the old site's next change.
    latest = wxr_file(
        tmp_path,
        "latest.xml",
        wxr_post(1, "Budget vote (updated)", "Changed there.", slug="budget", open_="closed"),
    )
    run_import("wxr", latest, "--no-train")
    story.refresh_from_db()
    assert (story.title, story.comments_open) == ("Retitled here", False)


HEADER = (
    "<wp:author><wp:author_login>dana</wp:author_login>"
    "<wp:author_email>dana@catchup.example.com</wp:author_email>"
    "<wp:author_display_name>Dana Writer</wp:author_display_name></wp:author>"
    "<wp:category><wp:category_nicename>world</wp:category_nicename>"
    "<wp:category_parent></wp:category_parent><wp:cat_name>World</wp:cat_name></wp:category>"
    "<wp:category><wp:category_nicename>news</wp:category_nicename>"
    "<wp:category_parent>world</wp:category_parent><wp:cat_name>News</wp:cat_name></wp:category>"
)


def test_a_byline_and_a_section_an_editor_changed_keep_the_change(db, tmp_path):
    from broadsheet.newsroom.models import Author

    first = wxr_file(tmp_path, "first.xml", HEADER, *FIRST)
    run_import("wxr", first, "--no-train")
    dana, news = Author.objects.get(slug="dana"), Section.objects.get(slug="news")
    assert (dana.name, news.parent.slug) == ("Dana Writer", "world")
    # An editor gives the byline the name the paper prints, and moves the section.
    dana.name = "Dana Q. Writer"
    dana.save()
    news.parent = None
    news.save()
    output = run_import("wxr", first, "--no-train")
    dana.refresh_from_db()
    news.refresh_from_db()
    assert dana.name == "Dana Q. Writer" and news.parent is None
    assert tally(output, "authors") == [1, 0, 0, 1, 0]


def test_a_byline_named_by_its_login_takes_the_name_a_later_file_gives(db, tmp_path):
    from broadsheet.newsroom.models import Author

    # A file that lists no authors: the byline is named by the login, for want of a name.
    run_import("wxr", wxr_file(tmp_path, "first.xml", *FIRST), "--no-train")
    assert Author.objects.get(slug="dana").name == "dana"
    run_import("wxr", wxr_file(tmp_path, "full.xml", HEADER, *FIRST), "--no-train")
    dana = Author.objects.get(slug="dana")
    assert (dana.name, dana.email) == ("Dana Writer", "dana@catchup.example.com")
