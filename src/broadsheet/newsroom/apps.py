from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _

# The group an operator puts the newsroom's writers and editors in (docs/editing.md),
# made by ``migrate`` beside the Moderators group (moderation.apps.create_staff_groups):
# write, schedule and publish stories, file them, and use the image library; not the
# site's settings, accounts, redirects or the comments themselves (Moderators have those).
EDITORS = "Editors"
EDITOR_PERMISSIONS = [
    *(("newsroom", f"{verb}_article") for verb in ("view", "add", "change", "delete")),
    ("newsroom", "moderate_discussion"),
    *(("newsroom", f"{verb}_{model}") for model in ("section", "tag", "author")
      for verb in ("view", "add", "change")),
    ("newsroom", "delete_tag"),
    *(("media", f"{verb}_image") for verb in ("view", "add", "change", "delete")),
]  # fmt: skip


class NewsroomConfig(AppConfig):
    name = "broadsheet.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        from broadsheet.newsroom.actions import (
            filing_changed,
            filing_deleted,
            filing_gone,
            filing_renamed,
            image_changed,
            imported_article_deleted,
        )
        from broadsheet.newsroom.indexing import filing_removed, tags_changed

        # Before a delete, while a tag's articles can still be found.
        for model in ("Section", "Tag", "Author"):
            sender = self.get_model(model)
            pre_save.connect(filing_renamed, sender=sender, dispatch_uid=f"filing-named-{model}")
            post_save.connect(filing_changed, sender=sender, dispatch_uid=f"filing-saved-{model}")
            pre_delete.connect(filing_gone, sender=sender, dispatch_uid=f"filing-gone-{model}")
            pre_delete.connect(filing_deleted, sender=sender, dispatch_uid=f"filing-slugs-{model}")
            post_delete.connect(
                filing_removed, sender=sender, dispatch_uid=f"filing-unsearched-{model}"
            )
        from broadsheet.newsroom.models import Article

        # Before the delete, while its old addresses (Redirect rows) can still be read.
        pre_delete.connect(
            imported_article_deleted, sender=Article, dispatch_uid="article-deleted-imports"
        )
        m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid="tags-search")
        # A body's stored HTML lists the copies of the library images it shows.
        image = "media.Image"
        post_save.connect(image_changed, sender=image, dispatch_uid="image-saved-bodies")
        post_delete.connect(image_changed, sender=image, dispatch_uid="image-deleted-bodies")
