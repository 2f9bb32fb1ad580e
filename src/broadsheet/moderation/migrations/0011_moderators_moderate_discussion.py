"""The Moderators group of a site made before this version may close, open and hold a
story's comments from the moderation pages, as a new site's group may (apps.py)."""

from django.db import migrations

MODERATORS = "Moderators"


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(db).filter(name=MODERATORS).first()
    if group is None:
        return  # a new site: the group is made after migrating, with the permission
    # Django makes a model's permissions after the migrations; this one is needed now
    # (made as Django makes it, so that its own pass finds it there).
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    article, _ = ContentType.objects.using(db).get_or_create(app_label="newsroom", model="article")
    permission, _ = Permission.objects.using(db).get_or_create(
        content_type=article,
        codename="moderate_discussion",
        defaults={"name": "Can close, open or hold a story's comments"},
    )
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsroom", "0005_moderate_discussion"),
        ("moderation", "0010_taught_examples"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
