"""The dashboard's flows through Streamlit's AppTest, with the real model and matcher.

Each test gets its own database (``$DPA_DB`` in ``tmp_path``). The analyser is cached by
``st.cache_resource`` for the whole process, so the model loads once for the module.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pipeline import dashboard_data as dd
from pipeline import uploads as up
from pipeline.library import load_library
from pipeline.match import DEFAULT_MODEL_PATH
from pipeline.store import Store

from .conftest import EXAMPLES, ROOT
from .pdfgen import Heading, Para, make_pdf

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="matcher weights not trained yet"),
]

APP = str(ROOT / "dashboard.py")
TIMEOUT = 300  # the first run loads the embedding model
VENDORS = {"Chatterly", "Ledgerline", "Nimbus Notes AI"}  # vendors/examples/expected.json


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "dpa.sqlite3"
    monkeypatch.setenv("DPA_DB", str(path))
    return path


def examples() -> list[tuple[str, bytes, str]]:
    return [(p.name, p.read_bytes(), "application/pdf") for p in sorted(EXAMPLES.glob("*.pdf"))]


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, files) -> AppTest:
    at.file_uploader(key="uploads").set_value(files)
    at.run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.fixture
def loaded(db) -> AppTest:
    return upload(new_app(), examples())


def test_empty_database_invites_an_upload_and_says_nothing_leaves(db):
    at = new_app()
    assert any("Drop DPA PDFs" in i.value for i in at.info)
    assert any("nothing is sent anywhere" in c.value for c in at.caption)
    assert not at.tabs


def test_upload_builds_the_matrix_and_a_broken_file_fails_alone(db):
    at = upload(new_app(), [*examples(), ("broken.pdf", b"this is not a PDF", "application/pdf")])
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "broken" in errors[0] and "not a PDF" in errors[0]
    assert sum("met ·" in s.value for s in at.success) == 3  # the other three were analysed
    matrix = table(at, "Requirement")
    assert set(matrix.columns) >= VENDORS and len(matrix) == len(load_library().ids)
    store = Store(db)
    for report in store.reports():
        assert report.vendor in VENDORS
        for rid, cell in matrix[report.vendor].items():
            assert dd.status_of_cell(cell) == report.finding(rid).status.value
    summary = table(at, "total_gaps")
    assert set(summary["vendor"]) == VENDORS
    assert (summary["met"] + summary["missing"] + summary["conflict"] == len(matrix)).all()
    # A fresh session over the same database: the same bytes are not analysed again.
    before = [i.created_at for i in store.list_reports()]
    again = upload(new_app(), examples())
    assert sum("already analysed" in i.value for i in again.info) == 3
    assert [i.created_at for i in store.list_reports()] == before


def test_matrix_filters_by_group_and_severity(loaded):
    loaded.multiselect(key="f_groups").set_value(["beyond"])
    loaded.multiselect(key="f_sev").set_value(["high"]).run()
    rows = table(loaded, "Requirement")
    assert len(rows) and set(rows["Group"]) == {"Beyond Art. 28"} and set(rows["Severity"]) == {"high"}


def test_review_override_persists_and_flows_into_exports(loaded, db):
    at = loaded
    at.selectbox(key="ev_vendor").set_value("Ledgerline")
    at.selectbox(key="ev_req").set_value("audit")
    at.run()
    before = dd.status_of_cell(table(at, "Requirement").loc["audit", "Ledgerline"])
    target = "missing" if before == "met" else "met"
    at.radio(key="rv_choice").set_value(target)
    at.text_area(key="rv_note").input("Clause 3.7 grants audits; checked by legal.")
    at.button(key="rv_save").click().run()
    assert any("Review saved" in t.value for t in at.toast)

    fresh = new_app()  # a restart: everything comes back from the database
    cell = table(fresh, "Requirement").loc["audit", "Ledgerline"]
    assert dd.status_of_cell(cell) == target and dd.OVERRIDDEN in cell
    fresh.selectbox(key="ev_vendor").set_value("Ledgerline")
    fresh.selectbox(key="ev_req").set_value("audit")
    fresh.run()
    history = table(fresh, "reviewer")
    assert history.loc[0, "status"] == target and "checked by legal" in history.loc[0, "note"]
    assert any("overridden by a reviewer" in m.value for m in fresh.markdown)

    store = Store(db)
    gaps = pd.read_csv(io.BytesIO(dd.export_file("csv", store.reports(), load_library(), store.all_reviews(),
                                                 None, vendor="Ledgerline")))
    row = gaps[gaps["requirement"] == "audit"]
    if target == "met":
        assert row.empty  # no longer a gap
    else:
        assert row["reviewed"].item() and "checked by legal" in row["review_note"].item()


def test_policy_panel_changes_deviations_and_is_saved(loaded, db, monkeypatch):
    at = loaded
    loose = table(at, "total_gaps").set_index("vendor")
    # Issue 6: a policy change re-decides from the stored reports; nothing is parsed or encoded again.
    from pipeline import analyze, embed

    touched: list[str] = []
    original = embed.CachedEmbedder.embed
    monkeypatch.setattr(embed.CachedEmbedder, "embed", lambda self, texts: touched.append("embed") or
                        original(self, texts))
    monkeypatch.setattr(analyze, "parse_with_ocr", lambda *a, **k: touched.append("parse"))
    at.number_input(key="pol_breach").set_value(1)
    at.toggle(key="pol_eu").set_value(True)
    at.run()
    assert touched == [], "a policy change must not re-parse or re-encode"
    strict = table(at, "total_gaps").set_index("vendor")
    assert (strict["policy_deviations"] >= loose["policy_deviations"]).all()
    assert strict["policy_deviations"].sum() > loose["policy_deviations"].sum()
    devs = table(at, "expected")
    assert "Breach notice (hours)" in set(devs["term"]) and "EU/EEA only" in set(devs["expected"])
    at.text_input(key="pol_name").set_value("default")
    at.button(key="pol_save").click().run()
    assert Store(db).load_policy("default").max_breach_notice_hours == 1
    fresh = new_app()
    assert fresh.number_input(key="pol_breach").value == 1 and fresh.toggle(key="pol_eu").value
    # Import a policy file: the panel takes its values.
    fresh.file_uploader(key="pol_file").set_value(
        ("team.json", json.dumps({"max_breach_notice_hours": 24, "require_eu_location": False}).encode(),
         "application/json"))
    fresh.run()
    assert fresh.number_input(key="pol_breach").value == 24 and not fresh.toggle(key="pol_eu").value
    fresh.file_uploader(key="pol_file").set_value(("bad.yaml", b"max_breach_notice_hours: soon\n", "text/yaml"))
    fresh.run()
    assert any("invalid" in e.value for e in fresh.error)


def test_exports_are_offered_and_produce_files(loaded, db):
    at = loaded
    buttons = {b.key: b for b in at.download_button}
    assert {"x_xlsx", "x_csv", "x_md"} <= set(buttons)
    assert all(buttons[k].proto.deferred_file_id for k in ("x_xlsx", "x_csv", "x_md"))  # built on click
    assert at.selectbox(key="x_scope").options == ["All vendors", *sorted(VENDORS)]
    [preview] = [d.value for d in at.dataframe if list(d.value.columns) == dd.GAP_PREVIEW_COLUMNS]
    assert set(preview["kind"]) <= {"requirement", "policy", "verify", "none", "error"} and len(preview)
    store = Store(db)
    data = dd.export_file("xlsx", store.reports(), load_library(), store.all_reviews(), None)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert VENDORS <= set(wb.sheetnames) and "Summary" in wb.sheetnames


def test_document_text_and_names_show_as_plain_text(db):
    evil_heading = "9. <script>alert(1)</script> **Audits** ![t](http://127.0.0.1:9/t.png) :red[x]"
    pdf = make_pdf([
        Heading("Data Processing Agreement"),
        Para("Acme Widgets GmbH (the Processor) processes personal data for the Customer under this "
             "agreement, only on the documented instructions of the Customer."),
        Heading(evil_heading),
        Para("The Processor shall allow for and contribute to audits, including inspections, conducted by "
             "the Customer or another auditor mandated by the Customer."),
    ])
    at = upload(new_app(), [("<img src=x onerror=alert(1)> **x**.pdf", pdf, "application/pdf")])
    labels = [m.value for m in at.success] + [t.label for t in at.text_input]
    assert any("\\<img src" in v for v in labels)
    assert not any(re.search(r"(?<!\\)<img|(?<!\\)\*\*x", v) for v in labels)
    at.selectbox(key="ev_req").set_value("audit").run()
    shown = [m.value for m in at.markdown if "Passage" in m.value]
    assert any("\\<script\\>" in v for v in shown)
    for v in [m.value for m in at.markdown]:
        assert not re.search(r"(?<!\\)<script|(?<!\\)!\[|(?<!\\):red\[", v), v


def test_vendor_name_is_editable_and_a_document_can_be_removed(loaded, db):
    store = Store(db)
    sha = next(r.sha256 for r in store.reports() if r.vendor == "Ledgerline")
    loaded.text_input(key=f"vendor_{sha}").input("Ledgerline Payroll Ltd").run()
    assert store.get_report(sha).vendor == "Ledgerline Payroll Ltd"
    fresh = new_app()
    assert "Ledgerline Payroll Ltd" in table(fresh, "Requirement").columns
    fresh.button(key=f"del_{sha}").click().run()
    assert sha not in {r.sha256 for r in store.reports()}
    assert up.load_pdf(up.pdf_dir(db), sha) is None
    assert "Ledgerline Payroll Ltd" not in table(fresh, "Requirement").columns


def test_an_encrypted_pdf_opens_once_its_password_is_given(db):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, "Acme Widgets GmbH (the Processor) shall allow for and contribute to audits, "
                         "including inspections, conducted by the Customer or an auditor it mandates.")
    pdf.set_encryption(owner_password="owner-pw", user_password="s3cret")
    at = upload(new_app(), [("locked.pdf", bytes(pdf.output()), "application/pdf")])
    assert any("encrypted" in e.value and "password" in e.value for e in at.error)
    at.text_input(key="pdf_password").input("s3cret").run()
    assert not at.error and any("locked" in s.value and "met" in s.value for s in at.success)
    assert len(Store(db).reports()) == 1
