"""Blocking a comment's author, the list of blocks in force, and lifting one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from broadsheet.moderation.forms import BlockForm
from broadsheet.moderation.models import Block
from broadsheet.moderation.views.decorators import moderator_required, needs
from broadsheet.moderation.views.paging import QUEUE_PAGE_SIZE


@moderator_required
@require_http_methods(["GET", "POST"])
@needs("moderation.add_block")
def block(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    available = [
        kind
        for kind, present in (
            (Block.Kind.USER, comment.user_id),
            (Block.Kind.EMAIL, comment.author_email),
            (Block.Kind.IP, comment.ip_address),
        )
        if present
    ]
    form = BlockForm(request.POST or None, available=available)
    if request.method == "POST" and form.is_valid():
        actions.block_author(
            comment,
            actor=request.user,
            kinds=form.cleaned_data["kinds"],
            days=form.duration_days,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, f"Blocked {comment.author_name}.")
        return redirect("moderation:blocks")
    return render(
        request,
        "moderation/block.html",
        {"comment": comment, "form": form, "existing": actions.blocks_for(comment)},
        status=400 if form.errors else 200,
    )


@moderator_required
@needs("moderation.view_block")
def blocks(request: HttpRequest) -> HttpResponse:
    active = Block.objects.active().select_related("created_by")
    page = Paginator(active, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/blocks.html", {"page": page})


@moderator_required
@require_POST
@needs("moderation.delete_block")
def unblock(request: HttpRequest, pk: int) -> HttpResponse:
    actions.unblock(get_object_or_404(Block, pk=pk), actor=request.user)
    messages.success(request, "Unblocked.")
    return redirect("moderation:blocks")
