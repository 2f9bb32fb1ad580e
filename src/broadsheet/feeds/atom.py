"""The Atom documents Broadsheet writes: Django's ``Atom1Feed`` with three additions.

- An entry carries its full text (``<content type="html">``), the HTML stored
  when it was saved; Django's writes only a summary.
- Threading links (RFC 4685): an article names its comment feed and how many
  comments it has, a reply names the comment it answers.
- Paging links (RFC 5005): ``first``, ``previous``, ``next`` and ``last``, after
  the feed's own elements.
- No text carries a character XML 1.0 or HTML forbids. Old imported text and
  text pasted from word processors hold control characters (a vertical tab for a
  line break), which Django's writer refuses the whole document over; an entry's
  HTML is shown as a page is. They are replaced as a page replaces them
  (``markup.xml_text``), and a form feed, which only XML forbids, becomes a space.
"""

from __future__ import annotations

from typing import Any

from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from broadsheet.markup import xml_text

THREADING_NS = "http://purl.org/syndication/thread/1.0"


class _Writer(SimplerXMLGenerator):
    """Django's writer, given only text XML can carry, in content and attributes alike."""

    def characters(self, content: str) -> None:
        super().characters(xml_text(content) if content else content)

    def startElement(self, name: str, attrs: Any) -> None:
        # Django's writers pass a dict, where SAX's signature says AttributesImpl.
        cleaned: Any = {key: xml_text(str(value)) for key, value in (attrs or {}).items()}
        super().startElement(name, cleaned)


class AtomFeed(Atom1Feed):
    """Items may carry, besides Django's keys: ``content`` (HTML), ``via`` (the
    outlet an article was republished from: ``(url, name)``), ``replies`` (its
    comment feed: ``(url, count)``) and ``in_reply_to`` (``(id, url)`` of the
    comment a reply answers). The feed may carry ``pages``: its paging links, as
    ``{relation: address}``."""

    def write(self, outfile: Any, encoding: str) -> None:
        writer = _Writer(outfile, encoding, short_empty_elements=True)
        writer.startDocument()
        writer.startElement("feed", self.root_attributes())
        self.add_root_elements(writer)
        self.write_items(writer)
        writer.endElement("feed")

    def root_attributes(self) -> dict[str, str]:
        return {**super().root_attributes(), "xmlns:thr": THREADING_NS}

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        for rel, href in self.feed.get("pages", {}).items():
            handler.addQuickElement("link", "", {"rel": rel, "href": href})

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        if item.get("via"):
            url, name = item["via"]
            handler.addQuickElement("link", "", {"rel": "via", "href": url, "title": name})
        if item.get("replies"):
            url, count = item["replies"]
            handler.addQuickElement(
                "link",
                "",
                {"rel": "replies", "type": self.content_type.split(";")[0], "href": url,
                 "thr:count": str(count)},
            )  # fmt: skip
        if item.get("in_reply_to"):
            ref, url = item["in_reply_to"]
            handler.addQuickElement(
                "thr:in-reply-to", "", {"ref": ref, "href": url, "type": "text/html"}
            )
