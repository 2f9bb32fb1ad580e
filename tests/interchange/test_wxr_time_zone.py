"""``export wxr --time-zone``: the local times a WordPress site will show.

WordPress's importer stores ``post_date`` and ``comment_date`` as the file gives them
and shows them as the site's local time, whatever its own time zone; only the
``_gmt`` dates are read as UTC. Checked with WordPress 6.1 and its importer: a site
exported from a Broadsheet on UTC showed every time two hours early in a WordPress
set to Asia/Jerusalem. The sample is in WordPress 6.1's layout, from such a site.
"""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError
from django.test import override_settings
from lxml import etree

from tests.interchange.conftest import SAMPLES, run_export, run_import

WP = "http://wordpress.org/export/1.2/"
SAMPLE = SAMPLES / "wordpress-6.1-jerusalem.xml"


def dates(xml: str | bytes) -> dict[str, tuple[str, str]]:
    """Each post's and comment's local and GMT date, by title or author."""
    # WordPress writes a commenter's address with a bare "&", which XML does not allow.
    parser = etree.XMLParser(recover=True)
    root = etree.fromstring(xml.encode() if isinstance(xml, str) else xml, parser)
    found = {}
    for item in root.iter("item"):
        title = item.findtext("title")
        found[title] = (
            item.findtext(f"{{{WP}}}post_date"),
            item.findtext(f"{{{WP}}}post_date_gmt"),
        )
        for comment in item.iter(f"{{{WP}}}comment"):
            author = comment.findtext(f"{{{WP}}}comment_author")
            found[author] = (
                comment.findtext(f"{{{WP}}}comment_date"),
                comment.findtext(f"{{{WP}}}comment_date_gmt"),
            )
    return found


@pytest.fixture
def imported(db):
    run_import("wxr", SAMPLE, "--no-train")


@override_settings(TIME_ZONE="UTC")
def test_times_go_back_to_wordpress_as_its_site_showed_them(imported):
    exported = dates(
        run_export("wxr", "--base-url", "https://new.example", "--time-zone", "Asia/Jerusalem")
    )
    # Both sides of both clock changes, the hour that came twice included.
    assert exported == dates(SAMPLE.read_bytes())
    # Without it they are the site's own (UTC here), which WordPress would show as its.
    ours = dates(run_export("wxr", "--base-url", "https://new.example"))
    assert ours["The ferry vote"] == ("2026-03-26 20:15:00", "2026-03-26 20:15:00")
    assert all(local == gmt for local, gmt in ours.values())


def test_a_fixed_offset_is_written_as_wordpress_offers_one(imported):
    exported = dates(
        run_export("wxr", "--base-url", "https://new.example", "--time-zone", "UTC-3:30")
    )
    assert exported["The ferry vote"] == ("2026-03-26 16:45:00", "2026-03-26 20:15:00")
    assert exported["שרה"] == ("2026-10-24 20:00:00", "2026-10-24 23:30:00")


@pytest.mark.parametrize("zone", ["Mars/Base", "Asia", "../../etc/passwd", "UTC+15", ""])
def test_a_zone_that_is_not_one_is_refused_before_a_byte_is_written(imported, tmp_path, zone):
    target = tmp_path / "site.xml"
    with pytest.raises(CommandError, match="is not a time zone"):
        run_export("wxr", "-o", str(target), "--time-zone", zone)
    assert list(tmp_path.iterdir()) == []


def test_a_backup_refuses_the_option(imported, tmp_path):
    with pytest.raises(CommandError, match="--time-zone is for wxr"):
        run_export("json", "-o", str(tmp_path / "backup.json"), "--time-zone", "Asia/Jerusalem")
    assert list(tmp_path.iterdir()) == []
