"""Page weight and load time on a slow phone network (issue 9): for each demo role's landing page
and the main record pages (a person, the registration form, a case, a person's assistance), the
HTML size as sent raw and gzip-compressed, and the load time in headless Chromium under emulated
'Slow 3G' (CDP Network.emulateNetworkConditions: 400 kbps down and up, 400 ms round trip) — first
visit with an empty cache, then again with the browser's cache (static files kept).

`python bench/pages.py` — builds the demo world (`parcours seed`) in a fresh SQLite file under
/tmp/parcours-bench-pages, serves it with gunicorn as `make run` does (settings.dev: gzip,
WhiteNoise), drives /usr/bin/chromium (CHROMIUM=...) with Playwright. Results: a Markdown table on
stdout and JSON in bench/results/pages-<date>.json."""

import argparse
import datetime as dt
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = Path(os.environ.get("BENCH_VAR", "/tmp/parcours-bench-pages"))
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ROLES = ["admin", "reception.bamako", "protection.bamako", "caseworker.kayes", "caseworker.ajdm", "centre.gao",
         "enumerator.gao", "focal.sikasso", "partner.cfpm", "me.iom", "manager.eu", "auditor"]
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
PHONE = {"width": 375, "height": 740}


def env() -> dict:
    out = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out.update({"PARCOURS_VAR_DIR": str(VAR), "DJANGO_SETTINGS_MODULE": "parcours.settings.dev",
                "PYTHONPATH": str(ROOT)})
    return out


def build_world(people: int) -> None:
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    py = sys.executable
    subprocess.run([py, "-m", "parcours.cli", "migrate", "--noinput", "-v0"], env=env(), check=True, cwd=ROOT)
    subprocess.run([py, "-m", "parcours.cli", "seed", "--demo-people", str(people)], env=env(), check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


def record_pages() -> dict:
    """The record pages measured: a case of caseworker.kayes, its person (page and assistance)."""
    os.environ.update(env())
    import django

    django.setup()
    from parcours.cases.models import Case

    case = Case.objects.filter(owner__username="caseworker.kayes", closed_on__isnull=True).order_by("opened_at").first()
    return {"person page": ("caseworker.kayes", f"/people/{case.person_id}/"),
            "register page": ("reception.bamako", "/people/register/"),
            "case page": ("caseworker.kayes", f"/cases/{case.pk}/"),
            "assistance page": ("caseworker.kayes", f"/assistance/people/{case.person_id}/")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen([str(gunicorn), "parcours.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                             "--threads", "4", "--log-level", "warning"], env=env(), cwd=ROOT)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start")


def html_sizes(url: str, cookies: list) -> tuple[int, int]:
    """(bytes of HTML sent uncompressed, bytes sent when the browser accepts gzip)."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    sizes = []
    for encoding in ("identity", "gzip"):
        request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": encoding,
                                                      "Accept-Language": "fr"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            if encoding == "gzip":
                assert response.headers.get("Content-Encoding") == "gzip", url
                gzip.decompress(body)
            sizes.append(len(body))
    return sizes[0], sizes[1]


def timed_load(page, cdp, url: str, *, cold: bool) -> dict:
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": cold})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    started = time.perf_counter()
    page.goto(url, wait_until="load", timeout=120_000)
    wall = time.perf_counter() - started
    nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        const r = performance.getEntriesByType('resource');
        return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, first_byte: n.responseStart,
                bytes: n.transferSize + r.reduce((s, e) => s + (e.transferSize || 0), 0), requests: 1 + r.length}; }""")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                 "uploadThroughput": -1})
    return {"load_ms": round(nav["load"] or wall * 1000), "dcl_ms": round(nav["dcl"]), "ttfb_ms": round(nav["first_byte"]),
            "transferred": nav["bytes"], "requests": nav["requests"]}


def measure(base: str, pages: dict) -> list[dict]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for username in ROLES:
            context = browser.new_context(locale="fr-FR", viewport=PHONE, extra_http_headers={"Accept-Language": "fr"})
            page = context.new_page()
            page.goto(f"{base}/login/")
            page.locator("input[name=username]").fill(username)
            page.locator("input[name=password]").fill("parcours-demo")
            page.locator("main button.primary").click()
            page.wait_for_load_state()
            landing = page.url.removeprefix(base)
            wanted = [(f"landing ({username})", landing)]
            wanted += [(name, path) for name, (user, path) in pages.items() if user == username]
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            for name, path in wanted:
                raw, sent = html_sizes(base + path, context.cookies())
                cold = timed_load(page, cdp, base + path, cold=True)
                warm = timed_load(page, cdp, base + path, cold=False)
                rows.append({"page": name, "path": path, "user": username, "html_bytes": raw, "html_gzip_bytes": sent,
                             "cold": cold, "warm": warm})
                print(f"  {name:32} {raw:7d} B  gzip {sent:6d} B  cold {cold['load_ms']:6d} ms  "
                      f"warm {warm['load_ms']:6d} ms", file=sys.stderr)
            context.close()
        browser.close()
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| page | HTML | HTML sent (gzip) | Slow 3G, empty cache: load (bytes, requests) | Slow 3G, cached: load |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", r["path"])
        lines.append(f"| {r['page']} `{path}` | {r['html_bytes'] / 1000:.1f} KB | {r['html_gzip_bytes'] / 1000:.1f} KB "
                     f"| {r['cold']['load_ms'] / 1000:.2f} s ({r['cold']['transferred'] / 1000:.1f} KB, "
                     f"{r['cold']['requests']}) | {r['warm']['load_ms'] / 1000:.2f} s |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo-people", type=int, default=300, help="returnees in the demo world (as make run)")
    parser.add_argument("--keep", action="store_true", help="reuse the world already built under BENCH_VAR")
    opts = parser.parse_args()
    if not (opts.keep and (VAR / "parcours.sqlite3").exists()):
        build_world(opts.demo_people)
    pages = record_pages()
    port = free_port()
    server = serve(port)
    try:
        rows = measure(f"http://127.0.0.1:{port}", pages)
    finally:
        server.terminate()
        server.wait(10)
    result = {"date": dt.date.today().isoformat(), "network": "Slow 3G: 400 kbps down/up, 400 ms RTT (CDP)",
              "viewport": PHONE, "chromium": CHROMIUM, "demo_people": opts.demo_people, "pages": rows}
    out = ROOT / "bench" / "results" / f"pages-{result['date']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print(table(rows))
    print(f"\n(raw results: {out.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
