"""What `moderation train` taught from files outlives the model it went into:
rebuilds, the retraining after an upgrade and a restored backup learn it again."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError

from broadsheet.moderation import actions, learned
from broadsheet.moderation.features import CommentText
from broadsheet.moderation.learned import SpamFilter
from broadsheet.moderation.models import LearnedModel, TaughtExample
from tests.conftest import post
from tests.interchange.conftest import run_export, run_import
from tests.interchange.test_roundtrip import wipe
from tests.moderation.conftest import HAM, SPAM
from tests.moderation.test_command import run, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled(tmp_path):
    rows = [(t, "0") for t in HAM] + [(t, "1") for t in SPAM]
    return write_csv(tmp_path / "sample.csv", ["text", "label"], rows)


def decide_a_few(article, moderator) -> None:
    """Two published comments and one marked spam: three of the site's own decisions."""
    post(article, "The council meets again on Tuesday, bring questions.")
    post(article, "Thanks for explaining the tram timetable changes.")
    actions.mark_spam(post(article, "Cheap loans today http://loans.example.biz"), actor=moderator)


def counts() -> tuple[int, int]:
    row = LearnedModel.objects.get()
    return row.published_examples, row.unpublished_examples


def test_rebuild_learns_again_what_files_taught(labelled, article, moderator):
    decide_a_few(article, moderator)
    run("train", str(labelled))
    assert TaughtExample.objects.count() == 24
    said = run("rebuild")
    assert "from 3 comments and 24 examples taught from files" in said
    assert counts() == (2 + 12, 1 + 12)
    # The rebuilt filter knows the file's spam, which the site's decisions alone do not teach.
    rebuilt = learned.site_filter()
    assert rebuilt is not None
    from_decisions_alone = SpamFilter()
    learned.train(from_decisions_alone, *learned.decided_examples())
    like_the_files_spam = CommentText("Hey guys check out my new video and subscribe please")
    assert (
        rebuilt.score(like_the_files_spam) > 0.5 > from_decisions_alone.score(like_the_files_spam)
    )


def test_a_file_taught_twice_is_kept_once(labelled):
    run("train", str(labelled))
    run("train", str(labelled))
    assert TaughtExample.objects.count() == 24
    assert TaughtExample.objects.filter(not_to_publish=True).count() == 12
    assert set(TaughtExample.objects.values_list("source", flat=True)) == {"sample.csv"}


def test_a_model_file_or_a_dry_run_keeps_nothing_on_the_site(tmp_path, labelled):
    run("train", str(labelled), "--model", str(tmp_path / "f.model"))
    run("train", str(labelled), "--dry-run")
    assert not TaughtExample.objects.exists()


def test_a_page_column_is_kept_with_each_example(tmp_path):
    rows = [(HAM[0], "0", "example.com/a/ example.com/b/"), (SPAM[0], "1", "")]
    run("train", str(write_csv(tmp_path / "paged.csv", ["text", "label", "page"], rows)))
    items, labels = learned.taught_examples()
    assert [(i.body, i.page, label) for i, label in zip(items, labels, strict=True)] == [
        (HAM[0], ("example.com/a/", "example.com/b/"), 0),
        (SPAM[0], (), 1),
    ]


def test_the_retraining_after_an_upgrade_keeps_what_files_taught(labelled, article, moderator):
    decide_a_few(article, moderator)
    run("train", str(labelled))
    old = SpamFilter.loads(LearnedModel.objects.get().blob)
    old.features_version -= 1  # as after an upgrade that changed the features
    LearnedModel.objects.filter(pk=1).update(blob=old.dumps())
    assert learned.retrain_if_unusable() == 3 + 24
    assert counts() == (14, 13)


def test_status_lists_the_files_and_forget_takes_one_back(tmp_path, labelled, article, moderator):
    decide_a_few(article, moderator)
    other = write_csv(tmp_path / "other.csv", ["text", "label"], [(HAM[1], "0"), (SPAM[1], "1")])
    run("train", str(labelled))
    run("train", str(other))
    said = run("status")
    assert "Taught from other.csv: 2 examples" in said
    assert "Taught from sample.csv: 24 examples" in said

    assert "Would forget 24 examples" in run("forget", "sample.csv", "--dry-run")
    assert TaughtExample.objects.count() == 26
    said = run("forget", "sample.csv")
    assert "Forgot 24 examples taught from sample.csv" in said
    assert "from 3 comments and 2 examples taught from files" in said
    assert counts() == (3, 2)
    assert "sample.csv" not in run("status")


def test_forgetting_a_file_never_taught_is_an_error_naming_those_that_were(labelled):
    run("train", str(labelled))
    with pytest.raises(CommandError, match=r"No examples were taught from nope\.csv.*sample\.csv"):
        run("forget", "nope.csv")
    assert TaughtExample.objects.count() == 24


def test_forgetting_the_only_lessons_leaves_an_empty_filter(labelled):
    run("train", str(labelled))
    said = run("forget", "sample.csv")
    assert "nothing left to learn from" in said
    assert not LearnedModel.objects.exists()
    assert learned.site_filter() is None


def test_a_backup_keeps_what_files_taught_and_the_restore_learns_it(
    tmp_path, labelled, article, moderator
):
    decide_a_few(article, moderator)
    run("train", str(labelled))
    backup = run_export("json")
    tables = [r["table"] for r in json.loads(backup)["moderation"]]
    assert tables.count("moderation.TaughtExample") == 24

    wipe()
    LearnedModel.objects.all().delete()
    learned.forget()
    path = tmp_path / "backup.json"
    path.write_text(backup, encoding="utf-8")
    said = run_import("json", path)
    assert "learned from 3 restored decisions and 24 examples taught from files" in said
    assert TaughtExample.objects.count() == 24
    assert counts() == (14, 13)


def test_rebuild_starts_the_count_of_comments_left_standing_afresh(article, moderator):
    """As the upgrade's retraining does: every published comment so far was an example,
    so none of them is taken again as a comment that stood."""
    from broadsheet.discussion.models import Comment

    decide_a_few(article, moderator)
    run("rebuild")
    rebuilt = SpamFilter.loads(LearnedModel.objects.get().blob)
    assert rebuilt.standing_floor == Comment.objects.order_by("-pk").first().pk
