"""Audit notes and block labels an older version stored as English sentences: the
upgrade (migration 0014) and a restored older backup read each one it can read exactly
back into data, and keep every other as it was stored."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from broadsheet.moderation import oldnotes
from broadsheet.moderation.models import AuditEntry, Block

BEFORE = ("moderation", "0013_field_names")
# As the version before 0014 wrote them, from a site it ran (each kind it wrote), and
# how they read now, in English and in Hebrew.
OLD_NOTES = [
    ("edit", "A moderator edited the text.", "A moderator edited the text.",
     "מנהל/ת תגובות ערך/ה את הטקסט."),
    ("undo", "Undid “Marked as spam”.", "Undid “Marked as spam”.", "בוטלה הפעולה „סומנה כספאם”."),
    ("hide", "Hidden after a reader's report.", "Hidden after a reader's report.",
     "הוסתרה אחרי דיווח של קורא/ת."),
    ("hide", "Hidden after 2 readers' reports.", "Hidden after 2 readers' reports.",
     "הוסתרה אחרי דיווחים של שני קוראים."),
    ("dismiss", "Kept; 1 report(s) dismissed.", "Kept; 1 report dismissed.",
     "התגובה נשארה; דיווח אחד נדחה."),
    ("dismiss", "Kept; 2 report(s) dismissed.", "Kept; 2 reports dismissed.",
     "התגובה נשארה; שני דיווחים נדחו."),
    ("block", "Blocked by e-mail address, IP address for 7 days. abuse, twice.",
     "Blocked by e-mail address, IP address for 7 days. abuse, twice.",
     "נחסם/ה לפי כתובת דוא״ל, כתובת IP ל־7 ימים. abuse, twice."),
    ("block", "Blocked by e-mail address for 1 day (replacing the block there was).",
     "Blocked by e-mail address for 1 day (replacing the block there was).",
     "נחסם/ה לפי כתובת דוא״ל ליום אחד (במקום החסימה הקודמת)."),
    ("block", "Blocked by account for good. Said: for 1 day (replacing it).",
     "Blocked by account for good. Said: for 1 day (replacing it).",
     "נחסם/ה לפי חשבון לתמיד. Said: for 1 day (replacing it)."),
    ("unblock", "Unblocked the IP address of דנה (comment #9) (comment #2).",
     "Unblocked the IP address of דנה (comment #9) (comment #2).",
     "הוסרה החסימה של דנה (comment #9) (תגובה #2) לפי כתובת IP."),
    ("unblock", "Unblocked the account of an author.", "Unblocked the account of an author.",
     "הוסרה החסימה של כותב/ת לפי חשבון."),
    ("thresholds", "hold 0.5 → 0.35, spam 0.95 → 0.9", "hold 0.5 → 0.35, spam 0.95 → 0.9",
     "עיכוב 0.5 ← 0.35, ספאם 0.95 ← 0.9"),
    ("thresholds", "hold threshold 0.35 → 0.4", "hold threshold 0.35 → 0.4", "סף עיכוב 0.35 ← 0.4"),
    ("settings", "most links 2 → 5; hold first comments off → on",
     "most links 2 → 5; hold first comments off → on",
     "מספר הקישורים המרבי 2 ← 5; עיכוב תגובות ראשונות כבוי ← פעיל"),
    ("settings", "Site settings: Comment policy: publish comments at once (after the spam checks) "
     "→ hold every comment for review. Close comments after days: none → 30.",
     "Site settings: Comment policy: publish comments at once (after the spam checks) → hold "
     "every comment for review. Close comments after days: none → 30.",
     "הגדרות האתר: מדיניות תגובות: פרסום תגובות מיד (אחרי בדיקות הספאם) ← כל תגובה ממתינה "
     "לבדיקה. סגירת תגובות אחרי ימים: אין ← 30."),
    ("words", "Added “casino”, “free money” on the hold list. Added “viagr*” on the block list.",
     "Added “casino”, “free money” on the hold list. Added “viagr*” on the block list.",
     "הוספה לרשימת העיכוב: „casino”, „free money”. הוספה לרשימת החסימה: „viagr*”."),
    ("words", "Removed “free money” from the hold list. Added “*pharma*” on the block list.",
     "Removed “free money” from the hold list. Added “*pharma*” on the block list.",
     "הסרה מרשימת העיכוב: „free money”. הוספה לרשימת החסימה: „*pharma*”."),
    ("words", "Changed “lottery” on the hold list to “lotter*” on the block list.",
     "Changed “lottery” on the hold list to “lotter*” on the block list.",
     "שינוי: „lottery” ברשימת העיכוב הפך ל־„lotter*” ברשימת החסימה."),
    ("words", "Removed “lotter*” on the block list.", "Removed “lotter*” from the block list.",
     "הסרה מרשימת החסימה: „lotter*”."),
    ("article", "Closed comments.", "Closed comments.", "התגובות נסגרו."),
    ("article", "Opened comments. Comment policy: the site's policy → hold every comment for "
     "review.", "Opened comments. Comment policy: the site's policy → hold every comment for "
     "review.", "התגובות נפתחו. מדיניות תגובות: מדיניות האתר ← כל תגובה ממתינה לבדיקה."),
    ("block", "Changed the block of Jane (comment #1) by e-mail address: now until 2030-01-01 "
     "12:30 (spam (again)).", "Changed the block of Jane (comment #1) by e-mail address: now "
     "until 2030-01-01 12:30 (spam (again)).", "החסימה של Jane (תגובה #1) לפי כתובת דוא״ל "
     "שונתה: עכשיו עד 2030-01-01 12:30 (spam (again))."),
    ("block", "Changed the block of an author by account: now for good.",
     "Changed the block of an author by account: now for good.",
     "החסימה של כותב/ת לפי חשבון שונתה: עכשיו לתמיד."),
]  # fmt: skip
# Kept as stored: what a moderator wrote, sentences of versions older still, and a
# sentence whose values could be read two ways (a tagline holding an arrow and a field).
KEPT = [
    ("reject", "Off topic, and rude."),
    ("hide", "Hidden after 1 readers' reports."),
    ("hide", "Hidden after 3 reader reports."),
    ("block", "Blocked by e-mail address for 7 day(s). abuse"),
    ("settings", "Site settings: Tagline: News → A → B. Thread depth: 9. Thread depth: 4 → 6."),
    ("settings", "Site settings: שפת האתר: english → עברית (hebrew)."),
    ("words", "Added “casino” on the hold list"),
    ("edit", "A moderator edited the text. Twice."),
    ("approve", "A moderator edited the text."),
]
OLD_LABELS = [
    ("Jane (comment #1)", "Jane", 1),
    ("דנה (comment #9) (comment #2)", "דנה (comment #9)", 2),
]
KEPT_LABELS = ["Sam from the bus", "Ann (comment #07)", ""]


def said(entry: AuditEntry) -> tuple[str, str]:
    with translation.override("en"):
        english = entry.said
    with translation.override("he"):
        hebrew = entry.said.replace("\u2068", "").replace("\u2069", "")
    return english, hebrew


def migrate(target: list[tuple[str, str]] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


@pytest.fixture
def before_the_upgrade(transactional_db):
    """The database as the version before 0014 left it (its models); upgraded again after."""
    migrate([BEFORE])
    yield MigrationExecutor(connection).loader.project_state(BEFORE).apps
    migrate()


def test_the_upgrade_reads_old_sentences_into_data_and_keeps_the_rest_as_stored(
    before_the_upgrade,
):
    old = before_the_upgrade
    entries = old.get_model("moderation", "AuditEntry")
    for action, note, *_ in OLD_NOTES + KEPT:
        entries.objects.create(action=action, note=note)
    blocks = old.get_model("moderation", "Block")
    for n, label in enumerate([label for label, *_ in OLD_LABELS] + KEPT_LABELS):
        blocks.objects.create(kind="email", key=f"{n:064}", label=label)
    migrate()
    stored = list(AuditEntry.objects.order_by("id"))
    for entry, (_action, _note, english, hebrew) in zip(stored, OLD_NOTES, strict=False):
        assert entry.details, entry.note
        assert said(entry) == (english, hebrew)
    for entry, (_action, note) in zip(stored[len(OLD_NOTES) :], KEPT, strict=True):
        assert (entry.details, entry.note) == ([], note)
    # The reason a moderator typed stays as typed, beside the data.
    assert stored[6].note == "abuse, twice." and stored[6].details[0]["days"] == 7
    read = Block.objects.order_by("id")
    assert [(b.author_name, b.author_comment, b.label) for b in read] == [
        *((name, comment, "") for _, name, comment in OLD_LABELS),
        *(("", None, label) for label in KEPT_LABELS),
    ]
    # Undone, the sentences are as they were (the admin's "Removed … on the block list"
    # comes back in the word lists page's words, "from").
    migrate([BEFORE])
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    notes = list(old.get_model("moderation", "AuditEntry").objects.order_by("id").values_list(
        "note", flat=True))  # fmt: skip
    assert notes == [
        "Removed “lotter*” from the block list." if note == "Removed “lotter*” on the block list."
        else note for _, note, *_ in OLD_NOTES + KEPT
    ]  # fmt: skip
    labels = old.get_model("moderation", "Block").objects.order_by("id")
    assert [b.label for b in labels] == [label for label, *_ in OLD_LABELS] + KEPT_LABELS


@pytest.mark.parametrize(("action", "note", "english", "hebrew"), OLD_NOTES)
def test_each_old_sentence_is_read_exactly(action, note, english, hebrew):
    found = oldnotes.read_note(action, note)
    assert found is not None
    entry = AuditEntry(action=action, details=found[0], note=found[1])
    assert said(entry) == (english, hebrew)


@pytest.mark.parametrize(("action", "note"), KEPT)
def test_a_note_that_cannot_be_read_exactly_is_left_as_it_is(action, note):
    assert oldnotes.read_note(action, note) is None


def test_labels_are_read_only_when_they_are_exactly_name_and_comment():
    for label, name, comment in OLD_LABELS:
        assert oldnotes.read_label(label) == (name, comment)
    assert [oldnotes.read_label(label) for label in KEPT_LABELS] == [None, None, None]


@pytest.mark.django_db
def test_an_old_block_label_is_shown_as_it_was_stored():
    block = Block.objects.create(kind="ip", key="k" * 64, label="Jane (comment #1)")
    with translation.override("he"):
        assert block.author == "Jane (comment #1)"
    block = Block.objects.create(kind="ip", key="j" * 64, author_name="Jane", author_comment=1)
    with translation.override("he"):
        assert block.author == "Jane (תגובה #1)"
