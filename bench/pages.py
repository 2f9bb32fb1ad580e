"""Page-serving benchmark: Broadsheet against nginx serving the same page as a file.

    python bench/pages.py [--seconds 10] [--connections 16] [--workers 4] [--port N]

Loads the demo site into a fresh data folder, starts ``broadsheet serve`` and an
nginx on loopback that serves a saved copy of the same article page, then loads
both with the same client (wrk when installed, else a Python keep-alive client)
one after the other, twice, and prints requests per second and latency for each
and the ratio. Each round also loads the same article's comment feed
(``/article/<slug>/feed/``, its 20 newest comments) from Broadsheet. The
machine is shared and noisy: read the ratio, not the absolutes. Everything binds
to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def load_wrk(url: str, seconds: int, connections: int) -> tuple[float, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    return rps, float(p50.group(1)) * scale


def load_python(url: str, seconds: int, connections: int) -> tuple[float, float]:
    host_port, path = url.removeprefix("http://").split("/", 1)
    host, port = host_port.split(":")
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        mine = []
        while time.monotonic() < stop:
            start = time.perf_counter()
            conn.request("GET", "/" + path)
            conn.getresponse().read()
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / seconds, statistics.median(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--port", type=int, help="Broadsheet's port, nginx's the next (default: any free ones)"
    )
    args = parser.parse_args()
    load = load_wrk if shutil.which("wrk") else load_python
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is needed for the comparison (apt-get install nginx)")

    work = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    work.chmod(0o755)  # nginx's workers drop root and must read the saved page
    env = {**os.environ, "BROADSHEET_DATA_DIR": str(work / "data")}
    env.pop("BROADSHEET_DATABASE_URL", None)
    subprocess.run([BIN / "broadsheet", "demo"], env=env, check=True, capture_output=True)
    slug = subprocess.run(
        [BIN / "broadsheet", "shell", "-c",
         "from broadsheet.newsroom.models import Article as A;"
         "print(A.objects.live().order_by('-comment_count').first().slug)"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip

    app_port, nginx_port = (args.port, args.port + 1) if args.port else (free_port(), free_port())
    log = (work / "serve.log").open("w")
    app = subprocess.Popen(
        [BIN / "broadsheet", "serve", "--port", str(app_port), "--workers", str(args.workers)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    web = None
    try:
        app_url = f"http://127.0.0.1:{app_port}/article/{slug}/"
        try:
            page = wait_for(app_url)
        except SystemExit:
            print((work / "serve.log").read_text()[-3000:], file=sys.stderr)
            raise
        feed_url = f"{app_url}feed/"
        feed = wait_for(feed_url)
        root = work / "static"
        (root / "article" / slug).mkdir(parents=True)
        (root / "article" / slug / "index.html").write_bytes(page)
        conf = work / "nginx.conf"
        conf.write_text(
            f"daemon off; worker_processes {args.workers}; pid {work}/nginx.pid;\n"
            f"error_log {work}/nginx-error.log;\n"
            "events { worker_connections 1024; }\n"
            f"http {{ access_log off; server {{ listen 127.0.0.1:{nginx_port};"
            f" root {root}; }} }}\n"
        )
        web = subprocess.Popen([nginx, "-c", str(conf)], start_new_session=True)
        nginx_url = f"http://127.0.0.1:{nginx_port}/article/{slug}/"
        wait_for(nginx_url)

        print(
            f"page: /article/{slug}/ ({len(page):,} bytes), its feed ({len(feed):,} bytes), "
            f"{args.connections} connections, {args.seconds}s per run, {args.workers} workers "
            f"each, client: {load.__name__}"
        )
        ratios = []
        for round_ in (1, 2):
            b_rps, b_p50 = load(app_url, args.seconds, args.connections)
            n_rps, n_p50 = load(nginx_url, args.seconds, args.connections)
            f_rps, f_p50 = load(feed_url, args.seconds, args.connections)
            ratios.append(b_rps / n_rps)
            print(f"round {round_}: broadsheet {b_rps:9.0f} req/s  p50 {b_p50:7.2f} ms | "
                  f"nginx {n_rps:9.0f} req/s  p50 {n_p50:7.2f} ms | "
                  f"broadsheet/nginx throughput {b_rps / n_rps:.3f} | "
                  f"comment feed {f_rps:9.0f} req/s  p50 {f_p50:7.2f} ms")  # fmt: skip
        print(f"median ratio broadsheet/nginx: {statistics.median(ratios):.3f}")
    finally:
        for proc in (app, web):
            if proc is not None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
