"""The demo's newsroom: sections, tags, bylines and articles, all written for the demo.

The articles' texts are Markdown files in ``article_texts/``, read from the installed
package. Every place, person and outlet here is fictional. Links point at ``.example``
addresses, which can never belong to anyone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class SectionText:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class AuthorText:
    slug: str
    name: str
    bio: str
    # The byline that belongs to the demo editor's login.
    is_editor: bool = False


@dataclass(frozen=True)
class ArticleText:
    slug: str
    title: str
    section: str
    author: str
    tags: tuple[str, ...]
    summary: str
    body: str
    # Hours before the demo is loaded; negative for an article scheduled ahead.
    age_hours: float
    state: str = "published"  # "published", "scheduled" or "draft"
    source_name: str = ""
    source_url: str = ""
    # Editors closed the discussion after it had run for a while.
    closes_comments: bool = False


SITE_NAME = "The Broadsheet Demo"
TAGLINE = "News and argument from Wrenmouth and the Alder Valley (a fictional city)"

SECTIONS = [
    SectionText("city", "City & Council", "The council, housing, the docks and the river."),
    SectionText("transport", "Transport", "Trams, buses, ferries, bicycles and the 7:42."),
    SectionText("science", "Science", "Research from the estuary, the observatory and the field."),
    SectionText("culture", "Culture", "Theatre, books, libraries and food in the Alder Valley."),
    SectionText("opinion", "Opinion", "Editorials and argument. Disagree below the line."),
]

TAGS = {
    "council": "Council",
    "budget": "Budget",
    "housing": "Housing",
    "quay-street": "Quay Street",
    "trams": "Trams",
    "buses": "Buses",
    "cycling": "Cycling",
    "river-alder": "River Alder",
    "climate": "Climate",
    "libraries": "Libraries",
    "theatre": "Theatre",
    "books": "Books",
    "food": "Food",
    "elections": "Elections",
    "local-business": "Local business",
    "citizen-science": "Citizen science",
    "about-us": "About this site",
}

AUTHORS = [
    AuthorText(
        "nell-okafor",
        "Nell Okafor",
        "Editor of the Broadsheet Demo. Writes the editorials and reads every comment queue.",
        is_editor=True,
    ),
    AuthorText(
        "miriam-achterberg",
        "Miriam Achterberg",
        "City hall reporter. Has attended more council meetings than anyone should.",
    ),
    AuthorText(
        "tomas-reyes-whitcombe",
        "Tomás Reyes-Whitcombe",
        "Transport and environment correspondent. Commutes by tram, bicycle and, reluctantly, bus.",
    ),
    AuthorText(
        "priya-lindqvist",
        "Priya Lindqvist",
        "Science and culture writer, formerly a marine biologist at the estuary institute.",
    ),
]

# The article whose discussion runs to 500 comments, so that paging can be seen.
BUSY_ARTICLE = "quay-street-closed-to-cars-on-saturdays"

# An article's file: "<number>-<slug>.md", the number giving its place among the
# articles; a TOML front matter between "+++" lines (the ArticleText fields other
# than the slug and the body), then the body in Markdown.
ARTICLE_TEXTS = resources.files("broadsheet.demo") / "article_texts"
FRONT_MATTER_FENCE = "+++\n"


def _read_article(name: str, text: str) -> ArticleText:
    """The article in the file called ``name`` whose contents are ``text``."""
    if not text.startswith(FRONT_MATTER_FENCE):
        raise ValueError(f"{name}: no front matter between {FRONT_MATTER_FENCE.strip()} lines")
    front, _, body = text.removeprefix(FRONT_MATTER_FENCE).partition("\n" + FRONT_MATTER_FENCE)
    fields = tomllib.loads(front)
    fields["tags"] = tuple(fields.get("tags", ()))
    _, _, slug = name.removesuffix(".md").partition("-")
    return ArticleText(slug=slug, body=body.strip(), **fields)


def _read_articles() -> list[ArticleText]:
    """Every article in ``article_texts/``, in the order of their files' numbers."""
    files = sorted(
        (file for file in ARTICLE_TEXTS.iterdir() if file.name.endswith(".md")),
        key=lambda file: file.name,
    )
    return [_read_article(file.name, file.read_text(encoding="utf-8")) for file in files]


ARTICLES = _read_articles()
