"""The portal: FastAPI + Jinja2 over the read-only query layer of the store.

Every page is an HTML view of a JSON document; the same document is served at
`/api/...` (documented in /openapi.json and rendered offline at /docs), as the page's
JSON twin (`?format=json` or `Accept: application/json`) and, for its lists, as CSV
(`?format=csv&list=NAME`). The server is read-only unless started with write=True and
a user name; then, and only then, findings can be triaged.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from .negotiate import json_response, respond, wanted_format
from .upload import DEFAULT_LIMIT, Rejected, check_upload

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
NAV = [("/", "总览"), ("/compare", "比较"), ("/rules", "规则"), ("/coverage", "覆盖"), ("/upload", "上传检查"), ("/docs", "接口")]


@lru_cache(maxsize=1)
def templates() -> Environment:
    env = Environment(loader=PackageLoader("gongkai.web", "templates"), autoescape=select_autoescape(["html", "j2"]))
    env.filters["num"] = _num
    env.filters["zip_series"] = _series
    env.globals["nav"] = NAV
    env.globals["version"] = __version__
    return env


def _series(labels: list, rows: list[dict], years: list, suffix: str = "") -> list[dict]:
    """Chart datasets, one per row: the row's value for each year (None where absent)."""
    return [{"label": label, "data": [row.get(f"{y}{suffix}") for y in years]} for label, row in zip(labels, rows)]


def _num(value) -> str:
    """An amount as the reports print it: thousands separators, trailing zeros kept to 2 places."""
    if value is None or value == "":
        return ""
    from decimal import Decimal, InvalidOperation

    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if d == d.to_integral_value():
        return f"{d:,.0f}"
    return f"{d:,.2f}" if d.as_tuple().exponent >= -2 else f"{d:,}"


def create_app(db: str | Path | None = None, *, write: bool = False, user: str | None = None,
               upload_limit: int = DEFAULT_LIMIT) -> FastAPI:
    """The portal over the store at `db`. write=True needs a user name (who triaged)."""
    if write and not (user and user.strip()):
        raise ValueError("writing (triage) needs a user name")
    app = FastAPI(
        title="gongkai 公开 portal", version=__version__,
        description="预算/决算公开报告库的只读接口。每个页面都有同名 JSON（`?format=json`）和列表 CSV（`?format=csv&list=…`）。",
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
    )
    app.state.db = str(db) if db is not None else None
    app.state.write = bool(write)
    app.state.user = user.strip() if user else None
    app.state.upload_limit = upload_limit
    app.state.token = secrets.token_urlsafe(24)  # forms carry it; a cross-site POST cannot know it
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if request.url.path.startswith("/api/") or _json_wanted(request):
            return JSONResponse({"error": detail, "status": exc.status_code}, status_code=exc.status_code)
        html = templates().get_template("error.html.j2").render(request=request, status=exc.status_code, message=detail, ctx=_ctx(request))
        return HTMLResponse(html, status_code=exc.status_code)

    from fastapi.exceptions import RequestValidationError

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or '参数'}: {e.get('msg', '')}" for e in exc.errors()[:5])
        return await http_error(request, StarletteHTTPException(422, f"参数有误：{problems}"))

    _register_common(app)
    from . import pages

    pages.register(app)
    return app


def _json_wanted(request: Request) -> bool:
    try:
        return wanted_format(request) == "json"
    except HTTPException:
        return False


def _ctx(request: Request) -> dict:
    state = request.app.state
    return {"write": state.write, "user": state.user, "token": state.token, "path": request.url.path}


def _register_common(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    def api_docs(request: Request):
        """The OpenAPI description rendered server-side: no script, no CDN."""
        schema = app.openapi()
        ops = []
        for path, methods in schema.get("paths", {}).items():
            for method, op in methods.items():
                params = [
                    {"name": p.get("name"), "in": p.get("in"), "required": p.get("required", False),
                     "type": (p.get("schema") or {}).get("type") or _any_of(p.get("schema") or {}), "description": p.get("description") or ""}
                    for p in op.get("parameters", [])
                ]
                ops.append({"method": method.upper(), "path": path, "summary": op.get("summary") or "", "description": op.get("description") or "",
                            "tag": (op.get("tags") or ["其他"])[0], "params": params})
        data = {"title": schema["info"]["title"], "version": schema["info"]["version"], "description": schema["info"].get("description", ""), "operations": ops}
        return respond(request, templates(), "docs.html.j2", data, {"operations": ["tag", "method", "path", "summary"]}, extra={"ctx": _ctx(request)})

    @app.get("/upload", include_in_schema=False)
    def upload_form(request: Request):
        data = {"limit_bytes": app.state.upload_limit, "accepted": ["text/plain (.txt .md .html)", "application/pdf"]}
        return respond(request, templates(), "upload.html.j2", data, extra={"ctx": _ctx(request)})

    @app.post("/upload", summary="检查上传的报告", tags=["上传检查"],
              description="multipart/form-data，字段 `file`。返回与 `gongkai check --format html` 相同的 HTML 报告；`?format=json` 返回与 `--format json` 相同的 JSON。")
    async def upload(request: Request):
        limit = app.state.upload_limit
        length = request.headers.get("content-length")
        if length is None:
            raise HTTPException(411, "需要 Content-Length")
        if not length.isdigit() or int(length) > limit + 64 * 1024:
            raise HTTPException(413, f"文件超过大小上限（{limit // 1048576} MiB）")
        form = await request.form(max_files=1, max_fields=4)
        try:
            item = form.get("file")
            if item is None or isinstance(item, str):
                raise HTTPException(400, "请选择要检查的文件（字段 file）")
            data = await item.read(limit + 1)
            raw_name = item.filename
        finally:
            await form.close()
        from starlette.concurrency import run_in_threadpool

        try:
            result = await run_in_threadpool(check_upload, data, raw_name, limit)
        except Rejected as exc:
            raise HTTPException(exc.status, exc.message) from None
        if wanted_format(request) == "json":
            from ..report.json_report import result_to_dict

            return json_response(result_to_dict(result))
        from ..report.html import render_html

        return HTMLResponse(render_html(result))

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        return {"ok": True, "write": app.state.write}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)


def _any_of(schema: dict) -> str:
    types = [s.get("type") for s in schema.get("anyOf", []) if s.get("type") and s.get("type") != "null"]
    return "|".join(types)
