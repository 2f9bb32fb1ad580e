"""The audit log page's index holds its tie-break (the id) too: entries of the same
moment were read from it in their time order, then sorted again by id (SQLite's
temporary B-tree; PostgreSQL's incremental sort, the rows' ids fetched from the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("moderation", "0015_audit_action_index")]

    operations = [
        migrations.RemoveIndex(model_name="auditentry", name="audit_recent_idx"),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["-created_at", "-id"], name="audit_recent_idx"),
        ),
    ]
