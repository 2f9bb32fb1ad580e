"""The JSON backup keeps what each audit entry recorded as data (its details and note) and
each block's author (name and comment), and restores a backup written before they were
kept apart as the upgrade reads a live site's sentences."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from broadsheet.moderation import actions
from broadsheet.moderation.models import AuditEntry, Block
from tests.conftest import make_article, post
from tests.interchange.conftest import run_export, run_import
from tests.interchange.test_roundtrip import json_records, wipe

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action


def restore(tmp_path, document: dict | str) -> None:
    path = tmp_path / "backup.json"
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    wipe()
    run_import("json", path, "--no-train")


def audit_rows() -> list[tuple]:
    return list(AuditEntry.objects.order_by("id").values_list("action", "details", "note"))


def block_rows() -> list[tuple]:
    fields = ("kind", "author_name", "author_comment", "label", "reason")
    return list(Block.objects.order_by("id").values_list(*fields))


def test_a_backup_keeps_each_entrys_details_and_each_blocks_author(tmp_path):
    article = make_article()
    jane = post(article, "Hello", author_name="Jane", author_email="j@example.org")
    actions.block_author(jane, actor=None, days=3, reason="abuse, as typed")
    actions.report(jane, reason="spam", reporter_key="k")
    actions.dismiss_reports(jane, actor=None)
    actions.save_word_lists({"hold": ["casino"]}, actor=None)
    actions.moderate(jane, "approve", actor=None, note="A moderator's own words.")
    entries, blocks = audit_rows(), block_rows()
    assert (
        entries[0][1] == [{"code": "blocked", "kinds": ["email"], "days": 3, "replaced": False}]
        and entries[0][2] == "abuse, as typed"
    )
    assert blocks == [("email", "Jane", jane.pk, "", "abuse, as typed")]
    first = run_export("json")
    restore(tmp_path, first)
    assert (audit_rows(), block_rows()) == (entries, blocks)
    assert json_records(run_export("json")) == json_records(first)


def test_a_backup_from_before_details_restores_its_sentences_as_the_upgrade_reads_them(
    tmp_path,
):
    article = make_article()
    jane = post(article, "Hello", author_name="Jane", author_email="j@example.org")
    # As the version before wrote them.
    AuditEntry.objects.create(
        comment=jane, action=Action.DISMISS, note="Kept; 2 report(s) dismissed."
    )
    AuditEntry.objects.create(
        comment=jane, action=Action.BLOCK, note="Blocked by e-mail address for good. abuse"
    )
    AuditEntry.objects.create(comment=jane, action=Action.REJECT, note="Off topic.")
    Block.objects.create(kind="email", key="k" * 64, label=f"Jane (comment #{jane.pk})")
    Block.objects.create(kind="ip", key="i" * 64, label="Someone on the bus")
    document = json.loads(run_export("json"))
    for record in document["moderation"]:
        for name in ("details", "author_name", "author_comment"):
            record.pop(name, None)  # not written then
    restore(tmp_path, document)
    assert audit_rows() == [
        (Action.DISMISS, [{"code": "kept", "reports": 2}], ""),
        (Action.BLOCK,
         [{"code": "blocked", "kinds": ["email"], "days": None, "replaced": False}], "abuse"),
        (Action.REJECT, [], "Off topic."),
    ]  # fmt: skip
    assert [row[1:4] for row in block_rows()] == [
        ("Jane", jane.pk, ""), ("", None, "Someone on the bus"),
    ]  # fmt: skip
    with translation.override("he"):
        assert [e.said for e in AuditEntry.objects.order_by("id")] == [
            "התגובה נשארה; שני דיווחים נדחו.", "נחסם/ה לפי כתובת דוא״ל לתמיד. abuse", "Off topic.",
        ]  # fmt: skip
        assert [b.author for b in Block.objects.order_by("id")] == [
            f"Jane (תגובה #{jane.pk})", "Someone on the bus",
        ]  # fmt: skip


def test_a_backups_details_are_restored_as_written_even_when_this_version_cannot_say_them(
    tmp_path,
):
    AuditEntry.objects.create(action=Action.WORDS, details=[{"code": "later", "n": 1}])
    document = json.loads(run_export("json"))
    restore(tmp_path, document)
    (entry,) = AuditEntry.objects.all()
    assert entry.details == [{"code": "later", "n": 1}]
    assert entry.said == '{"code": "later", "n": 1}'
