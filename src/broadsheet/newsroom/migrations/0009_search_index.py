# Site search (docs/operations.md, "Search"): a document of each article's words, an
# index over it for each database, and the articles a site already has indexed.

import django.db.models.deletion
from django.db import migrations, models

import broadsheet.newsroom.models
from broadsheet.newsroom import indexing

BATCH = 500


def make_index(apps, schema_editor):
    """SQLite: the FTS5 table and its triggers. PostgreSQL: a GIN index on the vector,
    which the search's ``vector @@ query`` reads."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in indexing.sqlite_schema():
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {indexing.GIN_INDEX} ON newsroom_searchdocument USING gin (vector)"
        )


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for trigger in indexing.SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {indexing.FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {indexing.GIN_INDEX}")


def index_existing(apps, schema_editor):
    """The articles the site had before the upgrade, indexed as the site indexes them."""
    Article = apps.get_model("newsroom", "Article")
    SearchDocument = apps.get_model("newsroom", "SearchDocument")
    SiteSettings = apps.get_model("newsroom", "SiteSettings")
    articles = Article.objects.select_related("author", "section").prefetch_related("tags")
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        documents = []
        for a in articles.filter(pk__in=ids[start : start + BATCH]):
            names = [f.name for f in (a.section, a.author) if f is not None]
            names += [t.name for t in a.tags.all()]
            fields = indexing.document_fields(a.title, a.summary, a.body_html, names)
            documents.append(SearchDocument(article_id=a.pk, **fields))
        SearchDocument.objects.bulk_create(documents)
    if schema_editor.connection.vendor == "postgresql" and ids:
        site = SiteSettings.objects.filter(pk=1).first()
        config = indexing.text_search_config(site.language if site else "en")
        SearchDocument.objects.update(vector=indexing.vectors(config))
        indexing.settle_postgres_index()


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0008_field_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='newsroom.article')),
                ('title', models.TextField()),
                ('summary', models.TextField(blank=True)),
                ('names', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('vector', broadsheet.newsroom.models.DocumentVectorField(editable=False, null=True)),
            ],
        ),
        migrations.RunPython(make_index, drop_index),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
