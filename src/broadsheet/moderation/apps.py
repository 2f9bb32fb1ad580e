import sys

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def retrain_stale_filter(sender, *, using: str, verbosity: int = 1, stdout=None, **kwargs) -> None:
    """After ``migrate``: a filter stored by an older features version is retrained."""
    from django.db import connections

    from broadsheet.moderation import learned
    from broadsheet.moderation.models import LearnedModel

    if LearnedModel._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the filter existed
    learned_from = learned.retrain_if_unusable()
    if learned_from is not None and verbosity:
        (stdout or sys.stdout).write(
            f"Retrained the learned filter from {learned_from} decided comments.\n"
        )


def create_cache_table(sender, *, using: str, **kwargs) -> None:
    """After ``migrate``: the database cache's table, when the site's cache is one.

    The rate limits and the duplicate-text check keep their counters in the
    cache, so a site that was migrated but is run under another server than
    ``broadsheet serve`` (which also creates it) needs the table too. Creating
    it again changes nothing.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class ModerationConfig(AppConfig):
    name = "broadsheet.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        post_migrate.connect(retrain_stale_filter, sender=self)
        post_migrate.connect(create_cache_table, sender=self)
        from broadsheet.discussion.rendering import CommentLink, register_comment_link

        register_comment_link(
            CommentLink(key="report", url_name="moderation:report", label="Report", rel="nofollow")
        )
