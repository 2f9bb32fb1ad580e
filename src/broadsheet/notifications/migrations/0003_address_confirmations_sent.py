from django.db import migrations, models


def count_the_last_one(apps, schema_editor):
    # Before, only the last confirmation's time was kept: an address that was sent one
    # counts as sent one (it may have been sent more, one a day).
    Address = apps.get_model("notifications", "Address")
    Address.objects.filter(confirmation_sent_at__isnull=False).update(confirmations_sent=1)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_moderator_mail"),
    ]

    operations = [
        migrations.AddField(
            model_name="address",
            name="confirmations_sent",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(count_the_last_one, migrations.RunPython.noop),
    ]
