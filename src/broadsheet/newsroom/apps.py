from django.apps import AppConfig
from django.db.models.signals import post_save, pre_delete, pre_save


class NewsroomConfig(AppConfig):
    name = "broadsheet.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from broadsheet.newsroom.actions import (
            filing_changed,
            filing_deleted,
            filing_gone,
            filing_renamed,
        )

        # Before a delete, while a tag's articles can still be found.
        for model in ("Section", "Tag", "Author"):
            sender = self.get_model(model)
            pre_save.connect(filing_renamed, sender=sender, dispatch_uid=f"filing-named-{model}")
            post_save.connect(filing_changed, sender=sender, dispatch_uid=f"filing-saved-{model}")
            pre_delete.connect(filing_gone, sender=sender, dispatch_uid=f"filing-gone-{model}")
            pre_delete.connect(filing_deleted, sender=sender, dispatch_uid=f"filing-slugs-{model}")
