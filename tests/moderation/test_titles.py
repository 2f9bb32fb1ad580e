"""Each tab of the queue is titled after its own label, as its link in the tabs reads."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("tab", ["pending", "reported", "spam", "decided"])
def test_a_tabs_title_is_its_label(staff, tab):
    page = staff.get(f"/moderation/?tab={tab}").content.decode()
    (title,) = re.findall(r"<title>Moderation: (.*?) \|", page)
    labels = re.findall(r'<li><a href="/moderation/\?tab=(\w+)"[^>]*>(.*?) <span', page)
    assert (tab, title) in labels
