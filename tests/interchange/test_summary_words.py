"""The import summary's sentences agree with their numbers: "1 comment", "2 comments"."""

from __future__ import annotations

from tests.interchange.conftest import run_import, wxr_comment, wxr_file, wxr_post


def _said(output: str) -> str:
    return " ".join(output.split())


def test_one_of_a_kind_is_said_in_the_singular(db, tmp_path):
    # One page, one like, one control character, one comment learned from.
    page = wxr_post(2, "About", "Who we are.", slug="about", post_type="page")
    liked = wxr_comment(3, "Sam liked this!", kind="like") + wxr_comment(4, "Fine\x01 work.")
    story = wxr_post(1, "Harbour", "The harbour opens.", slug="harbour", comments=liked)
    output = _said(run_import("wxr", wxr_file(tmp_path, "one.xml", story, page)))
    assert "1 WordPress page is an unlisted article: each at its own address" in output
    assert (
        "1 comment of type 'like' (likes from other sites, shown as reactions) was left "
        "out: it is not a reader's comment."
    ) in output
    assert "post 1: 1 comment of type 'like'" in output
    assert "1 control character XML cannot hold was replaced by spaces" in output
    assert "The moderation filter learned from 1 imported decision." in output
    assert "1 comments" not in output and "1 pages" not in output


def test_many_are_said_in_the_plural(db, tmp_path):
    pages = [wxr_post(n, f"Page {n}", "Text.", slug=f"page-{n}", post_type="page") for n in (2, 3)]
    comments = wxr_comment(4, "First.") + wxr_comment(5, "Second.")
    story = wxr_post(1, "Harbour", "The harbour opens.", slug="harbour", comments=comments)
    output = _said(run_import("wxr", wxr_file(tmp_path, "many.xml", story, *pages)))
    assert "2 WordPress pages are unlisted articles: each at its own address" in output
    assert "The moderation filter learned from 2 imported decisions." in output


def test_notes_beyond_the_limit_are_counted_in_agreement(db, tmp_path):
    # Each comment naming an author who is not in the file is noted; the summary keeps 200.
    def by_stranger(cid: int) -> str:
        return wxr_comment(cid, f"Comment {cid}.").replace(
            "</wp:comment_parent>",
            "</wp:comment_parent><wp:comment_user_id>99</wp:comment_user_id>",
        )

    for extra, words in ((1, "... and 1 more note"), (2, "... and 2 more notes")):
        comments = "".join(by_stranger(cid) for cid in range(10, 210 + extra))
        story = wxr_post(1, "Harbour", "Text.", slug=f"harbour-{extra}", comments=comments)
        path = wxr_file(tmp_path, f"notes-{extra}.xml", story)
        output = run_import("wxr", path, "--no-train", "--dry-run")
        assert output.rstrip().endswith(words), output[-300:]
