"""The article's form in the admin."""

from __future__ import annotations

import copy
import html
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from broadsheet.newsroom.conflicts import (
    Clash,
    Conflict,
    Loaded,
    State,
    differing_lines,
    remapped_notes,
    same_text,
)
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.wordpress_notes import (
    NOTE_REFERENCE,
    kept_notes,
    reference_html,
    referred_to,
    with_notes,
    without_notes,
    without_references,
)

# How many characters of the text before a note's first reference its box shows.
_WORDS_SHOWN = 60


@dataclass(frozen=True)
class NoteBox:
    """A box of the form for one of a WordPress post's notes (``wordpress_notes``)."""

    name: str  # the form field's
    id: str  # WordPress's, which the body's references name
    number: int  # as readers see it: in the order the text first refers to the notes
    content: str  # its HTML, as kept
    after: str  # the words before its first reference; "" when nothing refers to it


def note_boxes(body: str) -> list[NoteBox]:
    """A box for each note kept in a WordPress post's ``body``, in the order kept,
    numbered as the page numbers them: those referred to in the order they are first,
    then the others (``interchange.wpcontent.article_html``)."""
    contents: dict[str, str] = {}
    for note in kept_notes(body):
        contents.setdefault(note["id"], note["content"])
    referred = [note for note in referred_to(body) if note in contents]
    order = referred + [note for note in contents if note not in referred]
    numbers = {note: number for number, note in enumerate(order, 1)}
    return [
        NoteBox(f"note_{numbers[note]}", note, numbers[note], content, _words_before(body, note))
        for note, content in contents.items()
    ]


def _words_before(body: str, note: str) -> str:
    """The last words of the text before the first reference to ``note``, plain."""
    for reference in NOTE_REFERENCE.finditer(body):
        if html.unescape(reference[1]) == note:
            before = NOTE_REFERENCE.sub(
                "", body[max(0, reference.start() - 2000) : reference.start()]
            )
            words = " ".join(html.unescape(strip_tags(before)).split())
            if len(words) <= _WORDS_SHOWN:
                return words
            return "…" + words[-_WORDS_SHOWN:].split(" ", 1)[-1]
    return ""


class ArticleForm(forms.ModelForm):
    """An article's fields; and, for a post imported from WordPress with the block
    editor's footnotes, a box for each note's words (``for_article``), where they were
    edited as JSON in the body's footnotes block. The body is shown without them and
    saved with them put back, so that the page, the export and a later import read
    them where they always were."""

    boxes: tuple[NoteBox, ...] = ()
    # A WordPress post's form: its notes have boxes, and one may be added (NEW_NOTE).
    noted = False
    # A QueryDict from the admin, copied when the form is shown again after a refusal.
    data: Any

    # What the form was loaded from (``conflicts``): a save over a newer one is refused.
    loaded = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Article
        # None here: the admin's fieldsets name them, and its overrides make them.
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conflict: Conflict | None = None
        self._unchanged: set[str] = set()
        self._stored: Article | None = None
        if self.instance.pk is not None and not self.instance._state.adding:
            # The article as stored (locked, when saving: ArticleAdmin.get_object), before
            # the form writes what was sent into it.
            self._stored = copy.copy(self.instance)
            self._stored_tags = list(self.instance.tags.values_list("pk", "name"))
            self.initial["loaded"] = Loaded.of(
                self._state(self._stored), self._note_ids(), self.instance.updated_at
            ).encode()
            sent = Loaded.decode(self.data.get("loaded")) if self.is_bound else None
            if sent is not None and list(sent.notes) != self._note_ids():
                # A newer save numbered the notes otherwise: each text to its note's box.
                self.data = self.data.copy()
                self._orphans = remapped_notes(self.data, sent.notes, self._note_ids(), "note_")
                remapped_notes(self.data, sent.notes, self._note_ids(), "remove_note_")
        if "body" in self.fields:
            body = self.fields["body"]
            # A story's worth of lines, where Django gives ten.
            body.widget.attrs["rows"] = 24
            if self.instance.body_format == Article.BodyFormat.HTML:
                body.help_text = gettext("HTML, as imported: Markdown is not read in this body.")
            else:
                body.help_text = markdown_help()
        if self.noted:
            self.initial["body"] = without_notes(self.instance.body)

    @classmethod
    def for_article(cls, article: Article | None) -> type[ArticleForm]:
        """The form for ``article``: for a WordPress post, with a box for each of its
        notes, a tick box to remove each, and a box for a new one."""
        if article is None or not article.from_wordpress:
            return cls
        boxes = note_boxes(article.body)
        fields: dict[str, Any] = {NEW_NOTE: _new_note_field()}
        for box in boxes:
            fields[box.name] = _note_field(box)
            fields[f"remove_{box.name}"] = forms.BooleanField(
                label=gettext("Remove note %(number)s and its references in the body")
                % {"number": box.number},
                required=False,
            )
        return type(cls.__name__, (cls,), {**fields, "boxes": tuple(boxes), "noted": True})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._unchanged = {name for name in cleaned if self._keep_stored(name, cleaned)}
        if self.noted and "body" in cleaned:
            cleaned["body"] = self._with_notes(cleaned["body"])
        return cleaned

    def _keep_stored(self, name: str, cleaned: dict[str, Any]) -> bool:
        """Whether ``cleaned[name]`` is the stored value as the browser sends it back,
        and is made that value again, byte for byte: text whose lines a browser ends
        with CRLF, and whose ends Django strips; a time the form gives to the second.
        Otherwise new text's lines end with LF, as every text's on the site do."""
        # As stored: get_initial_for_field would drop a time's microseconds.
        value, stored = cleaned[name], self.initial.get(name, self.fields[name].initial)
        if isinstance(value, str):
            if isinstance(stored, str) and same_text(value).strip() == same_text(stored).strip():
                cleaned[name] = stored
                return True
            cleaned[name] = same_text(value)
        elif (
            isinstance(value, datetime)
            and isinstance(stored, datetime)
            and value == stored.replace(microsecond=0)
        ):
            cleaned[name] = stored
            return True
        return False

    @property
    def changed_data(self) -> list[str]:  # type: ignore[override]
        """The fields changed, leaving out those sent back as stored (``_keep_stored``):
        a form saved unchanged changes nothing (``ArticleAdmin.save_model``)."""
        changed = super().changed_data
        return [name for name in changed if name not in self._unchanged and name != "loaded"]

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        # Once the form's values are in the article: compared with what was loaded.
        loaded = Loaded.decode(self.data.get("loaded"))
        if self._stored is None or loaded is None:
            return
        stored = self._state(self._stored)
        theirs = loaded.changed(stored)
        if not theirs:
            return
        tags = self.cleaned_data.get("tags")
        sent = self._state(self.instance, None if tags is None else [(t.pk, t.name) for t in tags])
        yours = loaded.changed(sent)
        clashing = sorted(n for n in theirs & yours if sent.get(n, "") != stored.get(n, ""))
        taken = sorted(theirs - yours, key=self._order)
        self.data = self.data.copy()
        for name in taken:
            self._take_in(name)
        # Saving again, once looked over, saves over the newer save: seen, not unseen.
        self.data["loaded"] = self.initial["loaded"]
        sent_tags = self._tags(tags)
        self.conflict = Conflict(
            saved_at=self._stored.updated_at,
            since=loaded.at,
            taken=[self._label(name) for name in taken],
            clashes=[self._clash(name, sent_tags) for name in sorted(clashing, key=self._order)],
            orphans=getattr(self, "_orphans", []),
        )
        self.add_error(
            None,
            gettext(
                "Someone saved this article after you opened it. Nothing of yours was "
                "saved, and your changes are still in the form: look over what the other "
                "save changed (below), then save again."
            ),
        )

    def _clash(self, name: str, sent_tags: list[tuple[int, str]]) -> Clash:
        assert self._stored is not None
        theirs = self._shown(self._stored, name, self._stored_tags)
        yours = self._shown(self.instance, name, sent_tags)
        return Clash(self._label(name), theirs, yours, differing_lines(theirs, yours))

    def _note_ids(self) -> list[str]:
        return [box.id for box in sorted(self.boxes, key=lambda box: box.number)]

    def _state(self, article: Article, tags: list[tuple[int, str]] | None = None) -> State:
        """The values the guard compares: each field of the form as stored in
        ``article`` (its body without its notes), ``tags`` (the stored ones unless
        given), and each note by its id."""
        state: State = {}
        for name in self.fields:
            if name == "tags":
                chosen = self._stored_tags if tags is None else tags
                state[name] = ",".join(sorted(str(pk) for pk, _ in chosen))
                continue
            try:
                model_field = cast(models.Field, Article._meta.get_field(name))
            except FieldDoesNotExist:
                continue
            value = model_field.value_from_object(article)
            if isinstance(model_field, models.DateTimeField) and value is not None:
                # The form writes a time to the second, in the site's time zone, and the
                # database gives it back in UTC: the same moment must read the same.
                value = value.astimezone(UTC).replace(microsecond=0).isoformat()
            state[name] = "" if value is None else str(value)
        if self.noted:
            state["body"] = without_notes(article.body)
            for note in kept_notes(article.body):
                state.setdefault(f"note:{note['id']}", note["content"])
        return state

    def _tags(self, tags: Any) -> list[tuple[int, str]]:
        return self._stored_tags if tags is None else [(tag.pk, tag.name) for tag in tags]

    def _box_of(self, name: str) -> str:
        """The form field of a guarded name: a note's box, for a note."""
        if name.startswith("note:"):
            for box in self.boxes:
                if f"note:{box.id}" == name:
                    return box.name
        return name

    def _order(self, name: str) -> int:
        names = list(self.fields)
        box = self._box_of(name)
        return names.index(box) if box in names else len(names)

    def _label(self, name: str) -> str:
        box = self._box_of(name)
        if box in self.fields:
            return str(self.fields[box].label or box)
        return gettext("A note this save removed")

    def _shown(self, article: Article, name: str, tags: list[tuple[int, str]]) -> str:
        """The value of ``name`` in ``article``, as an editor reads it."""
        if name.startswith("note:"):
            notes = kept_notes(article.body)
            return next((n["content"] for n in notes if name == f"note:{n['id']}"), "")
        if name == "tags":
            return ", ".join(sorted(tag for _, tag in tags))
        if name == "body" and self.noted:
            return without_notes(article.body)
        model_field = cast(models.Field, Article._meta.get_field(name))
        value = getattr(article, name)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, models.Model):
            return str(value)
        if isinstance(model_field, models.DateTimeField) and value is not None:
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return "" if value is None else str(value)

    def _take_in(self, name: str) -> None:
        """The form's ``data`` given the stored value of ``name``, as its widget sends it."""
        box = self._box_of(name)
        if box not in self.fields:
            return
        field = self.fields[box]
        value = field.prepare_value(self.initial.get(box, field.initial))
        widget = field.widget
        while hasattr(widget, "widget") and not isinstance(widget, forms.MultiWidget):
            widget = widget.widget  # the admin's wrapper of a related field's
        html_name = self.add_prefix(box)
        if isinstance(widget, forms.CheckboxInput):
            if value:
                self.data[html_name] = "on"
            else:
                self.data.pop(html_name, None)
        elif isinstance(widget, forms.MultiWidget):
            for part in widget.get_context(html_name, value, {})["widget"]["subwidgets"]:
                self.data[part["name"]] = part["value"] or ""
        else:
            shown = widget.format_value(value)
            if isinstance(shown, list):
                self.data.setlist(html_name, shown)
            else:
                self.data[html_name] = shown or ""

    def _with_notes(self, body: str) -> str:
        """``body`` with the boxes' notes kept in its footnotes block, in their order.
        A note ticked to be removed goes with its references; one emptied goes once
        nothing in the body refers to it; a new one gets an id and its reference where
        the body says ``[^new]``. Notes typed into the block itself, as before the
        boxes, are kept after them."""
        removed = {box.id for box in self.boxes if self.cleaned_data.get(f"remove_{box.name}")}
        for note in removed:
            body = without_references(body, note)
        referred = set(referred_to(body))
        notes = []
        for box in self.boxes:
            content = self.cleaned_data.get(box.name, "")
            if box.id in removed:
                continue
            if content.strip():
                notes.append({"content": content, "id": box.id})
            elif box.id in referred:
                self.add_error(
                    box.name,
                    gettext(
                        "The body still refers to this note: write its words, or tick "
                        "“Remove note %(number)s” to remove it with its references."
                    )
                    % {"number": box.number},
                )
        boxed = {box.id for box in self.boxes}
        notes += [note for note in kept_notes(body) if note["id"] not in boxed]
        body, added = self._new_note(body, len(notes) + 1)
        if added is not None:
            notes.append(added)
        return with_notes(body, notes)

    def _new_note(self, body: str, shown: int) -> tuple[str, dict[str, str] | None]:
        """``body`` with its ``[^new]`` made a reference to the new note, and that note;
        or, when none is written, ``body`` as it is. A new note needs its place in the
        text, and a place its words: either alone is refused, saying so."""
        words = self.cleaned_data.get(NEW_NOTE, "")
        marks = body.count(NEW_MARK)
        if not words.strip():
            if marks:
                self.add_error(
                    NEW_NOTE,
                    gettext("The body marks a new note with [^new]: write its words here."),
                )
            return body, None
        if marks != 1:
            self.add_error(
                NEW_NOTE,
                gettext(
                    "Type [^new] once in the body, where the text refers to this note: "
                    "saving puts its reference there."
                ),
            )
            return body, None
        note = str(uuid.uuid4())
        return body.replace(NEW_MARK, reference_html(note, shown)), {"content": words, "id": note}


# The marks the body's box names, each with what it makes: the marks as typed, left to
# right in either language's admin; what they make, in the admin's language.
MARKS = [
    ("## …", gettext_lazy("a heading")),
    ("**…**", gettext_lazy("bold")),
    ("*…*", gettext_lazy("italic")),
    ("~~…~~", gettext_lazy("struck")),
    ("[…](https://…)", gettext_lazy("a link")),
    ("> …", gettext_lazy("a quote")),
    ("| … | … |", gettext_lazy("a table")),
    ("[^1]", gettext_lazy("a footnote, its note on a line of its own starting [^1]:")),
]


def markdown_help() -> str:
    """What the body's box says of the Markdown it reads, and where its pictures are
    (HTML: the admin draws help as it is)."""
    marks = format_html_join(", ", '<code dir="ltr">{}</code> {}', MARKS)
    return format_html(
        "{} {}",
        format_html(gettext("Markdown: {marks}."), marks=marks),
        format_html(
            gettext("For a picture, paste the Markdown an image of the {library} gives."),
            library=format_html(
                '<a href="{}" target="_blank" rel="noopener">{}</a>',
                reverse("admin:media_image_changelist"),
                gettext("Image library (opens in a new tab)"),
            ),
        ),
    )


# The box for a new WordPress note, and what the body says where the text refers to it.
NEW_NOTE = "note_new"
NEW_MARK = "[^new]"


def _new_note_field() -> forms.CharField:
    return forms.CharField(
        label=gettext("New note"),
        required=False,
        strip=False,
        help_text=escape(
            gettext(
                "Its words, in HTML as the other notes. Type [^new] in the body where the "
                "text refers to it: saving puts its reference there and numbers it."
            )
        ),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


def _note_field(box: NoteBox) -> forms.CharField:
    # The admin draws help as HTML: the body's words are text, set apart from the
    # sentence's direction (English words in a Hebrew admin, or the other way).
    if box.after:
        words = format_html("<bdi>{}</bdi>", box.after)
        said = mark_safe(escape(gettext("Referred to after “%(words)s”.")) % {"words": words})
    else:
        said = escape(gettext("Nothing in the text refers to it: it is listed after the others."))
    return forms.CharField(
        label=gettext("Note %(number)s") % {"number": box.number},
        initial=box.content,
        required=False,
        # Kept as written: a note's HTML comes back byte for byte when left alone.
        strip=False,
        help_text=said,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


NOTES_HELP = gettext_lazy(
    "The notes of this post, numbered as readers see them, in HTML as the body is. The "
    "body refers to each by a <sup data-fn> mark and lists them where its "
    "<!-- wp:footnotes /--> line stands. To remove a note, tick its Remove box; to add "
    "one, write it in New note and type [^new] in the body where the text refers to it."
)
