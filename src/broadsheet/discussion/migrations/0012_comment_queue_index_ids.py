# The queue index holds the id as well: a page of a tab far from its start reads its
# ids from the index alone (moderation/views/decisions.py, _Tab).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('discussion', '0011_status_tally'),
        ('newsroom', '0015_deletedimport'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='comment',
            name='comment_queue_idx',
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['status', 'created_at', 'id'], name='comment_queue_idx'),
        ),
    ]
