"""An imported article deleted here stays deleted when its source is imported again."""

from __future__ import annotations

import json

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article, Author, DeletedImport, Section, Tag
from tests.interchange.conftest import (
    WXR_BLOG,
    run_export,
    run_import,
    tally,
    wxr_comment,
    wxr_file,
    wxr_post,
)


def _blog(tmp_path, name: str, *, late_comment: bool = False):
    late = wxr_comment(12, "Late.") if late_comment else ""
    return wxr_file(
        tmp_path,
        name,
        wxr_post(1, "Budget vote", "The council voted.", slug="budget", comments=late),
        wxr_post(2, "Bridge closed", "The bridge is shut.", slug="bridge",
                 comments=wxr_comment(21, "Shut again?")),
    )  # fmt: skip


def _story(pid: int) -> Article | None:
    return Article.objects.filter(origin=f"wxr:{WXR_BLOG}#{pid}").first()


def _bridge() -> Article | None:
    return _story(2)


def test_an_article_deleted_in_the_admin_is_left_out_by_a_catch_up_import(
    db, tmp_path, client, django_user_model
):
    run_import("wxr", _blog(tmp_path, "first.xml"), "--no-train")
    budget = _story(1)
    assert budget is not None and not budget.comments.exists()
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "x" * 12)
    client.force_login(editor)
    response = client.post(f"/admin/newsroom/article/{budget.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and _story(1) is None
    gone = DeletedImport.objects.get()
    assert (gone.origin, gone.title) == (f"wxr:{WXR_BLOG}#1", "Budget vote")
    assert "/budget/" in gone.old_paths

    # The old site is still open meanwhile: a reader commented on the post there.
    output = run_import("wxr", _blog(tmp_path, "newer.xml", late_comment=True), "--no-train")
    assert _story(1) is None
    assert list(Comment.objects.values_list("body", flat=True)) == ["Shut again?"]
    assert "post 1 was deleted here after an earlier import: left out, with its 1 comment" in (
        output
    )
    assert "1 post whose article was deleted here was left out with its comments" in output
    assert tally(output, "posts") == [2, 0, 0, 2, 0]
    assert tally(output, "comments") == [2, 0, 0, 2, 0]

    # Taking it off the list lets the next import bring the article back.
    response = client.post(f"/admin/newsroom/deletedimport/{gone.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not DeletedImport.objects.exists()
    run_import("wxr", _blog(tmp_path, "newer.xml", late_comment=True), "--no-train")
    assert _story(1) is not None and _story(1).comments.count() == 1


def test_a_disqus_thread_of_a_deleted_article_does_not_bring_it_back(db, tmp_path):
    run_import("wxr", _blog(tmp_path, "first.xml"), "--no-train")
    _bridge().delete()
    thread = (
        '<thread dsq:id="{n}"><id>t{n}</id><forum>f</forum><link>{link}</link>'
        "<title>{title}</title><createdAt>2020-01-01T00:00:00Z</createdAt>"
        "<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>"
    )
    post = (
        '<post dsq:id="{n}"><message>Hello</message><createdAt>2020-01-02T00:00:00Z'
        "</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>A</name>"
        '</author><thread dsq:id="{t}"/></post>'
    )
    path = tmp_path / "d.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">'
        + thread.format(n=1, link=f"{WXR_BLOG}/bridge/", title="Bridge closed")
        + thread.format(n=2, link="https://other.example/talk/", title="Talk")
        + post.format(n=10, t=1)
        + post.format(n=11, t=2)
        + "</disqus>",
        encoding="utf-8",
    )
    output = run_import("disqus", path, "--no-train", "--create-missing")
    assert "thread 1 ('https://catchup.example.com/bridge/') is the discussion of an article " in (
        output
    )
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Budget vote", "Talk"]
    # The article a Disqus import made, deleted in turn, is not made again either.
    Article.objects.get(title="Talk").delete()
    again = run_import("disqus", path, "--no-train", "--create-missing")
    assert "thread 2 ('https://other.example/talk/') is the discussion of an article deleted" in (
        again
    )
    assert list(Article.objects.values_list("title", flat=True)) == ["Budget vote"]
    assert not Comment.objects.exists()


def test_a_json_backup_keeps_the_list(db, tmp_path):
    run_import("wxr", _blog(tmp_path, "first.xml"), "--no-train")
    _bridge().delete()
    backup = tmp_path / "site.json"
    run_export("json", "-o", str(backup))
    records = json.loads(backup.read_text())["deleted_imports"]
    assert [r["origin"] for r in records] == [f"wxr:{WXR_BLOG}#2"]
    for model in (Article, DeletedImport, Author, Section, Tag):
        model.objects.all().delete()
    run_import("json", backup, "--no-train")
    assert list(DeletedImport.objects.values_list("origin", "title")) == [
        (f"wxr:{WXR_BLOG}#2", "Bridge closed")
    ]


def test_a_blog_whose_every_article_was_deleted_stays_deleted_when_it_moved(db, tmp_path):
    """The same blog exported again after it moved from https://catchup... to
    http://www.catchup... is still the blog imported before, whose articles were all
    deleted here: they stay deleted, where no article being left to find the earlier
    key by made the import take the blog for a new one and bring every one back."""
    run_import("wxr", _blog(tmp_path, "first.xml"), "--no-train")
    for pid in (1, 2):
        story = _story(pid)
        assert story is not None
        story.delete()
    assert DeletedImport.objects.count() == 2 and not Article.objects.exists()
    moved = _blog(tmp_path, "moved.xml")
    moved.write_text(
        moved.read_text().replace(WXR_BLOG, "http://www.catchup.example.com"), encoding="utf-8"
    )
    output = run_import("wxr", moved, "--no-train")
    assert not Article.objects.exists() and not Comment.objects.exists()
    assert "2 posts whose articles were deleted here were left out" in output
