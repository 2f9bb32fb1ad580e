import sys

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


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


# What the moderation pages ask of a staff account, and the group an operator puts
# moderators in (docs/moderation.md), holding that and what moderating needs.
MODERATE = "discussion.change_comment"
MODERATE_STORY = "newsroom.moderate_discussion"
MODERATORS = "Moderators"
MODERATOR_PERMISSIONS = [
    ("discussion", "view_comment"),
    ("discussion", "change_comment"),  # what the moderation pages ask for
    ("moderation", "view_auditentry"),
    ("moderation", "view_block"),
    ("moderation", "add_block"),
    ("moderation", "change_block"),
    ("moderation", "delete_block"),
    ("moderation", "view_report"),
    ("moderation", "change_report"),
    ("moderation", "view_wordrule"),
    ("moderation", "add_wordrule"),
    ("moderation", "change_wordrule"),
    ("moderation", "delete_wordrule"),
    # Close, open or hold a story's comments from the moderation pages.
    ("newsroom", "moderate_discussion"),
]


def create_staff_groups(sender, *, using: str, **kwargs) -> None:
    """After ``migrate``: the Moderators and Editors groups, each made once; an operator
    may change them after. Run once the cache table is there: the staff names' cache
    hears of every change to a group's permissions."""
    from broadsheet.groups import make_group_once
    from broadsheet.newsroom.apps import EDITOR_PERMISSIONS, EDITORS

    make_group_once(using, MODERATORS, MODERATOR_PERMISSIONS)
    make_group_once(using, EDITORS, EDITOR_PERMISSIONS)


class ModerationConfig(AppConfig):
    name = "broadsheet.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        post_migrate.connect(retrain_stale_filter, sender=self)
        post_migrate.connect(create_cache_table, sender=self)
        # After auth's own receiver, which made the permissions (auth is installed first).
        post_migrate.connect(create_staff_groups, sender=self)
        self._watch_staff_names()
        from broadsheet.discussion.rendering import CommentLink, register_comment_link

        register_comment_link(
            CommentLink(
                key="report",
                url_name="moderation:report",
                label=gettext_noop("Report"),
                rel="nofollow",
                named=gettext_noop("Report the comment by %(name)s"),
            )
        )
        # A moderator can act on a published comment nobody reported, from its page.
        register_comment_link(
            CommentLink(
                key="moderate",
                url_name="moderation:comment",
                label=gettext_noop("Moderate"),
                rel="nofollow",
                permission=MODERATE,
            )
        )

    def _watch_staff_names(self) -> None:
        """Staff names are cached (names.staff_names): whatever can change who is staff,
        or their names, has the cache build them anew."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from broadsheet.moderation.names import forget_staff_names

        user = get_user_model()
        post_save.connect(forget_staff_names, sender=user)
        for model in (user, Group):  # a group's members lose its permissions with it
            post_delete.connect(forget_staff_names, sender=model)
        for link in (user.groups, user.user_permissions, Group.permissions):
            m2m_changed.connect(forget_staff_names, sender=link.through)
