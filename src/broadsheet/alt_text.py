"""Images of an HTML body written without a text alternative (no ``alt``).

WordPress shows a post's ``<img>`` as it was written. Its editors always write an
``alt``, empty when the author gave none; but images pasted in, written by hand or
brought by other tools often have none, and a screen reader then reads out the file's
name. An empty ``alt`` tells it that the image needs no words of its own, which is
true only where the words around it already say what it shows: the caption of its
figure, or the text of the link it is in. Such an image is given one. Any other is
left as written and counted, for an editor to describe: a guessed description would
mislead, and an empty one would hide a picture that says something.
"""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import ParserError

# An <img> as nh3 writes it: every attribute double-quoted, a quote inside escaped
# (markup lays out the article's pictures with it too).
IMG_TAG = re.compile(r'<img((?:\s[a-z-]+="[^"]*")*)\s*/?>')


def _images(html: str) -> list[lxml.html.HtmlElement]:
    if "<img" not in html:
        return []
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except ParserError:
        return []
    return list(root.iter("img"))


def _undescribed(image: lxml.html.HtmlElement) -> bool:
    """No alt, nor a title that a screen reader would read in its place."""
    return image.get("alt") is None and not (image.get("title") or "").strip()


def _said_around(image: lxml.html.HtmlElement) -> bool:
    """Whether the words around ``image`` say what it is: its link's text (or another
    image's alt text in that link), or the caption of its figure."""
    for ancestor in image.iterancestors():
        if ancestor.tag == "a":
            alts = (other.get("alt") or "" for other in ancestor.iter("img"))
            if ancestor.text_content().strip() or any(alt.strip() for alt in alts):
                return True
        if ancestor.tag == "figure":
            caption = ancestor.find("figcaption")
            if caption is not None and caption.text_content().strip():
                return True
    return False


def with_empty_alts(html: str) -> str:
    """Sanitized ``html`` whose undescribed images that the words around them describe
    have an empty ``alt``. HTML the parser reads into other images than the sanitizer
    wrote (which it should not) is left as it is."""
    images = _images(html)
    matches = IMG_TAG.findall(html) if images else []
    if not images or len(matches) != len(images):
        return html
    given = iter([_undescribed(image) and _said_around(image) for image in images])
    return IMG_TAG.sub(lambda match: f'<img{match[1]} alt="">' if next(given) else match[0], html)


def undescribed_images(html: str) -> int:
    """How many images of sanitized ``html`` have no text alternative at all."""
    return sum(_undescribed(image) for image in _images(html))
