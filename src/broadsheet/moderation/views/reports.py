"""Readers' reports: the public form, linked from every comment, to report one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from broadsheet.discussion.models import Comment
from broadsheet.discussion.views import refuse_forged_post
from broadsheet.moderation import actions
from broadsheet.moderation.forms import ReportForm
from broadsheet.moderation.identity import account_hashes, keyed_hash, normal_ip
from broadsheet.moderation.models import ModerationSettings
from broadsheet.newsroom.models import Article


def _reporter_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return account_hashes(request.user.pk)["reporter-user"]
    return keyed_hash("reporter-ip", normal_ip(request.META.get("REMOTE_ADDR") or "unknown"))


# The form is shown to anonymous readers on a cacheable page, so it carries no
# per-reader CSRF token: a cross-site post is refused by its Origin instead, by
# the same check as the comment form's (signed-in readers get the token check).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.visible().select_related("article"),
        pk=pk,
        article__in=Article.objects.live(),
    )
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if (refused := refuse_forged_post(request)) is not None:
            return refused
        if form.is_valid():
            made = actions.report(
                comment,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
                reporter_key=_reporter_key(request),
            )
            response = render(
                request, "moderation/reported.html", {"comment": comment, "again": made is None}
            )
            patch_cache_control(response, private=True, no_cache=True)
            return response
        status = 400
    hide_after = ModerationSettings.load().reports_to_hide
    response = render(
        request,
        "moderation/report.html",
        {"comment": comment, "form": form, "hide_after": hide_after},
        status=status,
    )
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response
