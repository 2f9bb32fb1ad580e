"""The moderators' forms: reporting a comment, blocking its author, the word lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from broadsheet.discussion.forms import FocusedField
from broadsheet.markup import html_text
from broadsheet.moderation import wordmatch
from broadsheet.moderation.models import Block, Report, WordRule, new_rule_problem

DURATIONS = [
    ("1", _("1 day")),
    ("7", _("7 days")),
    ("30", _("30 days")),
    ("365", _("1 year")),
    ("", _("For good")),
]
# What the block form offers first: a week. Most blocks on a news site cool down a
# heated reader, not a bot (the filter files those), and a week outlasts a story's
# discussion; a block by mistake, or on an address others share, then ends by itself,
# even for a moderator who may block but not lift blocks. "For good" is one choice away.
DEFAULT_DURATION = "7"

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReportForm(forms.Form):
    bound_field_class = FocusedField
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    detail = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


class BlockForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Block by"),
        choices=Block.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.ChoiceField(
        label=_("For how long"), choices=DURATIONS, required=False, initial=DEFAULT_DURATION
    )
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"), required=False, max_length=300
    )

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


class _ShownTextarea(forms.Textarea):
    """A text box that shows each character HTML forbids as ``html_text`` does: a rule
    typed with one comes back refused, the character marked where it was."""

    def format_value(self, value: Any) -> str | None:
        shown = super().format_value(value)
        return html_text(shown) if shown else shown


def _list_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        strip=False,
        widget=_ShownTextarea(attrs={"rows": 12, "cols": 40, "dir": "auto", "spellcheck": "false"}),
    )


class WordListsForm(forms.Form):
    """Both word lists, one rule a line. A rule new to its list must not be too broad
    (``new_rule_problem``); rules already stored are kept as they are, and warned about."""

    hold = _list_field(
        _("Hold for review"), _("A comment with one of these waits for a moderator.")
    )
    block = _list_field(_("File as spam"), _("A comment with one of these goes straight to Spam."))

    def __init__(self, *args, stored: dict[str, list[str]], **kwargs) -> None:
        kwargs.setdefault("initial", {kind: "\n".join(p) for kind, p in stored.items()})
        super().__init__(*args, **kwargs)
        self.stored = stored

    def clean_hold(self) -> list[str]:
        return self._rules(WordRule.List.HOLD)

    def clean_block(self) -> list[str]:
        return self._rules(WordRule.List.BLOCK)

    def _rules(self, kind: str) -> list[str]:
        # One rule a line, its spaces evened out as the matcher reads them; repeats once.
        phrases = list(
            dict.fromkeys(" ".join(line.split()) for line in self.cleaned_data[kind].splitlines())
        )
        phrases = [p for p in phrases if p]
        problems = []
        for phrase in phrases:
            if phrase in self.stored.get(kind, []):
                continue
            if problem := new_rule_problem(phrase):
                problems.append(problem)
        if problems:
            raise ValidationError(problems)
        return phrases

    def new_rules(self) -> list[tuple[str, str]]:
        """The (list, phrase) pairs this save adds, which the lists do not hold yet."""
        return [
            (kind, phrase)
            for kind in (WordRule.List.HOLD, WordRule.List.BLOCK)
            for phrase in self.cleaned_data[kind]
            if phrase not in self.stored.get(kind, [])
        ]


def _broad_share() -> str:
    """The share of published comments past which a rule is broad, in percent: "5"."""
    return f"{wordmatch.BROAD_SHARE * 100:g}"


class WordRuleAdminForm(forms.ModelForm):
    """A rule in the admin, held to what the word lists page holds a new rule to."""

    save_anyway = forms.BooleanField(label=_("Save even if it is broad"), required=False)

    class Meta:
        model = WordRule
        fields = ["phrase", "list", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Said when the form is drawn, in the site's language.
        self.fields["save_anyway"].help_text = gettext(
            "A rule that would have caught more than %(share)s %% of the site's last "
            "%(tested)s published comments is saved only when this is ticked."
        ) % {
            "share": f"{wordmatch.BROAD_SHARE * 100:g}",
            "tested": f"{wordmatch.RECENT_PUBLISHED:,}",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        phrase = data.get("phrase")
        new = {"phrase", "list"} & set(self.changed_data)
        if phrase and data.get("list") and new and not data.get("save_anyway"):
            (reach,) = wordmatch.rule_reach([phrase], wordmatch.recent_published_texts())
            if reach.too_broad:
                self.add_error(
                    "phrase",
                    gettext(
                        "“%(phrase)s” would have caught %(caught)s, more than %(share)s %%: it "
                        "would catch many comments moderators publish. Write more of the word, "
                        "or tick “Save even if it is broad”."
                    )
                    % {
                        "phrase": phrase,
                        "caught": reach.said,
                        "share": f"{wordmatch.BROAD_SHARE * 100:g}",
                    },
                )
        return data
