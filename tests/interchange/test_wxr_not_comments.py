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
    assert "post 7: 1 comment of type 'like' (likes from other sites, shown as " in output
    assert (
        "1 comment of type 'repost' (reposts from other sites, shown as reactions) was left "
        "out: it is not a reader's comment."
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


WEBMENTION = {"protocol": "webmention", "webmention_source_url": "https://elsewhere.example/p/1"}
# What of _webmention_post is shown, and as what kind.
WEBMENTION_KEPT = {
    "Great report.": "comment",
    "I disagree, and wrote why.": "comment",
    "A long post elsewhere that links here.": "pingback",
    "Saved for the weekend.": "comment",
}


def _kinds(**filters: str) -> dict[str, str]:
    return dict(Comment.objects.filter(**filters).values_list("body", "kind"))


def _webmention_post() -> str:
    """A post as the Webmention plugin (5.0 and later) exports it: a reader's comment, a
    reply and a mention from other sites, and reactions, each a comment type of its own
    with commentmeta ``protocol``; and a ``bookmark`` another plugin made, not received."""
    comments = (
        wxr_comment(1, "Great report.")
        + wxr_comment(2, "I disagree, and wrote why.", kind="comment", meta=WEBMENTION)
        + wxr_comment(3, "A long post elsewhere that links here.", kind="mention", meta=WEBMENTION)
        + wxr_comment(4, "liked this", kind="like", meta=WEBMENTION)
        + wxr_comment(5, "", kind="favorite", meta=WEBMENTION)
        + wxr_comment(6, "Budget vote", kind="bookmark", meta=WEBMENTION)
        + wxr_comment(7, "", kind="rsvp:yes", meta=WEBMENTION)
        + wxr_comment(8, "🎉", kind="reacji", meta=WEBMENTION)
        + wxr_comment(9, "Saved for the weekend.", kind="bookmark")
    )
    return wxr_post(7, "Budget vote", "The council voted.", slug="budget", comments=comments)


def test_webmention_reactions_are_left_out_and_replies_and_mentions_kept(db, tmp_path, client):
    output = run_import("wxr", wxr_file(tmp_path, "wm.xml", _webmention_post()), "--no-train")
    assert _kinds() == WEBMENTION_KEPT
    assert tally(output, "comments") == [9, 4, 0, 5, 0]
    for kind in ("like", "favorite", "bookmark", "rsvp", "reacji"):
        assert f"post 7: 1 comment of type {kind!r} (" in output
    assert "1 comment of type 'rsvp' (RSVPs from other sites, shown as reactions)" in output
    assert "comment 9 has type 'bookmark': imported as a comment" in output
    assert "comment 3 has type" not in output
    article = Article.objects.get()
    assert article.comment_count == 4
    page = client.get(article.get_absolute_url()).content.decode()
    assert "links here" in page and "liked this" not in page and "🎉" not in page


def _linkbacks_post() -> str:
    """A post as the Webmention plugin before 5.0 with Semantic-Linkbacks exported it:
    comment type ``webmention`` (and pingbacks, trackbacks), the response's kind in
    commentmeta ``semantic_linkbacks_type``."""

    def said(kind: str) -> dict[str, str]:
        return {"semantic_linkbacks_type": kind, "semantic_linkbacks_source": "https://x.example/"}

    comments = (
        wxr_comment(1, "Great report.")
        + wxr_comment(2, "liked this", kind="webmention", meta=said("like"))
        + wxr_comment(3, "I'll be there", kind="webmention", meta=said("rsvp:yes"))
        + wxr_comment(4, "A reply from my own site.", kind="webmention", meta=said("reply"))
        + wxr_comment(5, "A post that mentions this one.", kind="webmention", meta=said("mention"))
        + wxr_comment(6, "An older webmention, no type.", kind="webmention")
        + wxr_comment(7, "[…] favourited […]", kind="pingback", meta=said("favorite"))
        + wxr_comment(8, "[…] a trackback […]", kind="trackback", meta=said("mention"))
        + wxr_comment(9, "", kind="webmention", meta=said("invited"))
    )
    return wxr_post(7, "Budget vote", "The council voted.", slug="budget", comments=comments)


def test_semantic_linkbacks_types_are_read(db, tmp_path):
    output = run_import("wxr", wxr_file(tmp_path, "sl.xml", _linkbacks_post()), "--no-train")
    assert _kinds() == {
        "Great report.": "comment",
        "A reply from my own site.": "comment",
        "A post that mentions this one.": "pingback",
        "An older webmention, no type.": "pingback",
        "[…] a trackback […]": "trackback",
    }
    assert tally(output, "comments") == [9, 5, 0, 4, 0]
    for kind in ("like", "rsvp", "favorite", "invite"):
        assert f"post 7: 1 comment of type {kind!r} (" in output
    assert "imported as a comment" not in output
    assert Article.objects.get().comment_count == 5


def test_an_earlier_import_of_webmentions_is_put_right(db, tmp_path):
    # As an earlier version stored them: every one a comment ("has type ...: imported as
    # a comment"), the bookmark of another plugin included.
    plain = _webmention_post()
    for kind in ("comment", "mention", "like", "favorite", "bookmark", "rsvp:yes", "reacji"):
        plain = plain.replace(
            f"<wp:comment_type>{kind}</wp:comment_type>", "<wp:comment_type></wp:comment_type>"
        )
    run_import("wxr", wxr_file(tmp_path, "before.xml", plain), "--no-train")
    assert Article.objects.get().comment_count == 9
    run_import("wxr", wxr_file(tmp_path, "wm.xml", _webmention_post()), "--no-train")
    assert _kinds(status="approved") == WEBMENTION_KEPT
    assert Comment.objects.filter(status="deleted").count() == 5
    assert Article.objects.get().comment_count == 4
