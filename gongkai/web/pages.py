"""The portal's pages. Each view is one function returning plain data from the store's
query layer; it is served as JSON at /api/… and, through a template, as the HTML page
(with its JSON twin and CSV lists, see negotiate.py)."""

from __future__ import annotations

from functools import lru_cache

from fastapi import FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from ..store import query as Q
from .negotiate import json_response, respond

PAGE = 50
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
REPORT_COLUMNS = ["doc_id", "report_id", "version", "region", "department", "year", "kind", "scope", "profile_name", "errors", "warnings", "infos", "source_name", "published", "ingested_at"]
FACT_COLUMNS = ["table_id", "table", "row_key", "code", "item", "column_id", "column", "value", "line", "page", "source", "sha256"]
FINDING_COLUMNS = ["finding_id", "doc_id", "rule", "severity", "category", "message", "table_title", "row", "code", "column", "line", "page", "expected", "actual", "difference", "excerpt", "triage_status", "triage_user"]


@lru_cache(maxsize=1)
def rule_titles() -> dict[str, dict]:
    from ..checks import all_rules

    return {r.id: {"title": r.title, "severity": r.severity.value, "category": r.category, "explanation": r.explanation} for r in all_rules()}


def _ctx(request: Request) -> dict:
    s = request.app.state
    return {"write": s.write, "user": s.user, "token": s.token, "path": request.url.path}


def _flat_triage(items: list[dict]) -> list[dict]:
    for f in items:
        t = f.get("triage") or {}
        f["triage_status"] = t.get("status")
        f["triage_user"] = t.get("user")
    return items


# ----------------------------------------------------------------------------- views (plain data)
def view_overview(store, con, *, region=None, department=None, year=None, kind=None, q=None, page=1) -> dict:
    data = dict(store.overview(con))
    reports = Q.list_reports(con, region=region, department=department, year=year, kind=kind, q=q, limit=PAGE, offset=(page - 1) * PAGE)
    data["filters"] = {"region": region, "department": department, "year": year, "kind": kind, "q": q, "page": page}
    data["reports_total"] = reports["total"]
    data["reports_list"] = reports["items"]
    titles = rule_titles()
    data["findings_by_rule"] = [{**r, "title": titles.get(r["rule"], {}).get("title")} for r in data["findings_by_rule"]]
    if q:
        # the report list above is already filtered by q: the search adds the findings
        data["search"] = {"q": q, "reports": reports["items"], "findings": store.search_findings(con, q, limit=PAGE)}
    return data


def view_report(store, con, ref: str) -> dict:
    report = Q.get_report(con, ref)
    if report is None:
        raise HTTPException(404, "没有这份报告")
    doc_id = report["doc_id"]
    parts = store.report_parts(con, doc_id)
    tables, grids = parts["tables"], parts["grids"]
    facts = []
    for t in tables:
        t["grid"] = grid = grids.get(t["table_id"]) or {"columns": t["columns"], "rows": []}
        labels = {c["id"]: c.get("label") for c in grid["columns"]}
        for row in grid["rows"]:
            for column_id, cell in row["cells"].items():
                facts.append({"table_id": t["table_id"], "table": t.get("title"), "row_key": row["key"], "code": row["code"], "item": row["item"],
                              "column_id": column_id, "column": labels.get(column_id), "value": cell["value"], "line": cell["line"],
                              "page": cell["page"], "source": report.get("source_name"), "sha256": doc_id})
    findings = _flat_triage(parts["findings"])
    from .source import context_for

    context_for(report, findings)
    changes = Q.version_changes(con, report) if len(report.get("versions") or []) > 1 else None
    return {"report": report, "tables": tables, "findings": findings, "facts": facts,
            "forms": parts["forms"], "measures": parts["measures"], "claims": parts["claims"], "changes": changes}


def view_compare(store, con, *, measure=None, phase=None, kind=None, scope=None, region=None, departments=None, years=None, page=1) -> dict:
    available = store.measures_available(con)
    if not measure and available:
        measure = available[0]["measure"]
    result = None
    if measure:
        result = store.compare(con, measure, phase=phase, kind=kind, scope=scope, region=region, departments=departments or None,
                               years=years or None, limit=PAGE, offset=(page - 1) * PAGE)
    rows = []
    if result:
        for r in result["rows"]:
            flat = {"department": r["department"], "department_key": r["department_key"], "region": r["region"]}
            for y in result["years"]:
                cell = r["cells"].get(str(y))
                flat[str(y)] = cell["value"] if cell else None
                flat[f"{y}_change"] = r["change"].get(str(y))
            rows.append(flat)
    department_view, department_rows = None, []
    if departments and len(departments) == 1:
        department_view = view_department(store, con, departments[0], kind=kind, phase=phase)
        for row in department_view["rows"]:
            department_rows.append({"department": department_view["department"], "measure": row["measure"], "label": row["label"],
                                    **{str(y): (row["cells"].get(str(y)) or {}).get("value") for y in department_view["years"]},
                                    **{f"{y}_change": row["change"].get(str(y)) for y in department_view["years"]}})
    return {
        "department_view": department_view, "department_rows": department_rows,
        "measures": available, "measure": measure, "filters": {"phase": phase, "kind": kind, "scope": scope, "region": region,
                                                                "departments": departments, "years": years, "page": page},
        "result": result, "rows": rows,
    }


STRUCTURES = [  # (title, chart type, measures: a prefix ending in ":" takes every measure under it)
    ("基本支出与项目支出", "bar", ["basic", "project"]),
    ("支出功能分类结构（按类）", "bar", ["function:"]),
    ("“三公”经费分项", "bar", ["three_public:outbound", "three_public:vehicle_purchase", "three_public:vehicle_operation", "three_public:reception"]),
    ("机关运行经费、政府采购", "line", ["running_costs", "procurement"]),
    ("车辆数", "line", ["vehicles"]),
]


def view_department(store, con, department: str, *, kind=None, phase=None) -> dict:
    """One department across years: its measures grouped into the structure charts."""
    from decimal import Decimal

    if not kind:
        kinds = store.department_kinds(con, department)
        kind = kinds[0] if kinds else None
    data = store.department_measures(con, department, kind=kind, phase=phase or kind)
    years = data["years"]
    for row in data["rows"]:
        row["change"] = {}
        for prev, cur in zip(years, years[1:]):
            a, b = row["cells"].get(str(prev)), row["cells"].get(str(cur))
            if a and b and cur == prev + 1 and a["value"] is not None and b["value"] is not None:
                row["change"][str(cur)] = Q._plain(Decimal(b["value"]) - Decimal(a["value"]))
    by_measure = {r["measure"]: r for r in data["rows"]}
    charts = []
    for title, kind_of_chart, names in STRUCTURES:
        picked = []
        for name in names:
            if name.endswith(":"):
                picked += [r for m, r in sorted(by_measure.items()) if m.startswith(name)]
            elif name in by_measure:
                picked.append(by_measure[name])
        if picked:
            charts.append({"type": kind_of_chart, "title": title, "labels": years, "stacked": kind_of_chart == "bar",
                           "datasets": [{"label": r["label"], "data": [(r["cells"].get(str(y)) or {}).get("value") for y in years]} for r in picked]})
    data.update({"kind": kind, "phase": phase or kind, "charts": charts})
    return data


def view_rules(store, con) -> dict:
    titles = rule_titles()
    hits = [{**h, "title": titles.get(h["rule"], {}).get("title"), "default_severity": titles.get(h["rule"], {}).get("severity")}
            for h in store.rules_hits(con)]
    seen = {h["rule"] for h in hits}
    quiet = [{"rule": rid, "title": info["title"], "category": info["category"]} for rid, info in sorted(titles.items()) if rid not in seen]
    return {"rules": hits, "quiet": quiet}


def view_rule(store, con, rule: str, *, severity=None, region=None, year=None, page=1) -> dict:
    data = store.rule_findings(con, rule, severity=severity, region=region, year=year, limit=PAGE, offset=(page - 1) * PAGE)
    info = rule_titles().get(rule)
    if info is None and data["total"] == 0:
        raise HTTPException(404, f"没有规则 {rule}")
    return {"rule": rule, "info": info, "total": data["total"], "findings": _flat_triage(data["items"]),
            "filters": {"severity": severity, "region": region, "year": year, "page": page}}


COVERAGE_PAGE = 100


def view_coverage(store, con, *, region=None, year=None, status=None, department=None, page=1) -> dict:
    data = store.coverage(con, region=region, year=year, status=status, department=department, limit=COVERAGE_PAGE,
                          offset=(page - 1) * COVERAGE_PAGE)
    data["filters"] = {"region": region, "year": year, "status": status, "department": department, "page": page}
    return data


def view_finding(store, con, finding_id: str) -> dict:
    f = store.finding(con, finding_id)
    if f is None:
        raise HTTPException(404, "没有这条问题")
    return {"finding": f, "statuses": list(Q.TRIAGE_STATUSES)}


# ----------------------------------------------------------------------------- routes
def register(app: FastAPI) -> None:
    from .cache import PortalStore

    store = PortalStore(app.state.db, app.state.write)
    app.state.store = store
    T = _templates

    def page(request, template, data, lists=None):
        return respond(request, T(), template, data, lists, extra={"ctx": _ctx(request), "severity_labels": SEVERITY_LABELS})

    # overview
    @app.get("/api/overview", tags=["总览"], summary="报告与问题总览（按地区、部门、年度、类型；按严重程度、规则）；可筛选与搜索")
    def api_overview(region: str | None = None, department: str | None = None, year: int | None = None, kind: str | None = None,
                     q: str | None = Query(None, max_length=200), page: int = Query(1, ge=1)):
        return json_response(view_overview(store, store.cursor(), region=region, department=department, year=year, kind=kind, q=q, page=page))

    @app.get("/", include_in_schema=False)
    def overview_page(request: Request, region: str | None = None, department: str | None = None, year: int | None = None,
                      kind: str | None = None, q: str | None = Query(None, max_length=200), page_no: int = Query(1, ge=1, alias="page")):
        data = view_overview(store, store.cursor(), region=region, department=department, year=year, kind=kind, q=q, page=page_no)
        return page(request, "overview.html.j2", data, {
            "reports_list": REPORT_COLUMNS, "by_region": None, "by_year": None, "by_kind": None, "by_department": None,
            "findings_by_severity": None, "findings_by_rule": None,
        })

    # reports
    @app.get("/api/reports", tags=["报告"], summary="报告列表（当前版本），可筛选、分页")
    def api_reports(region: str | None = None, department: str | None = None, year: int | None = None, kind: str | None = None,
                    scope: str | None = None, q: str | None = Query(None, max_length=200), order: str = "department",
                    limit: int = Query(PAGE, ge=1, le=1000), offset: int = Query(0, ge=0)):
        return json_response(Q.list_reports(store.cursor(), region=region, department=department, year=year, kind=kind, scope=scope, q=q,
                                            order=order, limit=limit, offset=offset))

    @app.get("/api/reports/{ref}", tags=["报告"], summary="一份报告：元数据、版本、表格（每个数带来源）、问题、绩效表、度量、叙述数字")
    def api_report(ref: str):
        return json_response(view_report(store, store.cursor(), ref))

    @app.get("/reports/{ref}", include_in_schema=False)
    def report_page(request: Request, ref: str):
        data = view_report(store, store.cursor(), ref)
        return page(request, "report.html.j2", data, {"findings": FINDING_COLUMNS, "facts": FACT_COLUMNS, "measures": None, "forms": None, "claims": None})

    @app.get("/reports/{ref}/source", include_in_schema=False)
    def source_page(request: Request, ref: str, line: int | None = Query(None, ge=1), page_no: int | None = Query(None, ge=1, alias="page")):
        from .source import source_view

        report = Q.get_report(store.cursor(), ref)
        if report is None:
            raise HTTPException(404, "没有这份报告")
        return page(request, "source.html.j2", source_view(report, line, page_no))

    @app.get("/api/reports/{ref}/source", tags=["报告"], summary="原文：文本报告的行（line 前后），或 PDF 页（page）的说明；核对内容哈希")
    def api_source(ref: str, line: int | None = Query(None, ge=1), page_no: int | None = Query(None, ge=1, alias="page")):
        from .source import source_view

        report = Q.get_report(store.cursor(), ref)
        if report is None:
            raise HTTPException(404, "没有这份报告")
        return json_response(source_view(report, line, page_no))

    @app.get("/reports/{ref}/page/{page_no}.png", tags=["报告"], summary="PDF 页面截图（bbox=x0,y0,x1,y1 时截取该区域并高亮）")
    def page_png(ref: str, page_no: int, bbox: str | None = Query(None, max_length=100)):
        from .source import page_image

        report = Q.get_report(store.cursor(), ref)
        if report is None:
            raise HTTPException(404, "没有这份报告")
        png = page_image(report, page_no, bbox)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    # compare
    @app.get("/api/compare", tags=["比较"], summary="部门 × 年度比较一个度量（总额、基本/项目、三公分项、机关运行经费、政府采购、车辆…），含同比变化与来源")
    def api_compare(measure: str | None = None, phase: str | None = None, kind: str | None = None, scope: str | None = None,
                    region: str | None = None, department: list[str] | None = Query(None), year: list[int] | None = Query(None),
                    page: int = Query(1, ge=1)):
        return json_response(view_compare(store, store.cursor(), measure=measure, phase=phase, kind=kind, scope=scope, region=region,
                                          departments=department, years=year, page=page))

    @app.get("/compare", include_in_schema=False)
    def compare_page(request: Request, measure: str | None = None, phase: str | None = None, kind: str | None = None, scope: str | None = None,
                     region: str | None = None, department: list[str] | None = Query(None), year: list[int] | None = Query(None),
                     page_no: int = Query(1, ge=1, alias="page")):
        data = view_compare(store, store.cursor(), measure=measure, phase=phase, kind=kind, scope=scope, region=region, departments=department,
                            years=year, page=page_no)
        return page(request, "compare.html.j2", data, {"rows": None, "department_rows": None, "measures": None})

    # rules
    @app.get("/api/rules", tags=["规则"], summary="每条规则在全库的命中数")
    def api_rules():
        return json_response(view_rules(store, store.cursor()))

    @app.get("/rules", include_in_schema=False)
    def rules_page(request: Request):
        return page(request, "rules.html.j2", view_rules(store, store.cursor()), {"rules": None, "quiet": None})

    @app.get("/api/rules/{rule}", tags=["规则"], summary="一条规则的全部命中（下钻），可按严重程度、地区、年度筛选")
    def api_rule(rule: str, severity: str | None = None, region: str | None = None, year: int | None = None, page: int = Query(1, ge=1)):
        return json_response(view_rule(store, store.cursor(), rule, severity=severity, region=region, year=year, page=page))

    @app.get("/rules/{rule}", include_in_schema=False)
    def rule_page(request: Request, rule: str, severity: str | None = None, region: str | None = None, year: int | None = None,
                  page_no: int = Query(1, ge=1, alias="page")):
        data = view_rule(store, store.cursor(), rule, severity=severity, region=region, year=year, page=page_no)
        return page(request, "rule.html.j2", data, {"findings": FINDING_COLUMNS + ["department", "year", "kind", "region"]})

    # coverage
    @app.get("/api/coverage", tags=["覆盖"], summary="应有的报告（用户载入的清单或库中推断）：已有、缺失、被替代，发布日期；可筛选、分页")
    def api_coverage(region: str | None = None, year: int | None = None, status: str | None = Query(None, pattern="^(present|missing|superseded)$"),
                     department: str | None = Query(None, max_length=200), page: int = Query(1, ge=1)):
        return json_response(view_coverage(store, store.cursor(), region=region, year=year, status=status, department=department, page=page))

    @app.get("/coverage", include_in_schema=False)
    def coverage_page(request: Request, region: str | None = None, year: int | None = None,
                      status: str | None = Query(None, pattern="^(present|missing|superseded)$"), department: str | None = Query(None, max_length=200),
                      page_no: int = Query(1, ge=1, alias="page")):
        data = view_coverage(store, store.cursor(), region=region, year=year, status=status, department=department, page=page_no)
        return page(request, "coverage.html.j2", data,
                    {"items": ["region", "department", "scope", "year", "kind", "status", "present", "superseded", "published", "doc_id"]})

    @app.post("/coverage", tags=["覆盖"], summary="按上传的应有报告清单（CSV：部门、年度、类型，可选 地区、范围、发布日期）核对覆盖；不入库")
    async def coverage_list(request: Request):
        from starlette.concurrency import run_in_threadpool

        from .upload import LIST_LIMIT, Rejected, read_expected_csv

        length = request.headers.get("content-length")
        if length is None or not length.isdigit() or int(length) > LIST_LIMIT + 64 * 1024:
            raise HTTPException(413, f"清单超过大小上限（{LIST_LIMIT // 1048576} MiB）")
        form = await request.form(max_files=1, max_fields=4)
        try:
            item = form.get("file")
            if item is None or isinstance(item, str):
                raise HTTPException(400, "请选择清单文件（字段 file）")
            data = await item.read(LIST_LIMIT + 1)
        finally:
            await form.close()
        try:
            rows = read_expected_csv(data)
        except Rejected as exc:
            raise HTTPException(exc.status, exc.message) from None
        result = await run_in_threadpool(lambda: store.coverage_of_list(store.cursor(), rows))
        result["filters"] = {"page": 1}
        return page(request, "coverage.html.j2", result,
                    {"items": ["region", "department", "scope", "year", "kind", "status", "present", "superseded", "published", "doc_id"]})

    # findings and triage
    @app.get("/api/findings/{finding_id}", tags=["问题"], summary="一条问题及其审核记录")
    def api_finding(finding_id: str):
        return json_response(view_finding(store, store.cursor(), finding_id))

    @app.get("/findings/{finding_id}", include_in_schema=False)
    def finding_page(request: Request, finding_id: str):
        data = view_finding(store, store.cursor(), finding_id)
        from .source import context_for

        rep = Q.get_report(store.cursor(), data["finding"]["doc_id"])
        if rep is not None:
            context_for(rep, [data["finding"]])
        return page(request, "finding.html.j2", data, {})

    @app.post("/findings/{finding_id}/triage", tags=["问题"], summary="审核一条问题（确认 / 误报 / 备注）；仅在 --write --user 启动时可用，否则 403")
    def triage(request: Request, finding_id: str, status: str = Form(...), note: str = Form("", max_length=2000), token: str = Form("")):
        if not app.state.write:
            raise HTTPException(403, "只读模式：用 gongkai serve --write --user 姓名 启动才能审核")
        if token != app.state.token:
            raise HTTPException(403, "表单已过期或来自别的网站，请刷新页面后重试")
        if status not in Q.TRIAGE_STATUSES:
            raise HTTPException(400, f"状态须是 {' / '.join(Q.TRIAGE_STATUSES)}")
        con = store.cursor()
        if Q.finding(con, finding_id) is None:
            raise HTTPException(404, "没有这条问题")
        from ..store.triage import TriageError, set_triage

        try:
            set_triage(con, finding_id, status, app.state.user, note.strip() or None)
        except TriageError as exc:
            raise HTTPException(400, str(exc)) from None
        if "application/json" in request.headers.get("accept", ""):
            return json_response(view_finding(store, store.cursor(), finding_id))
        return RedirectResponse(f"/findings/{finding_id}", status_code=303)


def _templates():
    from .app import templates

    return templates()
