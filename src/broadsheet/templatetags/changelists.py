"""``{% for cell in result|labelled:result_headers %}``: the admin's list, its cells
named by their columns, for the narrow screen where each row is a card (admin.css)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

register = template.Library()

# A cell as Django's ``items_for_result`` draws it: ``<td class="field-…">…</td>``, or
# ``th`` for the column that links to the row's form.
_CELL = re.compile(r"<(td|th)\b")


@register.filter
def labelled(cells: Iterable[SafeString], headers: Iterable[Mapping[str, Any]]) -> list[SafeString]:
    """Each of a row's ``cells`` with ``data-label``, its column's heading as text: none
    for the column of tick boxes, whose heading is a box. A cell drawn otherwise is
    left as it is."""
    named = []
    for cell, header in zip(cells, headers, strict=False):
        label = " ".join(strip_tags(str(header.get("text", ""))).split())
        opening = _CELL.match(cell)
        if label and opening:
            named_by = f' data-label="{escape(capfirst(label))}"'
            cell = mark_safe(f"{cell[: opening.end()]}{named_by}{cell[opening.end() :]}")
        named.append(cell)
    return named
