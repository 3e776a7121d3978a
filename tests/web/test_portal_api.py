"""The portal's pages and JSON API over a small store (FastAPI's TestClient)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("duckdb")
from fastapi.testclient import TestClient  # noqa: E402

from gongkai.web import create_app  # noqa: E402
from tests.web.portal_support import DEPARTMENT, EVIL_DEPARTMENT, build_store  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("portal"))


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store[0]))


@pytest.fixture(scope="module")
def reports(client):
    items = client.get("/api/reports", params={"limit": 100}).json()["items"]
    return {(r["department"], r["year"]): r for r in items}


def _doc(reports, department=DEPARTMENT, year=2024):
    return next(r for (d, y), r in reports.items() if y == year and d.replace("（", "(").replace("）", ")") == department)["doc_id"]


def _pages(reports):
    doc = _doc(reports)
    rule = "A01"
    return ["/", "/?q=数据", f"/reports/{doc}", f"/reports/{doc}/source?line=5", "/compare", f"/compare?department={DEPARTMENT}",
            "/rules", f"/rules/{rule}", "/coverage", "/upload", "/docs"]


def test_every_page_renders_chinese_and_has_a_json_twin(client, reports):
    for url in _pages(reports):
        page = client.get(url)
        assert page.status_code == 200, (url, page.text[:300])
        assert page.headers["content-type"].startswith("text/html")
        assert '<html lang="zh-CN">' in page.text and "总览" in page.text, url
        sep = "&" if "?" in url else "?"
        twin = client.get(url + sep + "format=json")
        assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json"), url
        assert isinstance(twin.json(), dict)
        accept = client.get(url, headers={"Accept": "application/json"})
        assert accept.json() == twin.json(), url
        assert "format=json" in page.text  # the page links its twin


def test_api_matches_the_page_twin(client, reports):
    doc = _doc(reports)
    assert client.get("/api/overview").json() == client.get("/?format=json").json()
    assert client.get(f"/api/reports/{doc}").json() == client.get(f"/reports/{doc}?format=json").json()
    assert client.get("/api/rules").json() == client.get("/rules?format=json").json()
    assert client.get("/api/coverage").json() == client.get("/coverage?format=json").json()
    assert client.get("/api/compare").json() == client.get("/compare?format=json").json()


def test_every_list_downloads_as_csv(client, reports):
    for url in _pages(reports):
        page = client.get(url)
        for href in _csv_links(page.text):
            r = client.get(url.split("?")[0] + "?" + href)
            assert r.status_code == 200, (url, href)
            assert r.headers["content-type"].startswith("text/csv")
            assert r.content.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
            assert rows and rows[0], (url, href)


def _csv_links(html: str) -> list[str]:
    import html as h
    import re

    return [h.unescape(m) for m in re.findall(r'href="\?([^"]*format=csv[^"]*)"', html)]


def test_csv_cells_are_spreadsheet_safe(client):
    r = client.get("/?format=csv&list=reports_list")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    formula = [row for row in rows if "HYPERLINK" in row["department"]]
    assert formula and all(row["department"].startswith("'=") for row in formula)
    from gongkai.report.spreadsheet import is_dangerous

    assert not any(is_dangerous(v) for row in rows for v in row.values())
    from gongkai.web.negotiate import safe_cell

    assert safe_cell("＝SUM(A1)") == "'＝SUM(A1)" and safe_cell(" @x") == "' @x" and safe_cell("\tx") == "'\tx"
    assert safe_cell("-12.50") == "-12.50" and safe_cell(Decimal("-3.5")) == "-3.5" and safe_cell(None) == ""


def test_report_page_shows_sources_and_findings_in_context(client, reports, store):
    old = next(r for r in client.get("/api/reports", params={"current_only": False, "limit": 100}).json()["items"])
    doc = _doc(reports, DEPARTMENT, 2024)
    data = client.get(f"/api/reports/{doc}").json()
    assert data["report"]["doc_id"] == doc and len(data["report"]["versions"]) == 2
    assert data["tables"] and data["facts"]
    assert all(f["sha256"] == doc and (f["line"] or f["page"]) for f in data["facts"])
    html = client.get(f"/reports/{doc}").text
    assert f"sha256:{doc}" in html and "第" in html and "行" in html
    assert old


def test_findings_show_source_lines_or_the_stored_excerpt(client):
    hits = client.get("/api/rules").json()["rules"]
    assert hits
    rule = max(hits, key=lambda h: h["findings"])["rule"]
    items = client.get(f"/api/rules/{rule}").json()["findings"]
    assert items
    f = items[0]
    page = client.get(f"/findings/{f['finding_id']}")
    assert page.status_code == 200 and f["rule"] in page.text
    assert 'class="hit"' in page.text or f.get("excerpt") is None


def test_superseded_version_is_reachable_and_marked(client, reports):
    doc = _doc(reports)
    versions = client.get(f"/api/reports/{doc}").json()["report"]["versions"]
    old = next(v for v in versions if not v["is_current"])
    page = client.get(f"/reports/{old['doc_id']}")
    assert page.status_code == 200 and "已被替代" in page.text
    # its file changed since, so the portal does not show the new file's lines as its source
    src = client.get(f"/api/reports/{old['doc_id']}/source?line=3").json()
    assert src["available"] is False


def test_a_new_version_shows_what_was_fixed_and_what_is_new(client, reports):
    # the 2024 report's first version had the example's planted defects; its second is clean
    doc = _doc(reports)
    changes = client.get(f"/api/reports/{doc}").json()["changes"]
    assert changes["current"] == doc and changes["previous"] != doc
    assert {"A01", "N02", "F01"} <= {f["rule"] for f in changes["fixed"]} and changes["new"] == []
    page = client.get(f"/reports/{doc}")
    assert "与上一版本相比" in page.text and f"已修正 {len(changes['fixed'])} 项" in page.text
    first = client.get(f"/api/reports/{changes['previous']}").json()
    assert first["changes"] is None  # a first version has nothing to compare with


def test_source_view_reads_the_recorded_file_only_when_the_hash_matches(client, reports):
    doc = _doc(reports)
    src = client.get(f"/api/reports/{doc}/source?line=1").json()
    assert src["available"] and src["lines"][0]["text"] == DEPARTMENT


def test_script_in_departments_and_cells_is_escaped(client):
    for url in ["/", "/?q=script", "/compare", "/coverage", f"/compare?department={EVIL_DEPARTMENT}"]:
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
    evil = next(r for r in client.get("/api/reports", params={"q": "script"}).json()["items"])
    html = client.get(f"/reports/{evil['doc_id']}").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_compare_department_structure(client):
    data = client.get("/api/compare", params={"department": DEPARTMENT}).json()
    view = data["department_view"]
    assert view["years"] == [2023, 2024]
    titles = {c["title"] for c in view["charts"]}
    assert any("功能分类" in t for t in titles) and any("三公" in t for t in titles)
    basic = next(r for r in view["rows"] if r["measure"] == "basic")
    assert set(basic["cells"]) == {"2023", "2024"}
    assert all(c["doc_id"] and (c["line"] or c["page"]) for c in basic["cells"].values())


def test_compare_measure_across_departments(client):
    data = client.get("/api/compare", params={"measure": "expenditure_total", "kind": "决算"}).json()
    assert data["result"]["total"] >= 3
    assert data["rows"] and "2024" in data["rows"][0]


def test_coverage_lists_missing_reports(client):
    data = client.get("/api/coverage").json()
    statuses = {it["status"] for it in data["items"]}
    assert "present" in statuses and "missing" in statuses  # no 预算 reports were ingested


def test_unknown_things_are_404_and_bad_format_400(client):
    assert client.get("/reports/nope").status_code == 404
    assert client.get("/api/reports/nope").json()["status"] == 404
    assert client.get("/rules/ZZ99").status_code == 404
    assert client.get("/?format=exe").status_code == 400
    assert "出错了" in client.get("/reports/nope").text
    bad = client.get("/?year=abc")
    assert bad.status_code == 422 and "出错了" in bad.text and "year" in bad.text
    assert client.get("/api/overview?year=abc").json()["status"] == 422


def test_read_only_refuses_triage(client):
    rule = max(client.get("/api/rules").json()["rules"], key=lambda h: h["findings"])["rule"]
    fid = client.get(f"/api/rules/{rule}").json()["findings"][0]["finding_id"]
    r = client.post(f"/findings/{fid}/triage", data={"status": "确认", "note": "ok"})
    assert r.status_code == 403


def test_write_mode_needs_a_user():
    with pytest.raises(ValueError):
        create_app("x.duckdb", write=True)


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ["/api/overview", "/api/reports", "/api/reports/{ref}", "/api/compare", "/api/rules", "/api/rules/{rule}", "/api/coverage", "/upload"]:
        assert path in spec["paths"], path
    docs = client.get("/docs").text
    assert "/api/compare" in docs and "<script" not in docs.split("</header>")[1]


def test_static_chart_library_is_vendored(client):
    r = client.get("/static/vendor/chart.umd.min.js")
    assert r.status_code == 200 and "Chart.js v4" in r.text[:200]
    assert client.get("/static/vendor/chart.js.LICENSE.md").status_code == 200
    assert client.get("/static/../app.py").status_code == 404


def test_write_mode_triage_with_the_form_token(store, tmp_path):
    import re
    import shutil

    db = tmp_path / "write.duckdb"
    shutil.copy(store[0], db)
    writer = TestClient(create_app(str(db), write=True, user="审核员<b>甲</b>"))
    rule = max(writer.get("/api/rules").json()["rules"], key=lambda h: h["findings"])["rule"]
    fid = writer.get(f"/api/rules/{rule}").json()["findings"][0]["finding_id"]
    page = writer.get(f"/findings/{fid}")
    assert "尚未审核" in page.text and "可写（审核人：审核员&lt;b&gt;甲&lt;/b&gt;）" in page.text
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    # a form from elsewhere (no or a wrong token) is refused
    assert writer.post(f"/findings/{fid}/triage", data={"status": "误报"}).status_code == 403
    assert writer.post(f"/findings/{fid}/triage", data={"status": "误报", "token": "x" + token}).status_code == 403
    assert writer.post(f"/findings/{fid}/triage", data={"status": "通过", "token": token}).status_code == 400
    r = writer.post(f"/findings/{fid}/triage", data={"status": "误报", "note": "<script>alert(1)</script>表述无误", "token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/findings/{fid}"
    page = writer.get(f"/findings/{fid}")
    assert "误报" in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;表述无误" in page.text and "<script>alert" not in page.text
    data = writer.get(f"/api/findings/{fid}").json()["finding"]
    assert data["triage"]["status"] == "误报" and data["triage"]["user"] == "审核员<b>甲</b>"
    # the decision shows on the rule's drill-down and in its CSV
    rows = writer.get(f"/rules/{rule}?format=csv&list=findings").content.decode("utf-8-sig")
    assert "误报" in rows
    assert writer.post("/findings/nope/triage", data={"status": "确认", "token": token}).status_code == 404


def test_coverage_pages_and_filters(client):
    all_items = client.get("/api/coverage").json()
    assert all_items["total"] == sum(all_items["counts"].values()) == len(all_items["items"])
    missing = client.get("/api/coverage", params={"status": "missing"}).json()
    assert missing["items"] and all(it["status"] == "missing" for it in missing["items"])
    assert missing["total"] == all_items["counts"]["missing"]
    assert client.get("/api/coverage", params={"status": "bogus"}).status_code == 422
    page = client.get("/coverage?status=present")
    assert "已有" in page.text and "缺失" in page.text


def test_the_report_fast_path_gives_what_the_query_layer_gives(store, client):
    from gongkai.store import query as Q

    app_store = client.app.state.store
    cur = app_store.cursor()
    for (doc_id,) in cur.execute("SELECT doc_id FROM reports").fetchall():
        parts = app_store.report_parts(cur, doc_id)
        assert parts["tables"] == Q.report_tables(cur, doc_id)
        assert parts["grids"] == Q.report_grids(cur, doc_id)
        assert parts["findings"] == Q.report_findings(cur, doc_id)
        assert parts["forms"] == Q.report_forms(cur, doc_id)
        assert parts["measures"] == Q.report_measures(cur, doc_id)
        assert parts["claims"] == Q.report_claims(cur, doc_id)
    assert app_store.doc_rows(cur, "facts", "no-such-doc") == []


def test_compare_pre_aggregation_matches_the_query_layer(client):
    from gongkai.store import query as Q

    app_store = client.app.state.store
    cur = app_store.cursor()
    for m in Q.measures_available(cur):
        for kind, phase in ((None, "决算"), ("决算", "决算"), ("决算", "预算")):
            fast = app_store.compare(cur, m["measure"], kind=kind, phase=phase, limit=50)
            slow = Q.compare(cur, m["measure"], kind=kind, phase=phase, limit=50)
            rows = {(r["department_key"], r["region"]): r for r in fast.pop("rows")}
            assert rows == {(r["department_key"], r["region"]): r for r in slow.pop("rows")}, m["measure"]
            assert fast == slow
    dept = DEPARTMENT
    assert app_store.department_measures(cur, dept, kind="决算", phase="决算") == Q.department_measures(cur, dept, kind="决算", phase="决算")


def test_coverage_of_an_uploaded_list(client):
    listing = "部门,年度,类型,发布日期\n示例市数据管理局,2024,决算,2025-09-01\n数据管理局,2023年,决算,\n示例市数据管理局,2024,预算,\n=cmd|' /C calc'!A0,2024,决算,\n"
    r = client.post("/coverage?format=json", files={"file": ("list.csv", listing.encode("utf-8-sig"), "text/csv")})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["source"] == "upload" and data["total"] == 4
    status = {(it["department"], it["year"], it["kind"]): it["status"] for it in data["items"]}
    assert status[("示例市数据管理局", 2024, "决算")] == "present"
    assert status[("数据管理局", 2023, "决算")] == "present"  # matched by the normalised name
    assert status[("示例市数据管理局", 2024, "预算")] == "missing"
    assert next(it for it in data["items"] if it["year"] == 2024 and it["kind"] == "决算" and it["department"] == DEPARTMENT)["published"] == "2025-09-01"
    csv_text = client.post("/coverage?format=csv", files={"file": ("l.csv", listing.encode(), "text/csv")}).content.decode("utf-8-sig")
    assert "'=cmd" in csv_text
    html = client.post("/coverage", files={"file": ("l.csv", listing.encode("gb18030"), "text/csv")}).text
    assert "刚上传的清单" in html and "缺失" in html


@pytest.mark.parametrize("listing, status", [
    (b"name,when\nx,2024\n", 400),
    ("部门,年度,类型\nx,二〇二四,决算\n".encode(), 400),
    ("部门,年度,类型\nx,2024,年报\n".encode(), 400),
    (b"PK\x03\x04zip", 415),
    ("部门,年度,类型\n".encode(), 400),
])
def test_coverage_list_errors_are_one_line(client, listing, status):
    r = client.post("/coverage?format=json", files={"file": ("l.csv", listing, "text/csv")})
    assert r.status_code == status and r.json()["error"]


def test_findings_pre_aggregation_matches_the_query_layer(client):
    from gongkai.store import query as Q

    app_store = client.app.state.store
    cur = app_store.cursor()
    for hit in Q.rules_hits(cur):
        for kwargs in ({}, {"severity": hit and "error"}, {"year": 2024}, {"limit": 1, "offset": 1}):
            assert app_store.rule_findings(cur, hit["rule"], **kwargs) == Q.rule_findings(cur, hit["rule"], **kwargs), (hit["rule"], kwargs)
    for q in ("数据", "script", "不等于", "zzz"):
        fast, slow = app_store.search(cur, q), Q.search(cur, q)
        assert fast["reports"] == slow["reports"]
        assert sorted(f["finding_id"] for f in fast["findings"]) == sorted(f["finding_id"] for f in slow["findings"])
    for name in (DEPARTMENT, "数据管理局"):
        assert app_store.department_measures(cur, name, kind="决算", phase="决算") == Q.department_measures(cur, name, kind="决算", phase="决算")
    for (fid,) in cur.execute("SELECT finding_id FROM findings").fetchall():
        assert app_store.finding(cur, fid) == Q.finding(cur, fid)
    assert app_store.finding(cur, "nope") is None


def test_serve_command_refuses_bad_setups(tmp_path):
    from click.testing import CliRunner

    from gongkai.cli import main

    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 2 and "no such store" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.duckdb"), "--write"])
    assert r.exit_code == 2 and "--user" in r.output
