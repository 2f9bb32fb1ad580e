"""The article's form in the admin."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from broadsheet.newsroom.models import Article
from broadsheet.newsroom.wordpress_notes import (
    NOTE_REFERENCE,
    kept_notes,
    referred_to,
    with_notes,
    without_notes,
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

    class Meta:
        model = Article
        # None here: the admin's fieldsets name them, and its overrides make them.
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            body = self.fields["body"]
            # A story's worth of lines, where Django gives ten.
            body.widget.attrs["rows"] = 24
            if self.instance.body_format == Article.BodyFormat.HTML:
                body.help_text = gettext("HTML, as imported: Markdown is not read in this body.")
            else:
                body.help_text = markdown_help()
        if self.boxes:
            self.initial["body"] = without_notes(self.instance.body)

    @classmethod
    def for_article(cls, article: Article | None) -> type[ArticleForm]:
        """The form for ``article``: with a box for each of its WordPress notes."""
        if article is None or not article.from_wordpress:
            return cls
        boxes = note_boxes(article.body)
        if not boxes:
            return cls
        fields = {box.name: _note_field(box) for box in boxes}
        return type(cls.__name__, (cls,), {**fields, "boxes": tuple(boxes)})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.boxes and "body" in cleaned:
            cleaned["body"] = self._with_notes(cleaned["body"])
        return cleaned

    def _with_notes(self, body: str) -> str:
        """``body`` with the boxes' notes kept in its footnotes block, in their order.
        A note emptied is taken out, once nothing in the body refers to it; notes typed
        into the block itself, as before the boxes, are kept after them."""
        referred = set(referred_to(body))
        notes = []
        for box in self.boxes:
            content = self.cleaned_data.get(box.name, "").replace("\r\n", "\n")
            if content.strip():
                notes.append({"content": content, "id": box.id})
            elif box.id in referred:
                self.add_error(
                    box.name,
                    gettext(
                        "The body still refers to this note: write its words, or delete its "
                        'reference from the body (<sup data-fn="%(id)s" …>…</sup>) to remove it.'
                    )
                    % {"id": box.id},
                )
        boxed = {box.id for box in self.boxes}
        notes += [note for note in kept_notes(body) if note["id"] not in boxed]
        return with_notes(body, notes)


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
    "<!-- wp:footnotes /--> line stands. To remove a note, delete its mark from the body "
    "and empty its box."
)
