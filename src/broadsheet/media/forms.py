from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from broadsheet.media.images import CONTENT_TYPES, Prepared, prepare
from broadsheet.media.models import Image


class UploadForm(forms.ModelForm):
    """A new image: the file, checked and cleaned (``images.prepare``), and its words."""

    upload = forms.FileField(
        label=_("Image file"),
        help_text=_(
            "JPEG, PNG, GIF or WebP. Its metadata (camera, time, the place it was "
            "taken) is removed before it is stored."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(CONTENT_TYPES.values())}),
    )

    class Meta:
        model = Image
        fields = ["upload", "alt_text", "caption", "credit"]

    prepared: Prepared | None = None

    def clean(self) -> dict:
        """The words as the editor typed them: this form's post skips the site's UTF-8
        check (its file is not text), and Django puts U+FFFD for each byte that was not
        UTF-8."""
        cleaned = super().clean() or {}
        for name in ("alt_text", "caption", "credit"):
            if "\ufffd" in (cleaned.get(name) or ""):
                self.add_error(name, _("This was not sent as UTF-8 text: type it again."))
        return cleaned

    def clean_upload(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["upload"]
        self.prepared = prepare(upload, upload.size or 0)
        return upload
