"""The portal in a real headless browser (Debian's chromium driven by Playwright) against
a live server on a free local port: pages render Chinese, charts draw, nothing a user
put in a report or an upload executes, and no request leaves the server."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.support import example_text
from tests.web.portal_support import DEPARTMENT, build_store
from tests.web.test_html_report import ARGS, CHROMIUM

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no chromium at {CHROMIUM} (.ci/run installs Debian's package)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    uvicorn = pytest.importorskip("uvicorn")
    from gongkai.web import create_app

    db, _ = build_store(tmp_path_factory.mktemp("browser"))
    port = _free_port()
    config = uvicorn.Config(create_app(db, upload_limit=512 * 1024), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the portal did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    def __init__(self, page, base: str):
        self.base = base
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def clean(self):
        assert self.dialogs == []
        assert all(u.startswith(self.base) or u.startswith("data:") for u in self.requests), self.requests
        assert self.errors == [], self.errors


def _open(browser, server, path):
    page = browser.new_page()
    watch = Watch(page, server)
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    return page, watch


def _doc(server, department=DEPARTMENT) -> str:
    import urllib.parse
    import urllib.request

    url = server + "/api/reports?" + urllib.parse.urlencode({"department": department, "year": 2024})
    with urllib.request.urlopen(url) as r:  # the local test server
        return json.load(r)["items"][0]["doc_id"]


CHART_PAGES = ["/", "/rules", f"/compare?department={DEPARTMENT}", "/compare?measure=expenditure_total"]


@pytest.mark.parametrize("path", CHART_PAGES)
def test_charts_draw(browser, server, path):
    page, watch = _open(browser, server, path)
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() >= 1
    page.wait_for_function("() => [...document.querySelectorAll('canvas[data-chart]')].every(c => c.dataset.rendered)")
    assert canvases.first.evaluate("c => c.width > 50 && c.height > 50")
    assert page.evaluate("() => typeof Chart") == "function"
    watch.clean()
    page.close()


def test_every_page_renders_chinese_with_a_json_twin(browser, server):
    doc = _doc(server)
    for path in ["/", f"/reports/{doc}", "/compare", "/rules", "/rules/A01", "/coverage", "/upload", "/docs", f"/reports/{doc}/source?line=3"]:
        page, watch = _open(browser, server, path)
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert "总览" in page.locator("header").inner_text()
        twin = page.locator("p.twins a", has_text="JSON")
        assert twin.count() == 1, path
        href = twin.get_attribute("href")
        page.goto(server + path.split("?")[0] + href)
        data = json.loads(page.locator("body").inner_text())
        assert isinstance(data, dict)
        watch.clean()
        page.close()


def test_report_page_numbers_link_to_their_source(browser, server):
    doc = _doc(server)
    page, watch = _open(browser, server, f"/reports/{doc}")
    cell = page.locator("#tables td.num a").first
    assert f"sha256:{doc}" in cell.get_attribute("title")
    cell.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("pre.lines .hit").count() == 1
    assert doc in page.locator("main").inner_text()
    watch.clean()
    page.close()


def test_script_in_reports_is_shown_as_text(browser, server):
    page, watch = _open(browser, server, "/?q=script")
    assert "<script>alert" in page.locator("#reports").inner_text()  # shown, as text
    page.goto(server + "/compare?measure=expenditure_total")
    page.wait_for_load_state("networkidle")
    assert "<script>alert" in page.locator("#table").inner_text()
    evil = page.locator("#table a", has_text="<script>").first.get_attribute("href")
    page.goto(server + evil)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)
    assert page.locator("img:not(.crop)").count() == 0
    watch.clean()
    page.close()


@pytest.mark.parametrize("name", ["../../escape.txt", "/tmp/abs.txt", "<img src=x onerror=alert(1)>.txt", "a\"'><script>alert(2)</script>.txt"])
def test_upload_names_never_execute_or_escape(browser, server, tmp_path, name):
    page, watch = _open(browser, server, "/upload")
    text = example_text(True).replace(DEPARTMENT, "示例市<script>alert(3)</script>局", 1)
    page.set_input_files("#file", files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode("utf-8")}])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)
    assert "检查报告" in page.title()
    assert "<script>alert" in page.locator("header").inner_text()
    assert page.locator("img").count() == 0
    assert not Path("/tmp/abs.txt").exists() or Path("/tmp/abs.txt").read_text(errors="ignore") != text
    watch.clean()
    page.close()


def test_oversized_and_binary_uploads_are_refused(browser, server):
    page, watch = _open(browser, server, "/upload")
    page.set_input_files("#file", files=[{"name": "big.txt", "mimeType": "text/plain", "buffer": b"x" * (600 * 1024)}])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "大小上限" in page.locator("main").inner_text()
    page.goto(server + "/upload")
    page.set_input_files("#file", files=[{"name": "r.txt", "mimeType": "text/plain", "buffer": b"PK\x03\x04" + b"\x00" * 100}])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "PDF" in page.locator("main").inner_text()
    watch.errors = [e for e in watch.errors if "413" not in e and "415" not in e]  # the browser logs the refused status
    watch.clean()
    page.close()


@pytest.fixture(scope="module")
def writer_server(tmp_path_factory):
    uvicorn = pytest.importorskip("uvicorn")
    from gongkai.web import create_app

    db, _ = build_store(tmp_path_factory.mktemp("browser-write"))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db, write=True, user="审核员<i>乙</i>"), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the portal did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def test_triage_in_the_browser(browser, writer_server):
    import urllib.request

    with urllib.request.urlopen(writer_server + "/api/rules") as r:  # the local test server
        rule = max(json.load(r)["rules"], key=lambda h: h["findings"])["rule"]
    page, watch = _open(browser, writer_server, f"/rules/{rule}")
    page.locator("#findings td a[href^='/findings/']").first.click()
    page.wait_for_load_state("networkidle")
    assert "尚未审核" in page.locator("#triage").inner_text()
    page.check("input[name=status][value=误报]")
    page.fill("input[name=note]", "<img src=x onerror=alert(9)>口径不同")
    page.click("#triage button[type=submit]")
    page.wait_for_load_state("networkidle")
    text = page.locator("#triage").inner_text()
    assert "误报" in text and "<img src=x onerror=alert(9)>口径不同" in text and "审核员<i>乙</i>" in text
    assert page.locator("#triage img").count() == 0
    watch.clean()
    page.close()


def test_coverage_list_upload_in_the_browser(browser, server):
    page, watch = _open(browser, server, "/coverage")
    listing = "部门,年度,类型\n示例市数据管理局,2024,决算\n<script>alert(5)</script>局,2024,预算\n"
    page.set_input_files("#list", files=[{"name": "清单.csv", "mimeType": "text/csv", "buffer": listing.encode("utf-8")}])
    page.click("form[action='/coverage'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    table = page.locator("#coverage").inner_text()
    assert "已有" in table and "缺失" in table and "<script>alert(5)</script>局" in table
    watch.clean()
    page.close()
