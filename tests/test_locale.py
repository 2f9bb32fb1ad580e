"""The interface's translations are whole and shipped compiled.

CI machines have no GNU gettext, so the compiled catalogs (``.mo``) are committed
beside their sources (``.po``). These tests read both with Babel, a test dependency,
and find the strings the code marks for translation as ``makemessages`` does
(Django's ``templatize`` for templates, then one Python extractor), without
running any gettext tool.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation.template import templatize

import broadsheet

PACKAGE = Path(broadsheet.__file__).parent
LOCALE = PACKAGE / "locale"
# The languages shipped besides English, in which the code's strings are written.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
# What makemessages looks for in Python (Django's xgettext keywords).
KEYWORDS = {
    "gettext": None, "gettext_lazy": None, "gettext_noop": None, "_": None,
    "ngettext": (1, 2), "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "npgettext_lazy": ((1, "c"), 2, 3),
}  # fmt: skip
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def _extracted(text: str) -> Iterator[str]:
    """The msgids of ``text`` (Python, or a template made Python by templatize)."""
    for _line, func, message, _comments in extract_python(
        io.BytesIO(text.encode()), KEYWORDS, [], {}
    ):
        if func.startswith(("pgettext", "npgettext")) and isinstance(message, tuple):
            message = message[1:]  # the context comes first
        # A call on a variable (``_(STAFF_NAME_TAKEN)``) names no string; the variable's
        # own is marked where it is written (gettext_noop).
        if message is not None and key(message) is not None:
            yield key(message)


def strings_in_the_code() -> dict[str, str]:
    """Every string marked for translation, with the file it is in."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*")):
        if "migrations" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            text = path.read_text()
        elif path.suffix in TEMPLATE_SUFFIXES and "templates" in path.parts:
            text = templatize(path.read_text(), origin=str(path))
        else:
            continue
        for message in _extracted(text):
            found.setdefault(message, str(path.relative_to(PACKAGE)))
    return found


def catalog(code: str, kind: str) -> Catalog:
    path = LOCALE / code / "LC_MESSAGES" / f"django.{kind}"
    with path.open("rb") as fh:
        return read_po(fh, locale=code) if kind == "po" else read_mo(fh)


def key(message_id: str | tuple[str, ...] | list[str]) -> str:
    """A message by its msgid (the singular's, for one with plural forms)."""
    return message_id if isinstance(message_id, str) else message_id[0]


def translations(found: Catalog) -> dict[tuple[str | None, str], str | tuple[str, ...]]:
    """``{(context, msgid): translation}``; a translation with plural forms as a tuple of
    them. One msgid may stand in several contexts, each with its own words."""
    return {
        (m.context, key(m.id)): m.string if isinstance(m.string, str) else tuple(m.string)
        for m in found
        if m.id
    }


def test_the_extractor_finds_template_and_python_strings():
    found = strings_in_the_code()
    assert found["Comments are closed"].endswith("article.html")  # {% translate %}
    assert found["%(count)s Comment"].endswith("newsroom.py")  # ngettext
    assert found["1 day"].endswith("forms.py")  # gettext_lazy as _
    assert "Hello,\n\nSomeone, we hope you" in "".join(found)  # a mail's {% blocktranslate %}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_in_the_code_is_translated_and_none_is_left_over(code):
    po = catalog(code, "po")
    # The code's strings are told by their msgid (whatever the context).
    done = {msgid for (_, msgid), value in translations(po).items() if value and all(value)}
    code_strings = strings_in_the_code()
    untranslated = {s: where for s, where in code_strings.items() if s not in done}
    assert not untranslated, f"not translated in {code}/django.po (run makemessages)"
    left_over = {msgid for _, msgid in translations(po)} - set(code_strings)
    assert not left_over, "left over: run makemessages"
    assert not [m.id for m in po if m.id and m.fuzzy], "fuzzy entries are not used"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalog_says_what_its_source_says(code):
    po, mo = catalog(code, "po"), catalog(code, "mo")
    assert translations(mo) == {k: v for k, v in translations(po).items() if v}, (
        f"{code}/django.mo is not django.po compiled: run compilemessages and commit both"
    )
    assert mo.plural_forms == po.plural_forms


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_their_placeholders_and_plural_forms(code):
    po = catalog(code, "po")
    # Babel's checkers: the plural forms' number, and no placeholder the msgid lacks.
    problems = [(message.id, errors) for message, errors in po.check()]
    assert not problems
    for message in po:
        if message.id and message.pluralizable:
            assert len(message.string) == po.num_plurals, message.id


def test_a_mended_translation_is_a_new_release(tmp_path, monkeypatch):
    from broadsheet import release

    compiled = tmp_path / "locale" / "he" / "LC_MESSAGES" / "django.mo"
    compiled.parent.mkdir(parents=True)
    compiled.write_bytes(b"one")
    monkeypatch.setattr(release, "__file__", str(tmp_path / "release.py"))
    release.fingerprint.cache_clear()
    try:
        before = release.fingerprint()
        compiled.write_bytes(b"two")
        release.fingerprint.cache_clear()
        assert release.fingerprint() != before  # every kept page is drawn anew
    finally:
        release.fingerprint.cache_clear()
