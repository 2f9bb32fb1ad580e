"""The audit log's Action filter reads one action's entries from an index of its own."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("moderation", "0014_notes_as_data")]

    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["action", "-created_at", "-id"], name="audit_action_idx"),
        ),
    ]
