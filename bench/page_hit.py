"""In-process cost of an anonymous article page served from the page cache.

    BROADSHEET_DATA_DIR=/tmp/site python bench/page_hit.py [--requests 2000] [--profile]

Calls Django's WSGI handler in a loop, with no server and no network, on the
live article with the most comments of the site in ``BROADSHEET_DATA_DIR``
(``broadsheet demo`` makes one), and prints the time per request of three
answers: a page cache hit (200), a revalidation (304) and a HEAD. The first
request of each kind fills the cache and is not counted. ``--draw`` gives the
shared cache nothing to keep, so that every 200 draws the page anew: the cost of a
page render. ``--profile`` prints
cProfile's view of the cache hits instead. Set ``BROADSHEET_REDIS_URL`` to measure
with Redis. The machine is shared: compare figures taken in the same run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable


def environ(path: str, method: str = "GET", **headers: str) -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the median is shown")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--only", choices=("hit", "304", "head"), help="time one kind (for callgrind runs)"
    )
    parser.add_argument(
        "--draw", action="store_true", help="keep nothing: every 200 draws the page (a render)"
    )
    args = parser.parse_args()
    if "BROADSHEET_DATA_DIR" not in os.environ:
        raise SystemExit("Set BROADSHEET_DATA_DIR to a site's data folder (broadsheet demo).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    os.environ.setdefault("BROADSHEET_ALLOWED_HOSTS", "127.0.0.1")

    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    if args.draw:
        from django.conf import settings

        # Before the first request makes the cache: nothing is kept, nothing found.
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    from broadsheet.newsroom.models import Article

    article = Article.objects.live().order_by("-comment_count").first()
    if article is None:
        raise SystemExit("The site has no live article (run broadsheet demo).")
    path = article.get_absolute_url()
    answers: list[tuple[str, int]] = []

    def start_response(status: str, headers: list, exc_info: object = None) -> None:
        answers.append((status, len(headers)))

    def call(env: Callable[[], dict]) -> bytes:
        result = app(env(), start_response)
        try:
            return b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()

    call(lambda: environ(path))
    etag = dict(_headers(app, path))["ETag"]
    kinds: dict[str, Callable[[], dict]] = {
        "hit 200": lambda: environ(path),
        "hit 304": lambda: environ(path, IF_NONE_MATCH=etag),
        "HEAD": lambda: environ(path, "HEAD"),
    }
    for name, env in kinds.items():
        answers.clear()
        body = call(env)
        print(f"{name}: {answers[-1][0]}, {len(body):,} bytes of body")

    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            call(kinds["hit 200"])
        profile.disable()
        stats = pstats.Stats(profile).sort_stats("cumulative")
        stats.print_stats(45)
        return

    print(f"{path}, {args.requests} requests a round, median of {args.repeat} rounds:")
    only = {"hit": "hit 200", "304": "hit 304", "head": "HEAD"}.get(args.only or "")
    for name, env in kinds.items():
        if only and name != only:
            continue
        rounds = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for _ in range(args.requests):
                call(env)
            rounds.append((time.perf_counter() - start) / args.requests * 1e6)
        said = name.replace("hit", "drawn") if args.draw and name != "hit 304" else name
        print(f"  {said}: {statistics.median(rounds):7.0f} µs per request")


def _headers(app: Callable, path: str) -> list[tuple[str, str]]:
    captured: list[tuple[str, str]] = []

    def start_response(status: str, headers: list, exc_info: object = None) -> None:
        captured.extend(headers)

    b"".join(app(environ(path), start_response))
    return captured


if __name__ == "__main__":
    main()
