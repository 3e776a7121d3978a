"""The portal's upload page: same report as the CLI, size limit, type sniffing, no path ever used."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from gongkai.api import parse_bytes  # noqa: E402
from gongkai.checks import check  # noqa: E402
from gongkai.report.json_report import result_to_dict  # noqa: E402
from gongkai.web import create_app  # noqa: E402
from gongkai.web.upload import display_name, sniff, Rejected  # noqa: E402
from tests.support import example_text  # noqa: E402

EXAMPLE = example_text(True).encode("utf-8")


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(None, upload_limit=1024 * 1024))


def test_upload_gives_the_cli_report(client):
    r = client.post("/upload", files={"file": ("example.txt", EXAMPLE, "text/plain")})
    assert r.status_code == 200
    assert "检查报告" in r.text and "问题清单" not in r.text.split("<title>")[1].split("</title>")[0]
    r = client.post("/upload?format=json", files={"file": ("example.txt", EXAMPLE, "text/plain")})
    expected = result_to_dict(check(parse_bytes(EXAMPLE, "example.txt")))
    assert r.json()["summary"] == json.loads(json.dumps(expected["summary"]))
    assert len(r.json()["findings"]) == len(expected["findings"]) > 0


@pytest.mark.parametrize("name", ["../../x.txt", "/etc/passwd", "..\\..\\win.txt", "a\x00b.txt", "C:\\temp\\y.txt", "....//z.txt", "&lt;..&gt;/.x"])
def test_path_traversal_names_are_only_display_names(client, tmp_path, name, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = set(Path(tmp_path).rglob("*"))
    r = client.post("/upload?format=json", files={"file": (name, EXAMPLE, "text/plain")})
    assert r.status_code == 200, r.text
    shown = r.json()["document"]["source"]["name"]
    assert shown and "/" not in shown and "\\" not in shown and "\x00" not in shown
    assert set(Path(tmp_path).rglob("*")) == before  # nothing written next to us
    assert not Path("/etc/passwd.gongkai").exists()


def test_display_name():
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("a\x00b\r\n.txt") == "ab.txt"
    assert display_name("..") == "upload"
    assert display_name(None) == "upload"
    assert len(display_name("报" * 500)) == 80


def test_oversized_is_refused(client):
    big = EXAMPLE + b"\n" * (1024 * 1024)
    r = client.post("/upload", files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code == 413
    assert "大小上限" in r.text


@pytest.mark.parametrize("data", [b"PK\x03\x04zip", b"\x89PNG\r\n\x1a\n....", b"MZ\x90\x00exe", b"abc\x00\x00\x00def", b"\x01\x02\x03\x04" * 50])
def test_binary_is_refused(client, data):
    r = client.post("/upload?format=json", files={"file": ("report.txt", data, "text/plain")})
    assert r.status_code == 415
    assert r.json()["status"] == 415


def test_sniff():
    assert sniff(b"%PDF-1.7 ...") == "pdf"
    assert sniff("部门决算".encode("gb18030")) == "text"
    assert sniff("\ufeff部门".encode("utf-16")) == "text"
    with pytest.raises(Rejected):
        sniff(b"   ")


def test_unreadable_text_is_a_clean_error(client):
    r = client.post("/upload", files={"file": ("x.txt", "只有一行字".encode(), "text/plain")})
    assert r.status_code in (200, 422)
    assert "Traceback" not in r.text


def test_missing_file_field(client):
    r = client.post("/upload", data={"other": "1"})
    assert r.status_code == 400


def test_script_in_a_name_and_in_cells_is_escaped(client):
    text = EXAMPLE.decode("utf-8").replace("示例市数据管理局", "示例市<script>alert(1)</script>数据管理局", 1)
    r = client.post("/upload", files={"file": ("<img src=x onerror=alert(2)>.txt", text.encode(), "text/plain")})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;" in r.text


def test_security_headers(client):
    r = client.get("/upload")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "上传" in r.text


def test_docs_are_offline(client):
    r = client.get("/docs")
    assert r.status_code == 200
    assert "cdn" not in r.text.lower() and "http://" not in r.text and "https://" not in r.text
    assert "/upload" in r.text
    spec = client.get("/openapi.json").json()
    assert "/upload" in spec["paths"]


def test_no_temp_files_left(client, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    r = client.post("/upload", files={"file": ("e.txt", EXAMPLE, "text/plain")})
    assert r.status_code == 200
    assert list(os.scandir(tmp_path)) == []
