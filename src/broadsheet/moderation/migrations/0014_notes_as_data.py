# Audit entries keep what happened as data (``details``), put into words in the reader's
# language when shown; blocks keep their author's name and comment apart. The English
# sentences older versions stored are read back into that data where they can be read
# exactly (``moderation.oldnotes``); any other note or label is kept as it was, and
# shown so. Undone, the data is written back as those sentences.

from django.db import migrations, models

from broadsheet.moderation import notes, oldnotes

BATCH = 1000


def _batches(queryset):
    """The rows in id order, a batch at a time: each batch is read before it is
    written (SQLite cannot read a table while it is being changed)."""
    last = 0
    while rows := list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH]):
        yield rows
        last = rows[-1].pk


def read_old_sentences(apps, schema_editor):
    AuditEntry = apps.get_model("moderation", "AuditEntry")
    for rows in _batches(AuditEntry.objects.exclude(note="").only("action", "note")):
        read = []
        for entry in rows:
            found = oldnotes.read_note(entry.action, entry.note)
            if found is not None:
                entry.details, entry.note = found
                read.append(entry)
        AuditEntry.objects.bulk_update(read, ["details", "note"])
    Block = apps.get_model("moderation", "Block")
    for rows in _batches(Block.objects.exclude(label="").only("label")):
        read = []
        for block in rows:
            if (found := oldnotes.read_label(block.label)) is not None:
                block.author_name, block.author_comment = found
                block.label = ""
                read.append(block)
        Block.objects.bulk_update(read, ["author_name", "author_comment", "label"])


def write_old_sentences(apps, schema_editor):
    AuditEntry = apps.get_model("moderation", "AuditEntry")
    for rows in _batches(AuditEntry.objects.only("action", "details", "note")):
        written = [entry for entry in rows if entry.details]
        for entry in written:
            said = oldnotes.write_note(entry.action, entry.details, entry.note)
            entry.note = said if said is not None else notes.say(entry.details, entry.note)
            entry.details = []
        AuditEntry.objects.bulk_update(written, ["details", "note"])
    Block = apps.get_model("moderation", "Block")
    named = Block.objects.filter(label="").exclude(author_name="", author_comment=None)
    for rows in _batches(named):
        for block in rows:
            if block.author_comment is not None:
                block.label = f"{block.author_name} (comment #{block.author_comment})"[:200]
            else:
                block.label = block.author_name[:200]
        Block.objects.bulk_update(rows, ["label"])


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0013_field_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="details",
            field=models.JSONField(blank=True, default=list, verbose_name="details"),
        ),
        migrations.AddField(
            model_name="block",
            name="author_comment",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="blocked from comment"
            ),
        ),
        migrations.AddField(
            model_name="block",
            name="author_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="author's name"),
        ),
        migrations.AlterField(
            model_name="block",
            name="label",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="author (as written then)"
            ),
        ),
        migrations.RunPython(read_old_sentences, write_old_sentences),
    ]
