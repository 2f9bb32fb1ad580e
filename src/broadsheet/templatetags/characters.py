"""``{{ value|html_text }}``: stored text as a page may print it (``markup.html_text``);
``{{ value|xml_text }}``, as an XML document may (``markup.xml_text``);
``{{ value|isolated }}``, kept apart from the sentence around it (``markup.isolated``)."""

from __future__ import annotations

from django import template

from broadsheet import markup

register = template.Library()


@register.filter(is_safe=True)
def html_text(value: object) -> str:
    """``value`` with the characters HTML forbids replaced; escaped as it would have
    been (what it puts in is neither markup nor an entity)."""
    return markup.html_text(str(value))


@register.filter(is_safe=True)
def isolated(value: object) -> str:
    """``value`` as a directional isolate (``markup.isolated``): a reader's text said
    inside a sentence where no ``<bdi>`` can hold it (a page's title, a mail's text)."""
    return markup.isolated(str(value))


@register.filter(is_safe=True)
def xml_text(value: object) -> str:
    return markup.xml_text(str(value))
