"""Admin for comments and the audit log. Comments are registered here, not in
discussion, because their bulk actions are moderation's verbs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from broadsheet.discussion import tally
from broadsheet.discussion.models import Comment, choice_label
from broadsheet.discussion.reasons import said_all
from broadsheet.moderation import actions as moderation_actions
from broadsheet.moderation import notes
from broadsheet.moderation.forms import WordRuleAdminForm
from broadsheet.moderation.models import (
    AuditEntry,
    Block,
    LearnedModel,
    ModerationSettings,
    Report,
    WordRule,
)
from broadsheet.newsroom.admin import SingletonAdmin
from broadsheet.widgets import LABELLED_DATETIMES


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(SingletonAdmin):
    saved = _("Moderation settings saved.")
    fieldsets = [
        (
            _("Learned score"),
            {"fields": ["hold_threshold", "spam_threshold", "learned_min_examples"]},
        ),
        (_("Checks"), {"fields": ["max_links", "duplicate_window_minutes", "hold_first_comment"]}),
        (_("Trust and reports"), {"fields": ["trust_after", "reports_to_hide"]}),
        (_("Rate limits"), {"fields": ["rate_per_minute", "rate_per_hour"]}),
    ]

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        """Saved with an audit entry saying what changed, as the Filter page's thresholds are."""
        super().save_model(request, obj, form, change)
        # Threshold changes are filed as the Filter page files them, so that the log's
        # "thresholds" view shows every one, wherever it was made.
        changes: dict[AuditEntry.Action, list[tuple[str, Any, Any]]] = {}
        for name in form.changed_data:
            kind = (
                AuditEntry.Action.THRESHOLDS
                if name in ("hold_threshold", "spam_threshold")
                else AuditEntry.Action.SETTINGS
            )
            changes.setdefault(kind, []).append((name, form.initial.get(name), getattr(obj, name)))
        for kind, changed in changes.items():
            moderation_actions.record(kind, notes.settings_changed(changed), actor=request.user)


def _status_said(status: str) -> str | None:
    """A comment status an audit entry names, as the comment's choices label it; None
    (the admin's "-") when it names none."""
    return choice_label(Comment.Status, status) or None


@admin.register(WordRule)
class WordRuleAdmin(admin.ModelAdmin):
    """The word lists; every addition, change and removal goes into the audit log."""

    form = WordRuleAdminForm
    list_display = ["phrase", "list", "note", "created_at"]
    list_filter = ["list"]
    search_fields = ["phrase", "note"]

    def save_model(self, request: HttpRequest, obj: WordRule, form, change: bool) -> None:
        before = WordRule.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            said = notes.word_lists({obj.list: ([obj.phrase], [])})
        elif (before.phrase, before.list) != (obj.phrase, obj.list):
            said = notes.rule_changed(before, obj)
        else:
            return  # only its note changed
        moderation_actions.record(AuditEntry.Action.WORDS, said, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: WordRule) -> None:
        said = notes.word_lists({obj.list: ([], [obj.phrase])})
        super().delete_model(request, obj)
        moderation_actions.record(AuditEntry.Action.WORDS, said, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for rule in list(queryset):
            self.delete_model(request, rule)


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    """Blocks are made from the queue, which hashes the author; here they are read and lifted."""

    list_display = ["author", "kind", "expires_at", "reason", "created_by", "created_at"]
    list_filter = ["kind"]
    fields = ["author", "kind", "key", "expires_at", "reason", "created_by", "created_at"]
    readonly_fields = ["author", "kind", "key", "created_by", "created_at"]
    formfield_overrides = LABELLED_DATETIMES

    @admin.display(description=_("author"))
    def author(self, block: Block) -> str | None:
        return block.author or None  # None: the admin's "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Block, form, change: bool) -> None:
        """A block's end or reason changed here is audited, as blocking is."""
        super().save_model(request, obj, form, change)
        if form.changed_data:
            moderation_actions.record(
                AuditEntry.Action.BLOCK, notes.block_changed(obj), actor=request.user
            )

    def delete_model(self, request: HttpRequest, obj: Block) -> None:
        """Lifting a block here is lifting it from the queue: audited."""
        moderation_actions.unblock(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for block in list(queryset):
            moderation_actions.unblock(block, actor=request.user)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["comment"]
    readonly_fields = ["comment", "reason", "detail", "reporter_key", "created_at", "resolved_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(LearnedModel)
class LearnedModelAdmin(admin.ModelAdmin):
    list_display = ["version", "published_examples", "unpublished_examples", "updated_at"]
    exclude = ["blob"]
    readonly_fields = ["version", "revision", "published_examples", "unpublished_examples"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    # A change to a story's discussion, the settings or the word lists names no comment:
    # its story and note say what it was.
    list_display = ["created_at", "actor", "what", "subject", "from_said", "to_said", "said"]
    # Named: each link may be empty, and a bare select_related() follows none of them.
    list_select_related = ["actor", "comment", "article"]
    list_filter = ["action"]
    # The note as the page's language says it, beside the details and note it is made of.
    readonly_fields = ["said"]

    @admin.display(description=_("action"), ordering="action")
    def what(self, entry: AuditEntry) -> str:
        # As the audit log page says it: a change to the site settings by that name.
        return entry.get_action_display()

    @admin.display(description=_("Comment or story"))
    def subject(self, entry: AuditEntry) -> str | None:
        found = entry.comment or entry.article
        return str(found) if found else None  # None: the admin's "-"

    @admin.display(description=_("note"))
    def said(self, entry: AuditEntry) -> str:
        return entry.said

    @admin.display(description=_("from status"))
    def from_said(self, entry: AuditEntry) -> str | None:
        return _status_said(entry.from_status)

    @admin.display(description=_("to status"))
    def to_said(self, entry: AuditEntry) -> str | None:
        return _status_said(entry.to_status)

    # Append-only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# The comment list's parameters that leave it every comment, or those of one status:
# the page, the order, "show all" and the status filter.
_TALLIED_LIST = {"p", "o", "all", "status__exact"}


class _Tallied(Paginator):
    """The admin's pages of every comment, or of those of one status (``status``),
    counted by the stored counts (``discussion.tally``): counting a million comments
    took 36 to 115 ms on every page of the list on PostgreSQL, twice."""

    def __init__(self, comments: QuerySet, per_page: int, *, status: str | None, orphans: int):
        super().__init__(comments, per_page, orphans=orphans)
        self.status = status

    @cached_property
    def count(self) -> int:
        counts = tally.counts()
        return counts.get(self.status, 0) if self.status else sum(counts.values())


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["author_name", "article", "status", "kind", "created_at", "score"]
    list_filter = ["status", "kind"]
    search_fields = ["author_name", "author_email", "body"]
    raw_id_fields = ["article", "parent", "thread", "user"]
    # A website typed without its scheme is https, as on the comment form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Status changes go through moderation actions (bulk actions below), never the form,
    # and so does the time of the last one, which tells an import whether a decision
    # was made here. Where a comment hangs (its article and thread) is read-only too:
    # the form would move it without the article's stored comment count or the thread
    # following.
    readonly_fields = [
        "status", "status_changed_at", "body_html", "score", "reasons_said", "created_at",
        "edited_at", "article", "parent", "thread", "thread_key", "depth",
    ]  # fmt: skip
    # The stored reasons are shown in the admin's language (reasons_said), not as JSON.
    exclude = ["reasons"]
    actions = ["approve", "reject", "mark_spam"]
    # A filtered or searched list is counted once, not again for "N total".
    show_full_result_count = False

    def get_paginator(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
    ) -> Paginator:
        status = request.GET.get("status__exact")
        if set(request.GET) <= _TALLIED_LIST and (status is None or status in Comment.Status):
            return _Tallied(queryset, per_page, status=status, orphans=orphans)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)

    @admin.display(description=_("reasons"))
    def reasons_said(self, comment: Comment) -> str:
        return " ".join(said_all(comment.reasons))

    def save_model(self, request: HttpRequest, obj: Comment, form, change: bool) -> None:
        """Only the fields changed are written (a decision taken in the queue meanwhile
        stands), and a new text goes through the moderator's edit: rendered again for
        the page, marked edited and audited."""
        others = [name for name in form.changed_data if name != "body"]
        if others:
            obj.save(update_fields=others)
        if "body" in form.changed_data:
            moderation_actions.edit_text(obj, obj.body, actor=request.user)

    def _apply(self, request: HttpRequest, queryset: QuerySet, verb, said: Any) -> None:
        """``verb`` applied to every chosen comment by the moderator, then ``said`` (an
        ``ngettext_lazy`` counting comments as ``count``) with their number."""
        count = 0
        for comment in queryset:
            verb(comment, actor=request.user)
            count += 1
        messages.success(request, said % {"count": count})

    @admin.action(description=_("Approve"))
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        said = ngettext_lazy("Approved %(count)s comment.", "Approved %(count)s comments.", "count")
        self._apply(request, queryset, moderation_actions.approve, said)

    @admin.action(description=_("Reject"))
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        said = ngettext_lazy("Rejected %(count)s comment.", "Rejected %(count)s comments.", "count")
        self._apply(request, queryset, moderation_actions.reject, said)

    @admin.action(description=_("Mark as spam"))
    def mark_spam(self, request: HttpRequest, queryset: QuerySet) -> None:
        said = ngettext_lazy(
            "Marked %(count)s comment as spam.", "Marked %(count)s comments as spam.", "count"
        )
        self._apply(request, queryset, moderation_actions.mark_spam, said)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Deleting the row would leave the article's count and the replies' thread
        # behind; moderators delete with the queue's Delete (a status, counted).
        return False
