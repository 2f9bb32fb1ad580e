"""Reading feeds as a feed reader does: the whole document through a strict XML parser."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from lxml import etree

NS = {"a": "http://www.w3.org/2005/Atom", "thr": "http://purl.org/syndication/thread/1.0"}


@dataclass
class Entry:
    title: str
    link: str
    id: str
    published: str
    updated: str
    author: str | None
    author_uri: str | None
    summary: str | None
    content: str
    categories: list[str]
    element: etree._Element

    def link_of(self, rel: str) -> etree._Element | None:
        return self.element.find(f"a:link[@rel='{rel}']", NS)


@dataclass
class Document:
    root: etree._Element
    entries: list[Entry]

    def text(self, path: str) -> str | None:
        return self.root.findtext(path, namespaces=NS)

    def link(self, rel: str) -> str | None:
        found = self.root.find(f"a:link[@rel='{rel}']", NS)
        return None if found is None else found.get("href")

    @property
    def titles(self) -> list[str]:
        return [entry.title for entry in self.entries]


def parse_feed(content: bytes) -> Document:
    """Parse strictly (lxml raises on anything that is not well-formed XML)."""
    root = etree.fromstring(content, etree.XMLParser(resolve_entities=False))
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = []
    for element in root.findall("a:entry", NS):
        entries.append(
            Entry(
                title=element.findtext("a:title", namespaces=NS),
                link=element.find("a:link[@rel='alternate']", NS).get("href"),
                id=element.findtext("a:id", namespaces=NS),
                published=element.findtext("a:published", namespaces=NS),
                updated=element.findtext("a:updated", namespaces=NS),
                author=element.findtext("a:author/a:name", namespaces=NS),
                author_uri=element.findtext("a:author/a:uri", namespaces=NS),
                summary=element.findtext("a:summary", namespaces=NS),
                content=element.findtext("a:content", namespaces=NS),
                categories=[c.get("term") for c in element.findall("a:category", NS)],
                element=element,
            )
        )
    return Document(root, entries)


def read_feed(url: str, client: Client | None = None, **headers) -> Document:
    response = (client or Client()).get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return parse_feed(response.content)
