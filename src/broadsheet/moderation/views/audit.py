"""Looking back: the audit log of decisions, and how the learned filter's score has done
against them (where an editor may set its thresholds)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from broadsheet.moderation import actions, learned, outcomes
from broadsheet.moderation.models import AuditEntry, ModerationSettings
from broadsheet.moderation.views.decisions import with_links
from broadsheet.moderation.views.decorators import moderator_required, needs
from broadsheet.moderation.views.paging import CountedAhead, page_query, reach

LOG_PAGE_SIZE = 100


class _Logged(CountedAhead[AuditEntry]):
    """The log's entries, newest first, paged on their ids (``audit_recent_idx``, or
    ``audit_action_idx`` for one action's), counted as far as the next pages."""

    def shown(self, rows: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return rows.select_related("actor", "comment", "comment__article", "article")


@moderator_required
@needs("moderation.view_auditentry")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.order_by("-created_at", "-id")
    # An action it does not know shows every entry, as an unknown tab of the queue is
    # its Pending tab (a NUL was a 500 on PostgreSQL, which holds none in its text).
    action = request.GET.get("action", "")
    if action not in AuditEntry.Action.values:
        action = ""
    if action:
        entries = entries.filter(action=action)
    number = request.GET.get("page", "")
    logged = _Logged(entries, reach=reach(number, LOG_PAGE_SIZE))
    page = Paginator(logged, LOG_PAGE_SIZE).get_page(number)
    with_links([e.comment for e in page.object_list if e.comment])
    return render(
        request,
        "moderation/log.html",
        {
            "page": page,
            "actions": AuditEntry.Action.choices,
            "current": action,
            "more": logged.more,
            "page_query": page_query(action=action),
        },
    )


@moderator_required
@require_http_methods(["GET", "HEAD", "POST"])
def filter_outcomes(request: HttpRequest) -> HttpResponse:
    """How the learned score has done against the moderators' decisions, threshold by
    threshold; an editor who may change the moderation settings can set the thresholds here."""
    rules = ModerationSettings.load()
    may_change = request.user.has_perm("moderation.change_moderationsettings")
    errors: dict[str, str] = {}
    found = None  # read when shown or its suggestions taken, not for a typed change
    if request.method == "POST":
        if not may_change:
            return HttpResponseForbidden("You may not change the moderation settings.")
        wanted = {k: request.POST.get(k, "") for k in ("hold_threshold", "spam_threshold")}
        if request.POST.get("suggested"):
            found = outcomes.site_outcomes(rules=rules)
            if found.suggested_hold is None:
                return HttpResponseBadRequest("No thresholds are suggested yet.")
            # Without a suggested spam threshold the site's own stays (raised to the hold).
            spam = found.suggested_spam or max(rules.spam_threshold, found.suggested_hold)
            wanted = {"hold_threshold": str(found.suggested_hold), "spam_threshold": str(spam)}
        errors = _set_thresholds(request, wanted)
        if not errors:
            return redirect("moderation:filter")
    return render(
        request,
        "moderation/filter.html",
        {
            "outcomes": found or outcomes.site_outcomes(rules=rules),
            "latest": outcomes.LATEST,
            "enough": outcomes.ENOUGH,
            "spam_precision": outcomes.SPAM_PRECISION,
            "model": learned.model_summary(),
            "rules": rules,
            "may_change": may_change,
            "errors": errors,
            "entered": request.POST if errors else {},
        },
        status=400 if errors else 200,
    )


_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


def _set_thresholds(request: HttpRequest, wanted: dict[str, str]) -> dict[str, str]:
    """Set the hold and spam thresholds; the errors, if they cannot be."""
    values = {}
    for name, value in wanted.items():
        # Plainly written decimals only: float() would also take "1e-400" (-0.0
        # with a sign), "0.0_1" and "inf", which no one types for a threshold.
        value = value.strip()
        if not _DECIMAL.fullmatch(value):
            return {name: "A score threshold is a number between 0 and 1."}
        values[name] = float(value)
    hold, spam = values["hold_threshold"], values["spam_threshold"]
    try:
        changed = actions.set_thresholds(hold, spam, actor=request.user)
    except ValidationError as exc:
        return {field: " ".join(texts) for field, texts in exc.message_dict.items()}
    if changed:
        said = _("Thresholds set: hold from %(hold)s, spam from %(spam)s.")
        messages.success(request, said % {"hold": f"{hold:g}", "spam": f"{spam:g}"})
    else:
        messages.info(
            request,
            _("Nothing changed: the thresholds were already %(hold)s and %(spam)s.")
            % {"hold": f"{hold:g}", "spam": f"{spam:g}"},
        )
    return {}
