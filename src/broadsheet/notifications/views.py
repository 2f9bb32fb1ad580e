"""The pages behind the links in e-mails, and the moderators' page where each
chooses what e-mail they get about the queue (``notices``).

The pages behind the links show a button on GET (mail scanners open links, and must
not confirm or stop anything) and act on POST. No session or CSRF token is asked
for: the signed token in the address is the credential, and mail programs send
RFC 8058's one-click POST with neither.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from broadsheet.conf import conf
from broadsheet.discussion.models import Comment
from broadsheet.moderation.views.decorators import moderator_required
from broadsheet.notifications import actions, links, moderators
from broadsheet.notifications.forms import NoticesForm
from broadsheet.notifications.links import BadToken
from broadsheet.notifications.models import ModeratorChoice


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    response = render(request, f"notifications/{template}", context, status=status)
    # The address holds a credential: kept by no cache, listed by no search engine.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def _bad_link(request: HttpRequest, exc: BadToken) -> HttpResponse:
    return _page(request, "bad_link.html", {"reason": str(exc)}, status=400)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        key = links.read_confirm_token(token)
    except BadToken as exc:
        return _bad_link(request, exc)
    if request.method == "POST":
        actions.confirm(key)
        return _page(request, "confirmed.html", {})
    return _page(request, "confirm.html", {})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    try:
        scope, value = links.read_stop_token(token)
    except BadToken as exc:
        return _bad_link(request, exc)
    context: dict[str, Any] = {"scope": scope}
    if scope == "comment":
        comment = Comment.objects.select_related("article", "user").filter(pk=value).first()
        email = actions.address_of(comment) if comment else ""
        context["comment"] = comment
        if email:
            context["stop_all_path"] = links.stop_path({"a": links.address_key(email)})
    elif scope == "moderator":
        context["moderator"] = get_user_model().objects.filter(pk=value).first()
    if request.method == "GET":
        return _page(request, "stop.html", context)
    if scope == "comment":
        actions.stop_comment(int(value))
    elif scope == "moderator":
        if context["moderator"] is not None:
            actions.set_notices(context["moderator"], ModeratorChoice.Notices.NEVER)
    else:
        actions.stop_address(str(value))
        context["resume_path"] = links.confirm_path(str(value))
    return _page(request, "stopped.html", context)


@moderator_required
@require_http_methods(["GET", "HEAD", "POST"])
def notices(request: HttpRequest) -> HttpResponse:
    """The moderator's own choice: never, a digest, or an e-mail for every comment."""
    stored = ModeratorChoice.objects.filter(user_id=request.user.pk or 0).first()
    current = stored.notices if stored else ModeratorChoice.DEFAULT
    form = NoticesForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        chosen = form.cleaned_data["notices"]
        if actions.set_notices(request.user, chosen):
            label = ModeratorChoice.Notices(chosen).label.lower()
            messages.success(request, _("Saved: %(choice)s.") % {"choice": label})
        else:
            messages.info(request, _("That was your choice already: nothing changed."))
        return redirect("notices:choice")
    if not form.is_bound:
        form = NoticesForm(initial={"notices": current})
    response = render(
        request,
        "notifications/notices.html",
        {
            "form": form,
            "current": ModeratorChoice.Notices(current),
            "told": moderators.moderators().filter(pk=request.user.pk).exists(),
            "minutes": conf.MODERATION_DIGEST_MINUTES,
        },
        status=400 if form.errors else 200,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
