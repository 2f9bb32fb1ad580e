from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "broadsheet.discussion"
    label = "discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_migrate, post_save, pre_delete, pre_save

        from broadsheet.discussion import indexing, staffmark, tally

        user = get_user_model()
        pre_save.connect(staffmark.note_staff, sender=user)
        post_save.connect(staffmark.staff_changed, sender=user)
        pre_delete.connect(staffmark.account_deleted, sender=user)
        # A migration that copies the comments' table drops the text index's triggers.
        post_migrate.connect(indexing.mend, sender=self)
        # ... and the queue counts' triggers.
        post_migrate.connect(tally.mend, sender=self)
