"""The portal over a PDF report: findings show the page crop with the cell highlighted."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from gongkai.web import create_app  # noqa: E402
from tests.support import corpus_file  # noqa: E402

PDF = "shanghai_putuo_finance_bureau_2024_final.pdf"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from gongkai.store.ingest import ingest

    folder = tmp_path_factory.mktemp("pdfstore")
    src = folder / "src"
    src.mkdir()
    shutil.copy(corpus_file("pdf", PDF), src / PDF)
    db = str(folder / "pdf.duckdb")
    ingest([str(src)], db, jobs=1)
    return TestClient(create_app(db))


def test_pdf_findings_link_a_highlighted_page_crop(client):
    doc = client.get("/api/reports").json()["items"][0]["doc_id"]
    data = client.get(f"/api/reports/{doc}").json()
    with_page = [f for f in data["findings"] if f["page_url"]]
    assert with_page, "findings of a PDF carry their page image"
    assert any("bbox=" in f["page_url"] for f in with_page)
    png = client.get(with_page[0]["page_url"])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    html = client.get(f"/reports/{doc}").text
    assert 'class="crop"' in html and f"/reports/{doc}/page/" in html
    # numbers of a PDF point at their page
    assert all(f["page"] for f in data["facts"])


def test_page_images_refuse_bad_input(client):
    doc = client.get("/api/reports").json()["items"][0]["doc_id"]
    assert client.get(f"/reports/{doc}/page/1.png").status_code == 200
    assert client.get(f"/reports/{doc}/page/999.png").status_code == 404
    assert client.get(f"/reports/{doc}/page/1.png?bbox=1,2,3").status_code == 400
    assert client.get(f"/reports/{doc}/page/1.png?bbox=a,b,c,d").status_code == 400
    src = client.get(f"/reports/{doc}/source?page=2")
    assert src.status_code == 200 and f"/reports/{doc}/page/2.png" in src.text
