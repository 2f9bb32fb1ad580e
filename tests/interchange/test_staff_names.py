"""Imports keep history as it was: a staff member's name on an old comment stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from broadsheet.discussion.exceptions import CommentRefused
from broadsheet.discussion.models import Comment
from tests.conftest import post
from tests.interchange.conftest import run_export, run_import
from tests.interchange.test_comment_ids import wxr
from tests.interchange.test_disqus_import import _disqus, _thread
from tests.interchange.test_roundtrip import wipe

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def editor(db):
    return get_user_model().objects.create_user(
        "nokafor", first_name="Nell", last_name="Okafor", is_staff=True
    )


def refused(article) -> None:
    """Posting under the name, as against importing it, is refused."""
    with pytest.raises(CommentRefused):
        post(article, "Me again.", author_name="Nell Okafor")


def test_a_wordpress_comment_under_a_staff_name_is_imported(tmp_path):
    path = wxr(tmp_path / "old.xml", {7: [(1, 0)]})
    path.write_text(path.read_text().replace("Reader 1", "Nell Okafor"), encoding="utf-8")
    run_import("wxr", path, "--no-train")
    comment = Comment.objects.get()
    assert (comment.author_name, comment.status) == ("Nell Okafor", Comment.Status.APPROVED)
    refused(comment.article)  # posting under it is not


def test_a_disqus_comment_under_a_staff_name_is_imported(tmp_path):
    comment = (
        '<post dsq:id="7"><message><![CDATA[<p>From the old site.</p>]]></message>'
        "<createdAt>2015-01-02T00:00:00Z</createdAt><isDeleted>false</isDeleted>"
        "<isSpam>false</isSpam><author><name>NELL OKAFOR</name><isAnonymous>true</isAnonymous>"
        '</author><thread dsq:id="1"/></post>'
    )
    path = _disqus(tmp_path / "d.xml", _thread(1, "http://x.example/story/"), comment)
    run_import("disqus", path, "--create-missing", "--no-train")
    comment = Comment.objects.get()
    assert comment.author_name == "NELL OKAFOR"
    refused(comment.article)


def test_a_json_restore_keeps_a_comment_posted_before_the_name_was_reserved(
    tmp_path: Path, article, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor.is_staff = False
        editor.save()
    post(article, "Posted before she joined.", author_name="Nell Okafor")
    backup = tmp_path / "backup.json"
    backup.write_text(run_export("json"), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        editor.is_staff = True
        editor.save()
    refused(article)
    wipe()
    run_import("json", backup, "--no-train")
    restored = Comment.objects.get()
    assert (restored.author_name, restored.body) == ("Nell Okafor", "Posted before she joined.")
