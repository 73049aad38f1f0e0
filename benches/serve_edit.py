#!/usr/bin/env python3
"""Latency of `jianbao serve` after an article edit: from saving the file to the new page
served over HTTP, and what the server itself logs (file event to pages in memory).

    python3 benches/serve_edit.py SITE [EDITS]

SITE is a built-able site, e.g. one from ../shared/bench/gen_site.py --articles 10000
--records 100000. The script starts `target/release/jianbao serve` on a free port, edits the
body of one article EDITS times (default 7, a second apart), polls the page until the edit
shows, prints each latency and the median, then restores the file.
"""
import pathlib
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "jianbao"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def main():
    site = pathlib.Path(sys.argv[1]).resolve()
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    article = sorted((site / "content").rglob("articles/*.md"))[len(sorted((site / "content").rglob("articles/*.md"))) // 2]
    text = article.read_text(encoding="utf-8")
    m = re.search(r"^slug:\s*(\S+)", text, re.M)
    slug = m.group(1) if m else article.stem
    port = free_port()
    log = open("/tmp/jianbao-serve-edit.log", "w")
    server = subprocess.Popen(
        [str(BIN), "serve", str(site), "--port", str(port), "--drafts"], stderr=log
    )
    url = f"http://127.0.0.1:{port}/articles/{slug}/"
    try:
        deadline = time.time() + 120
        while "<html" not in fetch(url):
            if time.time() > deadline or server.poll() is not None:
                sys.exit(f"the server did not serve {url}")
            time.sleep(0.2)
        times = []
        for i in range(edits):
            marker = f"编辑标记{i}x{time.time_ns()}"
            article.write_text(text.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
            t0 = time.perf_counter()
            while marker not in fetch(url):
                if time.perf_counter() - t0 > 30:
                    sys.exit("the edit did not show within 30 s")
                time.sleep(0.002)
            times.append((time.perf_counter() - t0) * 1000)
            print(f"edit {i + 1}: {times[-1]:.0f} ms from save to page served")
            time.sleep(1)
        print(f"median {statistics.median(times):.0f} ms over {edits} edits")
    finally:
        article.write_text(text, encoding="utf-8")
        time.sleep(0.5)
        server.terminate()
        server.wait()
        log.close()
    logged = re.findall(r"in (\d+) ms after the change", open("/tmp/jianbao-serve-edit.log").read())
    if logged:
        ms = [int(x) for x in logged[:edits]]
        print(f"server log, file event to pages in memory: {ms} ms, median {statistics.median(ms):.0f} ms")


if __name__ == "__main__":
    main()
