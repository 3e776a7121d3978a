"""The HTML report in a real headless browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gongkai.api import parse_text
from gongkai.checks import check
from gongkai.report.html import render_html
from tests.support import example_text, mutate, parsed_pdf, replace_once

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no chromium at {CHROMIUM} (.ci/run installs Debian's package)")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, tmp_path, html: str):
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    return page, requests, dialogs


def test_findings_and_highlighted_cells(browser, tmp_path):
    result = check(parse_text(example_text(True), "example.txt"))
    page, requests, _ = _open(browser, tmp_path, render_html(result))
    assert "问题清单" not in page.title() and "检查报告" in page.title()
    assert page.locator(".finding.error").count() == result.summary["errors"]
    assert page.locator(".cat-forms .finding").count() >= 3
    # the 三公 finding links to its cell, which is highlighted in the rendered table
    link = page.locator(".cat-arithmetic .finding a", has_text="在表中查看").first
    target = link.get_attribute("href")
    link.click()
    cell = page.locator(target)
    assert "flag-error" in (cell.get_attribute("class") or "")
    assert cell.is_visible()
    # the source excerpt shows the offending line with the value marked
    assert page.locator(".cat-narrative pre.src mark").count() >= 1
    assert all(u.startswith("file:") or u.startswith("data:") for u in requests), requests
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    page.close()


def test_script_injection_is_inert(browser, tmp_path):
    text, _ = mutate(example_text(False), "2010301\t行政运行", "行政运行", "<img src=x onerror=alert(1)>行政运行<script>alert(2)</script>", after="公开02表")
    text = replace_once(text, "示例市数据管理局\n\n2024年度部门决算公开", "示例市<script>alert(3)</script>数据管理局\n\n2024年度部门决算公开")
    result = check(parse_text(text, "<b>evil</b>.txt"))
    html = render_html(result)
    assert "<script" not in html and "<img" not in html  # every printed text is escaped
    page, requests, dialogs = _open(browser, tmp_path, html)
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("img").count() == 0
    assert all(u.startswith("file:") or u.startswith("data:") for u in requests), requests
    page.close()


def test_pdf_findings_show_a_page_crop(browser, tmp_path):
    result = check(parsed_pdf("shanghai_putuo_finance_bureau_2024_final.pdf"))
    page, requests, _ = _open(browser, tmp_path, render_html(result))
    crops = page.locator("img.crop")
    assert crops.count() >= 2
    assert crops.first.evaluate("img => img.complete && img.naturalWidth > 100")
    assert "第21页" in "\n".join(page.locator(".cat-narrative").all_inner_texts())
    assert all(u.startswith("file:") or u.startswith("data:") for u in requests)
    page.close()


_GLYPHS = """family => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const g = canvas.getContext("2d");
  const draw = ch => {
    g.clearRect(0, 0, 64, 64);
    g.font = `40px ${family}`;
    g.fillStyle = "#000";
    g.textBaseline = "top";
    g.fillText(ch, 4, 4);
    return Array.from(g.getImageData(0, 0, 64, 64).data).join(",");
  };
  return ["公", "开", "预", "\\u{10FFFD}"].map(draw);
}"""


def test_chinese_renders_with_a_cjk_font_not_empty_boxes(browser, tmp_path):
    """Without a CJK font chromium draws every Chinese character as the same empty box
    (.notdef): the report's own font stack must give distinct glyphs, unlike a code point
    no font has (.ci/run installs Debian's fonts-noto-cjk)."""
    result = check(parse_text(example_text(True), "example.txt"))
    page, _, _ = _open(browser, tmp_path, render_html(result))
    family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    gong, kai, yu, tofu = page.evaluate(_GLYPHS, family)
    blank = ",".join(["0"] * 64 * 64 * 4)
    assert blank not in (gong, kai, yu)
    assert len({gong, kai, yu}) == 3, "Chinese characters render as identical boxes: no CJK font"
    assert tofu not in (gong, kai, yu)
    page.close()


def test_errors_come_before_notes(browser, tmp_path):
    result = check(parse_text(example_text(True), "example.txt"))
    page, _, _ = _open(browser, tmp_path, render_html(result))
    severities = page.locator(".finding").evaluate_all("els => els.map(e => e.classList[1])")
    ranks = [{"error": 0, "warning": 1, "info": 2}[s] for s in severities]
    assert ranks == sorted(ranks) and ranks[0] == 0
    page.close()
