from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _


class Image(models.Model):
    """An image in the library: its stored files (named by their digests) and what
    readers are told about it."""

    # The original as uploaded, written again without its metadata.
    file = models.CharField(max_length=100, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    # A smaller copy that pages show, made when the original is very large; else "".
    web_file = models.CharField(max_length=100, blank=True, default="", editable=False)
    web_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    web_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Narrower copies for smaller screens, narrowest first: [{"file", "width", "height"}].
    # Made from the original's bytes alone, so two images of the same original share them.
    sizes = models.JSONField(default=list, blank=True, editable=False)
    size = models.PositiveIntegerField(_("bytes"), editable=False)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_(
            "What the image shows, for readers who cannot see it (screen readers, "
            "images turned off). Say what matters to the story, not “photo of”."
        ),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Who took or made it, and the agency: “Jane Doe/AP”."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )  # fmt: skip

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return f"{self.alt_text} ({self.width}×{self.height})"

    @property
    def shown_file(self) -> str:
        """The stored file pages show: the smaller copy when there is one."""
        return self.web_file or self.file

    @property
    def shown_width(self) -> int:
        return self.web_width or self.width

    @property
    def shown_height(self) -> int:
        return self.web_height or self.height

    @property
    def url(self) -> str:
        """The site-relative address pages show (/media/images/…)."""
        return default_storage.url(self.shown_file)

    @property
    def original_url(self) -> str:
        return default_storage.url(self.file)

    @property
    def smallest_url(self) -> str:
        """The narrowest copy's address, for a thumbnail; the shown copy's if none."""
        return default_storage.url(self.sizes[0]["file"]) if self.sizes else self.url

    @property
    def srcset(self) -> str:
        """The ``srcset`` of the copy pages show and its narrower ones; "" when there
        are none (a small image, or an animation)."""
        if not self.sizes:
            return ""
        widths = [(default_storage.url(size["file"]), size["width"]) for size in self.sizes]
        widths.append((self.url, self.shown_width))
        return ", ".join(f"{url} {width}w" for url, width in widths)

    @property
    def files(self) -> list[str]:
        return [name for name in (self.file, self.web_file) if name] + [
            size["file"] for size in self.sizes
        ]

    @property
    def markdown(self) -> str:
        """What an editor pastes into an article's body to show it."""
        alt = " ".join(self.alt_text.split())
        for special in ("\\", "[", "]"):
            alt = alt.replace(special, f"\\{special}")
        return f"![{alt}]({self.url})"
