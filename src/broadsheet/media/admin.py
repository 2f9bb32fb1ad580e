from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from broadsheet.media import actions
from broadsheet.media.forms import UploadForm
from broadsheet.media.models import Image

THUMBNAIL_SIDE = 120


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt_text", "credit", "dimensions", "markdown_to_paste"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption", "credit"]
    date_hierarchy = "uploaded_at"
    readonly_fields = [
        "preview", "markdown_to_paste", "addresses", "narrower_copies", "dimensions", "size",
        "uploaded_at", "uploaded_by",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["preview", "markdown_to_paste", "alt_text", "caption", "credit"]}),
        (
            _("File"),
            {
                "fields": [
                    "addresses",
                    "narrower_copies",
                    "dimensions",
                    "size",
                    "uploaded_at",
                    "uploaded_by",
                ]
            },
        ),
    ]
    add_fieldsets = [(None, {"fields": ["upload", "alt_text", "caption", "credit"]})]

    def get_fieldsets(self, request: HttpRequest, obj: Image | None = None) -> Any:
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(self, request: HttpRequest, obj: Image | None = None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = UploadForm
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description=_("Image"))
    def thumbnail(self, obj: Image) -> str:
        scale = THUMBNAIL_SIDE / max(obj.shown_width, obj.shown_height, 1)
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" loading="lazy">',
            obj.smallest_url,
            max(1, round(obj.shown_width * min(scale, 1))),
            max(1, round(obj.shown_height * min(scale, 1))),
        )

    @admin.display(description=_("Preview"))
    def preview(self, obj: Image) -> str:
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" style="max-width: 100%; height: auto">',
            obj.url,
            obj.shown_width,
            obj.shown_height,
        )

    @admin.display(description=_("Markdown to paste into an article"))
    def markdown_to_paste(self, obj: Image) -> str:
        return format_html('<code class="image-markdown">{}</code>', obj.markdown)

    @admin.display(description=_("Addresses"))
    def addresses(self, obj: Image) -> str:
        if not obj.web_file:
            return format_html('<a href="{}">{}</a>', obj.url, obj.url)
        return format_html(
            '{} <a href="{}">{}</a><br>{} <a href="{}">{}</a>',
            gettext("Shown on pages (%(width)s×%(height)s):")
            % {"width": obj.web_width, "height": obj.web_height},
            obj.url, obj.url, gettext("Original:"), obj.original_url, obj.original_url,
        )  # fmt: skip

    @admin.display(description=_("For smaller screens"))
    def narrower_copies(self, obj: Image) -> str:
        if not obj.sizes:
            return gettext("None: the image is small enough as it is.")
        return format_html_join(
            ", ", '<a href="{}">{}</a>',
            ((default_storage.url(size["file"]),
              gettext("%(width)s px wide") % {"width": size["width"]}) for size in obj.sizes),
        )  # fmt: skip

    @admin.display(description=_("Size in pixels"))
    def dimensions(self, obj: Image) -> str:
        return f"{obj.width}×{obj.height}"

    def save_model(self, request: HttpRequest, obj: Image, form, change: bool) -> None:
        if change:
            actions.save_image(obj, actor=request.user)
            return
        assert isinstance(form, UploadForm) and form.prepared is not None
        stored = actions.add_image(
            form.prepared,
            alt_text=obj.alt_text,
            caption=obj.caption,
            credit=obj.credit,
            actor=request.user,
        )
        # The admin's messages and redirect name the row that was made.
        obj.pk = stored.pk
        obj.__dict__.update(stored.__dict__)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """Deleting is refused while an article shows the image: as its lead image (the
        key protects it) or in its body, where it would become a broken image."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        pks = {image.pk for image in objs}
        for image in objs:
            for article in actions.uses(image):
                if article.lead_image_id in pks:
                    continue  # listed already: the key protects it
                protected.append(
                    format_html(
                        '{} <a href="{}">{}</a> {}',
                        gettext("Article:"),
                        reverse("admin:newsroom_article_change", args=[article.pk]),
                        article.title,
                        gettext("(shows it in its body)"),
                    )
                )
        return deleted, counts, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: Image) -> None:
        actions.delete_image(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for image in queryset:
            try:
                actions.delete_image(image, actor=request.user)
            except actions.ImageInUse as refused:
                messages.error(request, str(refused))
