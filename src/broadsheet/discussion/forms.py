"""One form validates comments from the web page and from the JSON API alike."""

from __future__ import annotations

import time
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import (
    MaxLengthValidator,
    ProhibitNullCharactersValidator,
    URLValidator,
)
from django.forms.boundfield import BoundField
from django.forms.widgets import ChoiceWidget
from django.utils.translation import gettext_lazy as _

from broadsheet import markup
from broadsheet.conf import conf
from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article

_FORM_SALT = "broadsheet.discussion.form-served"


def normalize_text(value: str) -> str:
    """Line endings become \\n and outer white space goes; nothing else changes."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def reject_unstorable(value: str) -> None:
    if "\x00" in value:
        raise ValidationError(_("The text holds a NUL character, which cannot be stored."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            _(
                "The text holds an unpaired surrogate, which is not a character and cannot be "
                "stored."
            )
        ) from None


def reject_controls(value: str) -> None:
    """A name, an e-mail address or a website is a line of visible text: a character
    HTML forbids in one (a control character, a noncharacter) was pasted by mistake,
    and is refused where a comment's text would keep it (docs/reading.md)."""
    if markup.has_characters_not_in_html(value):
        raise ValidationError(
            _("This holds an invisible control character (pasted, most likely): remove it.")
        )


def _visible(ch: str) -> bool:
    """Whether a character draws something: not a space, a control or format character
    (zero-width space and joiners, direction marks), a lone combining mark or a blank."""
    return unicodedata.category(ch)[0] not in "CZM" and ch not in markup.BLANK_LETTERS


def reject_hidden_depths(value: str) -> None:
    if markup.comment_nesting(value) > markup.COMMENT_NESTING:
        raise ValidationError(
            _(
                "Quotes or lists are nested too deeply to be shown: use fewer levels of '>' "
                "or of indented list items."
            )
        )


def storable(field: forms.CharField) -> forms.CharField:
    """``field``, refusing what cannot be stored with ``reject_unstorable``'s words alone:
    Django's own NUL check, which every CharField carries, said it a second time."""
    field.validators = [
        v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
    ]
    field.validators.append(reject_unstorable)
    return field


class TextField(forms.CharField):
    """A CharField that keeps the text exactly, except for line endings and outer space."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        storable(self)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_text(value) if isinstance(value, str) else value


# The latest stamp made, with the second and key it was made for: every page served in
# the same second carries the same one, signed once (signing costs more than serving a
# kept page otherwise does).
_last_stamp: tuple[int, str, str] = (0, "", "")


def form_stamp() -> str:
    """A signed time put in the form when the page is served (cache-safe: not per reader)."""
    global _last_stamp
    now, key = int(time.time()), settings.SECRET_KEY
    second, made_with, stamp = _last_stamp
    if (second, made_with) != (now, key):
        stamp = signing.dumps(now, salt=_FORM_SALT)
        _last_stamp = (now, key, stamp)
    return stamp


def seconds_since_stamp(stamp: str) -> float | None:
    try:
        served = signing.loads(stamp, salt=_FORM_SALT)
    except signing.BadSignature:
        return None
    return time.time() - float(served)


def name_limit() -> int:
    """The longest name a reader may give: the site's ``COMMENT_NAME_MAX_LENGTH``, but
    never more than the column holds (an operator who set 300 would otherwise have
    PostgreSQL refuse the comment, and SQLite keep what imports cannot)."""
    column = Comment._meta.get_field("author_name").max_length or 0
    return min(conf.COMMENT_NAME_MAX_LENGTH, column)


def _limit(field: forms.Field, limit: int) -> None:
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


def _absolute_url(value: object) -> bool:
    if not value:
        return True
    try:
        URLValidator()(value)
    except ValidationError:
        return False
    return True


class FocusedField(BoundField):
    """A field that takes the focus when it is the first to mend."""

    def build_widget_attrs(self, attrs, widget=None):
        """The first field to mend takes the focus when the page comes back with errors,
        scripts or not, so that a screen reader reads its label and error at once. A
        message for the whole form (``errors``) takes it instead, as a group of choices
        does (its fieldset, in the template): neither is one control."""
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and not isinstance(widget or self.field.widget, ChoiceWidget):
            errors, fields = self.form.errors, self.form.fields
            # A hidden field's error is told with the form's (it has no control to mend).
            hidden = {name for name, field in fields.items() if field.widget.is_hidden}
            first = next((n for n in fields if n in errors and n not in hidden), None)
            if first == self.name and not errors.keys() & {NON_FIELD_ERRORS, *hidden}:
                attrs["autofocus"] = True
        return attrs


class NotedField(FocusedField):
    """A field shown with a note under it (``<id>_note``, discussion/_field.html): its
    widget names the error, when there is one, and the note, for screen readers."""

    @property
    def aria_describedby(self) -> str | None:
        if self.is_hidden:  # its error is shown with the form's (_form.html)
            return None
        ids = [f"{self.auto_id}_error"] if self.errors else []
        ids += getattr(self.form, "described_by", {}).get(self.name, [])
        return " ".join(ids) or None

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        """A website sent back that is not an absolute address (``example.org``, a typo)
        is shown in a text box the phone still offers its address keyboard for: HTML
        allows only an absolute URL in a ``type=url`` box's value."""
        if (
            widget is None
            and isinstance(self.field.widget, forms.URLInput)
            and self.form.is_bound
            and not _absolute_url(self.value())
        ):
            widget = forms.TextInput(attrs={**self.field.widget.attrs, "inputmode": "url"})
        return super().as_widget(widget, attrs, only_initial)

    def value(self):
        """What the field shows, sent back with an error: as pages show text, without
        the characters HTML forbids (the refused name shows where its control was)."""
        value = super().value()
        return markup.html_text(value) if isinstance(value, str) else value


class CommentForm(forms.Form):
    bound_field_class = NotedField
    # The fields the form's template gives a note.
    NOTED = ("author_name", "author_email", "author_url", "body", "notify_replies")

    author_name = TextField(label=_("Name"), required=False)
    author_email = storable(forms.EmailField(label=_("E-mail"), max_length=254, required=False))
    author_url = storable(
        forms.URLField(label=_("Website"), max_length=500, required=False, assume_scheme="https")
    )
    body = TextField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        validators=[reject_hidden_depths],
    )
    parent_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    notify_replies = forms.BooleanField(
        label=_("E-mail me when someone replies to my comment"), required=False
    )

    def __init__(self, *args, article: Article, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.article = article
        self.user = user
        # Limits are tunables read now, not when this module was imported.
        _limit(self.fields["body"], conf.COMMENT_MAX_LENGTH)
        _limit(self.fields["author_name"], name_limit())
        self.fields["author_name"].required = self.is_anonymous
        attrs = {"author_name": "name", "author_email": "email", "author_url": "url"}
        for name, autocomplete in attrs.items():
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        self.fields["author_name"].widget.attrs["dir"] = "auto"
        self.described_by = {name: [f"id_{name}_note"] for name in self.NOTED}

    def note_held(self) -> None:
        """Name the note above the form that says comments wait for a moderator
        (discussion/_held_note.html) as describing the comment box too."""
        self.described_by["body"] = ["held-note", *self.described_by["body"]]

    def note_replying(self) -> None:
        """Name the form's heading, "Leave a Reply to …" (discussion/_respond.html), as
        describing the comment box: the focus goes to the box, past the heading."""
        self.described_by["body"] = ["respond", *self.described_by["body"]]

    @property
    def is_anonymous(self) -> bool:
        return not getattr(self.user, "is_authenticated", False)

    def clean_author_name(self) -> str:
        name = self.cleaned_data.get("author_name", "")
        if len(name.splitlines()) > 1:  # \n and \r, and Unicode's other line breaks
            # A name is shown (and quoted) on one line; a line break in it is never meant.
            raise ValidationError(_("A name is one line: remove the line break."))
        reject_controls(name)
        if name and not any(_visible(ch) for ch in name):
            raise ValidationError(_("A name needs at least one character that can be seen."))
        if not name and not self.is_anonymous:
            name = self.user.get_full_name() or self.user.get_username()
        return name

    def clean_author_email(self) -> str:
        email = self.cleaned_data.get("author_email", "")
        reject_controls(email)
        return email

    def clean_author_url(self) -> str:
        url = self.cleaned_data.get("author_url", "")
        reject_controls(url)
        return url

    def clean_parent_id(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent_id")
        if parent_id is None:  # left out (0 is an id, of no comment)
            return None
        parent = Comment.objects.filter(pk=parent_id, article=self.article).visible().first()
        if parent is None:
            raise ValidationError(_("The comment you are replying to does not exist here."))
        return parent

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("notify_replies"):
            if not self.is_anonymous and not self.user.email:
                self.add_error(
                    "notify_replies",
                    _(
                        "Your account has no e-mail address to write to: untick the box, or "
                        "ask the site's staff to add one."
                    ),
                )
            elif (
                self.is_anonymous
                and not cleaned.get("author_email")
                and not self.has_error("author_email")
            ):
                self.add_error(
                    "author_email",
                    _("Give your e-mail address to be told of replies, or untick the box."),
                )
        return cleaned

    @property
    def parent(self) -> Comment | None:
        return self.cleaned_data.get("parent_id")


class EditForm(forms.Form):
    bound_field_class = FocusedField
    body = TextField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        validators=[reject_hidden_depths],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _limit(self.fields["body"], conf.COMMENT_MAX_LENGTH)
