"""WordPress 6.9's editorial notes, which its exports hold among a post's comments."""

from __future__ import annotations

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article
from tests.interchange.conftest import WXR_BLOG, run_import, tally, wxr_comment, wxr_file, wxr_post


def _with_notes(kind: str) -> str:
    """A post with a reader's comment and, as WordPress 6.9 exports them, an editor's
    note on a block, a reply to it and the mark that resolved it."""
    comments = (
        wxr_comment(1, "Great report.")
        + wxr_comment(2, "Check the figure in the second paragraph.", kind=kind)
        + wxr_comment(3, "Fixed, thanks.", kind=kind, parent=2)
        + wxr_comment(4, "", kind=kind, parent=2)
    )
    return wxr_post(7, "Budget vote", "The council voted.", slug="budget", comments=comments)


def test_editorial_notes_are_not_published_as_comments(db, tmp_path, client):
    output = run_import("wxr", wxr_file(tmp_path, "notes.xml", _with_notes("note")), "--no-train")
    assert list(Comment.objects.values_list("body", flat=True)) == ["Great report."]
    assert tally(output, "comments") == [4, 1, 0, 3, 0]
    assert "post 7 has 3 editorial notes (comment type 'note'" in output
    assert "3 editorial notes were left out" in output
    assert "has type 'note'" not in output
    article = Article.objects.get()
    assert article.comment_count == 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Great report." in page and "second paragraph" not in page


def test_notes_an_earlier_import_published_are_taken_from_view(db, tmp_path):
    # As an earlier version stored them: comments like any other, two of them approved.
    run_import("wxr", wxr_file(tmp_path, "before.xml", _with_notes("")), "--no-train")
    assert Article.objects.get().comment_count == 4
    output = run_import("wxr", wxr_file(tmp_path, "notes.xml", _with_notes("note")), "--no-train")
    statuses = dict(Comment.objects.values_list("origin", "status"))
    assert statuses == {
        f"wxr:{WXR_BLOG}#c1": "approved",
        f"wxr:{WXR_BLOG}#c2": "deleted",
        f"wxr:{WXR_BLOG}#c3": "deleted",
        f"wxr:{WXR_BLOG}#c4": "deleted",
    }
    assert Article.objects.get().comment_count == 1
    assert "comment 2 is an editorial note (comment type 'note') that an earlier import" in output
