# Hebrew and Arabic words are indexed with the rests their prefixes leave
# (newsroom.prefixes): every document is written again, as the site writes it now.

from django.db import migrations

from broadsheet.newsroom import indexing

BATCH = 500


def reindex(apps, schema_editor):
    Article = apps.get_model("newsroom", "Article")
    SearchDocument = apps.get_model("newsroom", "SearchDocument")
    SiteSettings = apps.get_model("newsroom", "SiteSettings")
    articles = Article.objects.select_related("author", "section").prefetch_related("tags")
    ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    columns = ["title", "summary", "names", "body"]
    for start in range(0, len(ids), BATCH):
        documents = []
        for a in articles.filter(pk__in=ids[start : start + BATCH]):
            names = [f.name for f in (a.section, a.author) if f is not None]
            names += [t.name for t in a.tags.all()]
            fields = indexing.document_fields(a.title, a.summary, a.body_html, names)
            documents.append(SearchDocument(article_id=a.pk, **fields))
        # On SQLite the update trigger writes each row's words into the full-text table.
        SearchDocument.objects.bulk_update(documents, columns)
    if schema_editor.connection.vendor == "postgresql" and ids:
        site = SiteSettings.objects.filter(pk=1).first()
        config = indexing.text_search_config(site.language if site else "en")
        SearchDocument.objects.update(vector=indexing.vectors(config))
        indexing.settle_postgres_index()


class Migration(migrations.Migration):

    dependencies = [
        ("newsroom", "0010_body_image_copies"),
    ]

    # Going back needs nothing: the code before this searches the words as typed, and
    # the marked rests are tokens no reader types.
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
