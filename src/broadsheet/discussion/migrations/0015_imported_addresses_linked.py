# Comments imported as HTML (from WordPress or Disqus) whose text holds a bare web
# address, laid out again as an import now lays them out: the address is a link, as
# WordPress showed it (docs/import-export.md). The database finds those rows; only the
# ones whose HTML changes are written, and their articles' pages drawn again.

from django.db import migrations
from django.db.models import Q


def link_addresses(apps, schema_editor):
    from broadsheet.discussion.models import HTML_ORIGINS
    from broadsheet.discussion.upgrades import render_again

    imported = Q()
    for prefix in HTML_ORIGINS:
        imported |= Q(origin__startswith=prefix)
    addressed = Q(body__contains="://") | Q(body__icontains="www.")
    render_again(apps, apps.get_model("discussion", "Comment").objects.filter(imported & addressed))


class Migration(migrations.Migration):

    dependencies = [
        ("discussion", "0014_status_tally_truncate"),
        ("newsroom", "0016_rerender_footnotes"),
    ]

    operations = [
        migrations.RunPython(link_addresses, migrations.RunPython.noop, elidable=True),
    ]
