from __future__ import annotations

from collections.abc import Sequence

from django import forms

from broadsheet.moderation.models import Block, Report

DURATIONS = [
    ("1", "1 day"),
    ("7", "7 days"),
    ("30", "30 days"),
    ("365", "1 year"),
    ("", "For good"),
]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    detail = forms.CharField(
        label="Anything the moderators should know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


class BlockForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Block by",
        choices=Block.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.ChoiceField(label="For how long", choices=DURATIONS, required=False)
    reason = forms.CharField(label="Reason (kept in the audit log)", required=False, max_length=300)

    def __init__(
        self, *args, choices: Sequence[tuple[str, str]], ticked: Sequence[str], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        kinds = self.fields["kinds"]
        assert isinstance(kinds, forms.MultipleChoiceField)
        kinds.choices = list(choices)
        kinds.initial = list(ticked)

    @property
    def duration_days(self) -> int | None:
        value = self.cleaned_data.get("days")
        return int(value) if value else None
