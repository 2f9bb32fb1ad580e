"""A reader's text that opens a right-to-left override (U+202E) and never closes it
turns the rest of any sentence it is said in around. Pages hold it in a ``<bdi>``;
where no element can (a page's title, an e-mail's subject and text, a feed's entry
titles) it is said as a directional isolate, whose end closes the override."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.test import Client

from broadsheet.notifications import compose
from tests.conftest import post

pytestmark = pytest.mark.django_db

FSI, PDI, RLO = "\u2068", "\u2069", "\u202e"
# Shown as "Eve", then the rest of the line backwards; with a stray isolate end
# that would close an isolate it is put in early.
TURNING = f"Eve{RLO}"
EARLY_END = f"Eve{PDI}{RLO}"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_text_is_isolated_with_its_own_isolates_balanced():
    from broadsheet.markup import isolated

    assert isolated(TURNING) == f"{FSI}Eve{RLO}{PDI}"
    assert isolated(EARLY_END) == f"{FSI}Eve{RLO}{PDI}"  # the stray end is dropped
    assert isolated("a\u2067b") == f"{FSI}a\u2067b{PDI}{PDI}"  # an open one is closed
    assert isolated("a\u2066b\u2069c") == f"{FSI}a\u2066b\u2069c{PDI}"  # a whole one kept
    # Text that cannot turn anything around is left as it is, in any script.
    assert isolated("Eve (UK)") == "Eve (UK)" and isolated("שרה כהן") == "שרה כהן"


def _title(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    return page[page.index("<title>") + 7 : page.index("</title>")]


@pytest.mark.parametrize("name", [TURNING, EARLY_END])
def test_a_name_that_turns_text_around_stays_inside_titles(article, name):
    comment = post(article, "Said.", author_name=name)
    client = Client()
    for url in (f"/c/{comment.pk}/reply", f"/c/{comment.pk}/reply?quote=1"):
        assert f"{FSI}Eve{RLO}{PDI} | " in _title(client, url), url
    assert f"{FSI}Eve{RLO}{PDI}" in _title(client, f"/search/?q={name}")
    for url in (f"/article/{article.slug}/feed/", "/comments/feed/"):
        feed = ElementTree.fromstring(client.get(url).content)
        titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
        assert titles and all(f"{FSI}Eve{RLO}{PDI}" in t for t in titles), (url, titles)


def test_a_name_that_turns_text_around_stays_inside_a_reply_mail(article):
    parent = post(article, "First", author_email="ann@example.org")
    reply = post(article, "Second", author_name=TURNING)
    message = compose.reply_notice(parent, reply, "ann@example.org")
    said = f"{FSI}Eve{RLO}{PDI} replied to your comment on “{article.title}”"
    assert message.subject == said
    assert message.text.startswith(said)
