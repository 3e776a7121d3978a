"""One view, three representations: the HTML page, its JSON twin and a CSV download of each list.

A page answers JSON for `?format=json` or an `Accept: application/json` header, and CSV
for `?format=csv[&list=NAME]`. CSV cells are spreadsheet-safe by the project's one rule
(gongkai.report.spreadsheet): a text a spreadsheet could evaluate — one starting with
= + - @ (or their full-width forms), a tab or CR — gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response

LIST_NAMES = {
    "reports": "报告", "findings": "问题", "by_rule": "按规则", "by_severity": "按严重程度", "by_region": "按地区",
    "by_department": "按部门", "by_year": "按年度", "by_kind": "按类型", "rows": "数据", "tables": "表格",
    "operations": "接口", "rules": "规则", "hits": "命中", "expected": "应有报告", "series": "数据", "facts": "数据", "department_rows": "部门结构", "findings_by_severity": "问题按严重程度",
    "findings_by_rule": "问题按规则", "reports_list": "报告", "measures": "度量", "forms": "绩效表", "claims": "叙述数字", "quiet": "未命中规则",
}


def wanted_format(request: Request) -> str:
    fmt = request.query_params.get("format")
    if fmt in ("html", "json", "csv"):
        return fmt
    if fmt:
        raise HTTPException(400, f"unknown format {fmt!r} (html, json or csv)")
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return "json"
    if "text/csv" in accept and "text/html" not in accept:
        return "csv"
    return "html"


def jsonable(value):
    """Decimal → string (exact), dates → ISO, tuples → lists; everything else as is."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def json_response(data) -> Response:
    body = json.dumps(jsonable(data), ensure_ascii=False, separators=(",", ":"))
    return Response(body, media_type="application/json")


def safe_cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        return _decimal_text(value)  # a number: no formula risk, a leading minus stays a minus
    if isinstance(value, (list, tuple, dict)):
        value = json.dumps(jsonable(value), ensure_ascii=False)
    from ..report.spreadsheet import csv_cell

    return csv_cell(str(value))


def csv_bytes(rows: list[dict], columns: list[str] | None = None) -> bytes:
    if columns is None:
        columns = []
        for row in rows:
            for key in row:
                if key not in columns:
                    columns.append(key)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return buf.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def csv_response(rows: list[dict], name: str, columns: list[str] | None = None) -> Response:
    safe_name = "".join(ch for ch in name if ch.isascii() and (ch.isalnum() or ch in "-_")) or "list"
    return Response(
        csv_bytes(rows, columns), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe_name}.csv"'},
    )


def respond(request: Request, templates, template: str, data: dict, lists: dict[str, list[str] | None] | None = None,
            status_code: int = 200, extra: dict | None = None) -> Response:
    """Render `data` as the page, its JSON twin or one of its lists as CSV.

    `lists` names the keys of `data` that are lists of records (with their CSV columns,
    or None for all keys); the first is the default CSV download.
    """
    fmt = wanted_format(request)
    if fmt == "json":
        resp = json_response(data)
        resp.status_code = status_code
        return resp
    if fmt == "csv":
        if not lists:
            raise HTTPException(406, "this page has no list to download as CSV")
        name = request.query_params.get("list") or next(iter(lists))
        if name not in lists:
            raise HTTPException(404, f"no list {name!r} on this page (lists: {', '.join(lists)})")
        return csv_response(data.get(name) or [], name, lists[name])
    def twin_query(fmt: str, name: str | None = None) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("format", "list")]
        params.append(("format", fmt))
        if name:
            params.append(("list", name))
        return urlencode(params)

    def page_query(n: int) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
        params.append(("page", str(n)))
        return urlencode(params)

    context = {"request": request, "data": data, "lists": list(lists or ()), "twin_query": twin_query, "page_query": page_query,
               "list_names": LIST_NAMES, **(extra or {})}
    html = templates.get_template(template).render(context)
    return HTMLResponse(html, status_code=status_code)
