from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from broadsheet.moderation.models import AuditEntry

DECISIONS = {"approve", "reject", "spam"}


@staff_member_required
def queue(request: HttpRequest) -> HttpResponse:
    pending = (
        Comment.objects.pending()
        .select_related("article", "parent")
        .order_by("created_at", "id")
    )
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "moderation/queue.html", {"page": page, "comments": page.object_list})


@staff_member_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in DECISIONS:
        return HttpResponseBadRequest("Unknown decision.")
    comment = get_object_or_404(Comment, pk=pk)
    actions.moderate(comment, AuditEntry.Action(action), actor=request.user)
    return redirect("moderation:queue")
