"""Benchmark: the site search over N generated articles, on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py [--articles 10000] [--rounds 30]
        [--postgres postgres://postgres@127.0.0.1:5432/] [--no-sqlite] [--src DIR]

For each database, in a child process with a fresh data folder (and on PostgreSQL a
database of its own, made and dropped here): migrates, writes N articles with
realistic bodies made up here (Zipf-distributed words from a vocabulary of about
6,000, 400 to 1,200 words a body in paragraphs, one in ten in Hebrew; sections,
bylines and tags), then reports

- indexing: the time to index them all at once, as an import does (``deferred``),
  and a full ``broadsheet search rebuild``;
- saving: what indexing adds to one ``save_article`` (the editor's save), median;
- searching: median and 95th percentile of the whole search page (``/search/?q=``,
  rendered with its marked excerpts) for queries from rare to very common words,
  two words, a prefix, Hebrew and no match, ``--rounds`` times each, and of the
  database part alone (count and page).

The machine is shared: read the figures as orders of magnitude.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _split(words: str) -> list[str]:
    return words.split()


QUERIES = {
    "rare word": "quillet",
    "common word": "council",
    "very common word": "the",
    "two words": "harbour budget",
    "prefix": "counc",
    "hebrew": "הכנסת",
    "hebrew, its rest": "כנסת",
    "hebrew, prefixed": "בממשלה",
    "hebrew, two words": "הממשלה בחירות",
    "no match": "zzyzx",
}
COMMON = _split(
    "the of and to in a is that for on was with as by at it from his be an are have this "
    "which not or but has had were their been they one its also after said new more who "
    "council budget harbour city election vote residents mayor school transport bridge "
    "police court housing water river report plan street library hospital market ferry "
    "tram park museum festival weather night week year people government minister"
)
HEBREW = _split(
    "הכנסת הממשלה העירייה התקציב ראש בחירות תושבים בית ספר תחבורה גשר משטרה בית משפט "
    "דיור מים נהר דוח תוכנית רחוב ספרייה בית חולים שוק מעבורת פארק מוזיאון פסטיבל מזג "
    "אוויר לילה שבוע שנה אנשים שר של את על עם לא גם אבל כי הוא היא"
)
SYLLABLES = [consonant + vowel for consonant in "bdklmnrstv" for vowel in "aeio"]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    made = {"quillet", "election", "elections", "electing"}
    while len(made) < size:
        made.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return COMMON + sorted(made)


def zipf_words(rng: random.Random, words: list[str], n: int) -> list[str]:
    weights = [1 / (rank + 1) for rank in range(len(words))]
    return rng.choices(words, weights=weights, k=n)


def body(rng: random.Random, words: list[str], hebrew: bool) -> str:
    total = rng.randint(400, 1200)
    chosen = zipf_words(rng, HEBREW if hebrew else words, total)
    paragraphs, at = [], 0
    while at < total:
        size = rng.randint(40, 120)
        text = " ".join(chosen[at : at + size])
        paragraphs.append(f"<p>{text[:1].upper()}{text[1:]}.</p>")
        at += size
    return "\n".join(paragraphs)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def child(articles: int, rounds: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from broadsheet.newsroom import actions, indexing
    from broadsheet.newsroom.models import Article, Author, Section, SiteSettings, Tag
    from broadsheet.search.query import Query, Results

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    words = vocabulary(rng, 6000)
    sections = [Section.objects.create(name=f"Section {i}", slug=f"s{i}") for i in range(8)]
    authors = [Author.objects.create(name=f"Writer {i}", slug=f"w{i}") for i in range(40)]
    tags = [Tag.objects.create(name=f"Tag {w}", slug=f"t{i}") for i, w in enumerate(words[:60])]
    now = timezone.now()
    made = []
    started = time.perf_counter()
    for i in range(articles):
        hebrew = i % 10 == 0
        title = " ".join(zipf_words(rng, HEBREW if hebrew else words, rng.randint(6, 12)))
        summary = " ".join(zipf_words(rng, HEBREW if hebrew else words, rng.randint(15, 35)))
        html = body(rng, words, hebrew)
        made.append(
            Article(
                title=title[:300], slug=f"a-{i}", summary=summary, body=html, body_html=html,
                body_format=Article.BodyFormat.HTML, status=Article.Status.PUBLISHED,
                published_at=now - timezone.timedelta(minutes=i),
                section=sections[i % len(sections)], author=authors[i % len(authors)],
            )
        )  # fmt: skip
    with transaction.atomic():
        Article.objects.bulk_create(made, batch_size=1000)
        through = Article.tags.through
        ids = list(Article.objects.values_list("pk", flat=True))
        through.objects.bulk_create(
            [through(article_id=pk, tag_id=tags[pk % len(tags)].pk) for pk in ids],
            batch_size=2000,
        )
    written = time.perf_counter() - started
    chars = sum(len(a.body_html) for a in made)

    started = time.perf_counter()
    with transaction.atomic(), indexing.deferred():
        indexing.index_articles(ids)
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    indexing.rebuild()
    rebuilt = time.perf_counter() - started
    # What autovacuum does a minute after a large import: the planner's statistics.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # One editor's save, with and without the index written.
    saves: dict[str, list[float]] = {"with index": [], "without index": []}
    real = indexing.index_articles
    for n, article in enumerate(Article.objects.order_by("pk")[:60]):
        kind = "with index" if n % 2 else "without index"
        indexing.index_articles = real if n % 2 else (lambda ids: 0)  # type: ignore[assignment]
        article.title += " again"
        started = time.perf_counter()
        actions.save_article(article)
        saves[kind].append((time.perf_counter() - started) * 1000)
    indexing.index_articles = real  # type: ignore[assignment]

    client = Client()
    language = SiteSettings.load().language
    for q in QUERIES.values():  # templates compiled, tables built: not what is measured
        client.get("/search/", {"q": q})
    searches = {}
    for name, q in QUERIES.items():
        pages, database, forms = [], [], []
        count = 0
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get("/search/", {"q": q})
            pages.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            started = time.perf_counter()
            results = Results(Query.parse(q), language)
            count = results.count()
            results[0:10]
            database.append((time.perf_counter() - started) * 1000)
            # Of which: finding which forms of the words the articles hold.
            started = time.perf_counter()
            Results(Query.parse(q), language).forms()
            forms.append((time.perf_counter() - started) * 1000)
        searches[name] = {
            "query": q,
            "found": count,
            "page_median_ms": statistics.median(pages),
            "page_p95_ms": percentile(pages, 0.95),
            "db_median_ms": statistics.median(database),
            "db_p95_ms": percentile(database, 0.95),
            "forms_median_ms": statistics.median(forms) if forms else 0.0,
        }
    return {
        "database": connection.vendor,
        "articles": articles,
        "body_megabytes": round(chars / 1e6, 1),
        "write_articles_s": round(written, 1),
        "index_all_s": round(indexed, 1),
        "rebuild_s": round(rebuilt, 1),
        "save_ms": {k: round(statistics.median(v), 1) for k, v in saves.items()},
        "searches": searches,
    }


def run(articles: int, rounds: int, database_url: str | None, src: Path) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "BROADSHEET_DATA_DIR": tempfile.mkdtemp(prefix="bench-search-"),
        "BROADSHEET_RATE_LIMIT": "off",
        "BROADSHEET_ALLOWED_HOSTS": "testserver",
    }
    env.pop("BROADSHEET_DATABASE_URL", None)
    if database_url:
        env["BROADSHEET_DATABASE_URL"] = database_url
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--articles", str(articles), "--rounds", str(rounds)],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def with_postgres_database(server: str, articles: int, rounds: int, src: Path) -> dict:
    import psycopg

    name = f"bench_search_{os.getpid()}"
    admin = server.rstrip("/").replace("postgres://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        return run(articles, rounds, server.rstrip("/") + "/" + name, src)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def report(result: dict) -> None:
    print(
        f"\n== {result['database']}: {result['articles']} articles, "
        f"{result['body_megabytes']} MB of body HTML"
    )
    print(f"  writing the articles (bulk, no index):  {result['write_articles_s']} s")
    print(f"  indexing them all at once (as imports): {result['index_all_s']} s")
    print(f"  broadsheet search rebuild:              {result['rebuild_s']} s")
    save = result["save_ms"]
    print(f"  one save_article: {save['without index']} ms without, {save['with index']} ms with")
    print(
        f"  {'query':<18}{'found':>7}{'page p50':>10}{'p95':>8}{'db p50':>9}{'p95':>8}"
        f"{'forms p50':>11}  (ms)"
    )
    for name, s in result["searches"].items():
        print(
            f"  {name:<18}{s['found']:>7}{s['page_median_ms']:>10.1f}{s['page_p95_ms']:>8.1f}"
            f"{s['db_median_ms']:>9.1f}{s['db_p95_ms']:>8.1f}{s.get('forms_median_ms', 0):>11.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/",
        help="A PostgreSQL server (a database is made there and dropped); '' to skip.",
    )
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--src",
        type=Path,
        default=ROOT / "src",
        help="The code to measure (another checkout's src/, to compare versions).",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.articles, args.rounds)))
        return
    if not args.no_sqlite:
        report(run(args.articles, args.rounds, None, args.src))
    if args.postgres:
        report(with_postgres_database(args.postgres, args.articles, args.rounds, args.src))


if __name__ == "__main__":
    main()
