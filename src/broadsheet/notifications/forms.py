from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from broadsheet.notifications.models import ModeratorChoice


class NoticesForm(forms.Form):
    """A moderator's choice of e-mail about comments that wait for review."""

    notices = forms.ChoiceField(
        label=_("E-mail me when comments wait for review"),
        choices=ModeratorChoice.Notices.choices,
        widget=forms.RadioSelect,
    )
