from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from broadsheet.search.excerpts import Part

register = template.Library()


@register.simple_tag
def marked(parts: list[Part]) -> SafeString:
    """Text with the words a search matched in <mark>; every part escaped."""
    return mark_safe(
        "".join(
            format_html("<mark>{}</mark>", text) if hit else escape(text) for text, hit in parts
        )
    )
