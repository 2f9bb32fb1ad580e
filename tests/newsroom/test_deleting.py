"""An editor deletes a story that readers commented on: the admin says how many comments
go with it, and everything that showed them follows."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils.html import strip_tags

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions as moderation
from broadsheet.moderation.models import AuditEntry, Report
from broadsheet.newsroom.apps import EDITORS
from broadsheet.newsroom.models import Article, DeletedImport, SearchDocument
from tests.conftest import make_article, post
from tests.interchange.conftest import WXR_BLOG, run_import, wxr_comment, wxr_file, wxr_post
from tests.newsroom import test_editors_group

# A staff account in the Editors group, which may not act on comments.
editor = test_editors_group.editor

pytestmark = pytest.mark.django_db


def _question(page: str) -> str:
    """What the delete page asks, as a person reads it: its words from the heading to
    the buttons, one space between them."""
    asked = page[page.index("<h1>") : page.index('<form method="post">', page.index("<h1>"))]
    return " ".join(strip_tags(asked).split())


def _counts_of_comments(said: str) -> list[str]:
    return re.findall(r"\d+ comments?\b|Comments: \d+", said)


def _imported(tmp_path) -> Article:
    blog = wxr_file(
        tmp_path,
        "blog.xml",
        wxr_post(2, "Bridge closed", "The bridge is shut for repairs.", slug="bridge",
                 comments=wxr_comment(21, "Shut again?") + wxr_comment(22, "Third time.")),
        wxr_post(3, "Ferry timetable", "The ferry runs late.", slug="ferry"),
    )  # fmt: skip
    run_import("wxr", blog, "--no-train")
    return Article.objects.get(origin=f"wxr:{WXR_BLOG}#2")


def test_an_editor_deletes_an_imported_story_with_its_comments(editor, tmp_path, site_caches):
    bridge = _imported(tmp_path)
    ferry = Article.objects.get(origin=f"wxr:{WXR_BLOG}#3")
    reader = Client()
    # Its page, its discussion's feed and the site's comments feed, as readers have them.
    assert reader.get(bridge.get_absolute_url()).status_code == 200
    assert b"Shut again?" in reader.get("/comments/feed/").content
    assert reader.get("/search/", {"q": "repairs"}).context["page"].paginator.count == 1

    asked = editor.get(f"/admin/newsroom/article/{bridge.pk}/delete/")
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "permission" not in page
    said = _question(page)
    assert "Its comments are deleted with it, whatever their status" in said
    assert "<li>Comments: 2</li>" in page and "<li>Articles: 1</li>" in page
    # Counted once: the summary, not the note or a line under the article as well.
    assert _counts_of_comments(said) == ["Comments: 2"], said
    # Counted, not listed one by one.
    assert "Shut again?" not in page

    done = editor.post(f"/admin/newsroom/article/{bridge.pk}/delete/", {"post": "yes"}, follow=True)
    assert done.status_code == 200
    said = [str(m) for m in done.context["messages"]]
    assert any("2 comments were deleted with it." in m for m in said), said

    assert not Article.objects.filter(pk=bridge.pk).exists()
    assert list(Comment.objects.values_list("article", flat=True)) == []
    assert not SearchDocument.objects.filter(article_id=bridge.pk).exists()
    gone = DeletedImport.objects.get()
    assert (gone.origin, gone.title) == (f"wxr:{WXR_BLOG}#2", "Bridge closed")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ARTICLE)
    assert entry.actor.username == "ed"
    assert entry.said == "Deleted the story “Bridge closed” with its 2 comments."
    # The rest of the site stays.
    assert Article.objects.get(pk=ferry.pk).comment_count == 0

    assert reader.get(bridge.get_absolute_url()).status_code == 404
    assert b"Shut again?" not in reader.get("/comments/feed/").content
    assert reader.get("/search/", {"q": "repairs"}).context["page"].paginator.count == 0
    front = reader.get("/").content.decode()
    assert "Bridge closed" not in front and "Ferry timetable" in front

    # A catch-up import of the old blog leaves it out, comments and all.
    run_import("wxr", tmp_path / "blog.xml", "--no-train")
    assert not Article.objects.filter(origin=f"wxr:{WXR_BLOG}#2").exists()
    assert Comment.objects.count() == 0


def test_deleting_several_stories_counts_their_comments_of_every_status(editor):
    kept = make_article(title="Kept story")
    stories = [make_article(title="Storm warning"), make_article(title="Harbour fire")]
    published = post(stories[0], "First!")
    post(stories[0], "A reply.", parent=published)
    removed = post(stories[1], "Buy pills")
    moderation.mark_spam(removed, actor=None)
    Report.objects.create(comment=published, reason=Report.Reason.SPAM)
    post(kept, "Stays.")
    chosen = {"action": "delete_selected", "_selected_action": [s.pk for s in stories]}

    asked = editor.post("/admin/newsroom/article/", chosen)
    page = asked.content.decode()
    assert asked.status_code == 200 and "permission" not in page
    said = _question(page)
    assert "<li>Comments: 3</li>" in page and "<li>Articles: 2</li>" in page
    assert "Their comments are deleted with them, whatever their status, and cannot" in said
    # The total once, and each story's share of it.
    assert _counts_of_comments(said) == ["Comments: 3", "2 comments", "1 comment"], said
    assert "Storm warning 2 comments of its own" in said
    assert "Harbour fire 1 comment of its own" in said

    done = editor.post("/admin/newsroom/article/", {**chosen, "post": "yes"}, follow=True)
    said = [str(m) for m in done.context["messages"]]
    assert any("3 comments were deleted with them." in m for m in said), said
    assert list(Article.objects.values_list("title", flat=True)) == ["Kept story"]
    assert list(Comment.objects.values_list("body", flat=True)) == ["Stays."]
    assert Article.objects.get().comment_count == 1
    assert not Report.objects.exists()
    assert sorted(e.said for e in AuditEntry.objects.filter(action=AuditEntry.Action.ARTICLE)) == [
        "Deleted the story “Harbour fire” with its 1 comment.",
        "Deleted the story “Storm warning” with its 2 comments.",
    ]
    # The spam decision's entry stays in the log, no longer pointing at the comment.
    assert AuditEntry.objects.get(action=AuditEntry.Action.SPAM).comment is None


def test_an_editor_without_the_delete_permission_is_still_refused(editor):
    story = make_article(title="Storm warning")
    post(story, "First!")
    Group.objects.get(name=EDITORS).permissions.remove(
        *Group.objects.get(name=EDITORS).permissions.filter(codename="delete_article")
    )
    assert editor.get(f"/admin/newsroom/article/{story.pk}/delete/").status_code == 403
    refused = editor.post(f"/admin/newsroom/article/{story.pk}/delete/", {"post": "yes"})
    assert refused.status_code == 403
    assert Article.objects.filter(pk=story.pk).exists() and Comment.objects.count() == 1
