"""Benchmark 2: bytes on the wire for a student's first visit to a lesson page, measured in Chromium.

    .venv/bin/python -m bench.bench_page_weight

gunicorn with the production settings serves the app; the student signs in with the Python client and the
session cookie is handed to a fresh Chromium context (empty cache), which opens the lesson page and waits for
the network to go idle. Bytes are Chromium's encodedDataLength per response (headers + body as transferred,
so compressed if the server compressed), from the DevTools protocol. Also printed: what gzip would make of each
text response (as nginx `gzip on` would send it). Target: under 50 KB.
"""

from __future__ import annotations

import gzip
import sys

from bench.bench_lesson import signed_in_client
from bench.common import LESSON_PATH, Instance, Server, print_facts, table, write_result

CHROMIUM = "/usr/bin/chromium"


def main() -> dict:
    print("Benchmark 2: page weight of the first visit to", LESSON_PATH)
    print_facts()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("Playwright for Python is not installed")
    rows, total, gzipped_total = [], 0, 0
    with Instance("sqlite") as instance, Server("edu.wsgi:app", instance.env) as server:
        client = signed_in_client(server.port)
        base = f"http://127.0.0.1:{server.port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context()
            context.add_cookies([{"name": k, "value": v, "url": base} for k, v in client.cookies.items()])
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            responses: dict[str, dict] = {}
            cdp.on("Network.responseReceived", lambda e: responses.__setitem__(e["requestId"], {
                "url": e["response"]["url"], "type": e["type"], "status": e["response"]["status"],
                "encoding": {k.lower(): v for k, v in e["response"]["headers"].items()}.get("content-encoding", "-"),
            }))
            cdp.on("Network.loadingFinished", lambda e: responses.get(e["requestId"], {}).__setitem__(
                "bytes", e["encodedDataLength"]))
            page.goto(base + LESSON_PATH, wait_until="networkidle")
            assert "/learn/lesson/" in page.url, page.url
            bodies = {}
            for info in responses.values():
                path = info["url"].replace(base, "")
                status, _h, body = client.request("GET", path)
                bodies[path] = body
            browser.close()
    for info in responses.values():
        path = info["url"].replace(base, "")
        size = info.get("bytes", 0)
        compressed = len(gzip.compress(bodies[path], 6)) if info["type"] in ("Document", "Stylesheet", "Script") \
            else len(bodies[path])
        header_bytes = max(size - len(bodies[path]), 0) if info["encoding"] == "-" else 0
        total += size
        gzipped_total += compressed + header_bytes
        rows.append([path[:60], info["status"], info["type"], info["encoding"], size, compressed + header_bytes])
    print(table(rows + [["total", "", "", "", total, gzipped_total]],
                ["resource", "status", "type", "content-encoding", "bytes on the wire", "with gzip (estimate)"]))
    verdict = "PASS" if total < 50 * 1024 else "FAIL"
    print(f"  total {total / 1024:.1f} KB as served (target < 50 KB): {verdict}; "
          f"with gzip about {gzipped_total / 1024:.1f} KB")
    summary = {"bytes": total, "gzip_estimate": gzipped_total, "resources": len(rows), "verdict": verdict}
    write_result("page_weight", summary)
    return summary


if __name__ == "__main__":
    main()
