"""Comments in a WordPress export that are not readers' comments: WordPress 6.9's
editorial notes, and the likes and reposts the ActivityPub plugin receives."""

from __future__ import annotations

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article
from tests.interchange.conftest import WXR_BLOG, run_import, tally, wxr_comment, wxr_file, wxr_post


def _post(kinds: tuple[str, str, str] = ("note", "like", "repost")) -> str:
    """A post with a reader's comment and, as WordPress exports them, an editor's note on
    a block, a reply to it and the mark that resolved it, a like and a repost."""
    note, like, repost = kinds
    comments = (
        wxr_comment(1, "Great report.")
        + wxr_comment(2, "Check the figure in the second paragraph.", kind=note)
        + wxr_comment(3, "Fixed, thanks.", kind=note, parent=2)
        + wxr_comment(4, "", kind=note, parent=2)
        + wxr_comment(5, "… liked this!", kind=like)
        + wxr_comment(6, "… reposted this!", kind=repost)
    )
    return wxr_post(7, "Budget vote", "The council voted.", slug="budget", comments=comments)


def test_notes_likes_and_reposts_are_not_published_as_comments(db, tmp_path, client):
    output = run_import("wxr", wxr_file(tmp_path, "notes.xml", _post()), "--no-train")
    assert list(Comment.objects.values_list("body", flat=True)) == ["Great report."]
    assert tally(output, "comments") == [6, 1, 0, 5, 0]
    assert (
        "post 7: 3 comments of type 'note' (WordPress's editorial notes, shown only in its "
        "editor) left out: they are not readers' comments"
    ) in output
    assert "post 7: 1 comments of type 'like' (likes from the fediverse, shown as " in output
    assert (
        "1 comments of type 'repost' (reposts from the fediverse, shown as reactions) were left "
        "out: they are not readers' comments."
    ) in output
    assert "imported as a comment" not in output
    article = Article.objects.get()
    assert article.comment_count == 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Great report." in page and "second paragraph" not in page and "liked" not in page


def test_those_an_earlier_import_published_are_taken_from_view(db, tmp_path):
    # As an earlier version stored them: comments like any other, approved.
    run_import("wxr", wxr_file(tmp_path, "before.xml", _post(("", "", ""))), "--no-train")
    assert Article.objects.get().comment_count == 6
    output = run_import("wxr", wxr_file(tmp_path, "notes.xml", _post()), "--no-train")
    statuses = dict(Comment.objects.values_list("origin", "status"))
    assert statuses == {
        f"wxr:{WXR_BLOG}#c{cid}": "approved" if cid == 1 else "deleted" for cid in range(1, 7)
    }
    assert Article.objects.get().comment_count == 1
    assert (
        "comment 2 is of type 'note' (WordPress's editorial notes, shown only in its editor), "
        "which an earlier import stored as a comment: deleted (not shown)"
    ) in output
    assert "comment 5 is of type 'like'" in output
