from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from broadsheet.markup import html_text
from broadsheet.search.excerpts import Part

register = template.Library()


@register.simple_tag
def marked(parts: list[Part]) -> SafeString:
    """Text with the words a search matched in <mark>; every part escaped, without
    the characters HTML forbids."""
    return mark_safe(
        "".join(
            format_html("<mark>{}</mark>", html_text(text)) if hit else escape(html_text(text))
            for text, hit in parts
        )
    )
