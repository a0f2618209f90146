"""Gap lists, matrix, terms table and the CSV / Markdown / Excel / JSON writers, read back and checked."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.errors import ConfigError
from pipeline.export import (
    EVIDENCE_CHARS,
    LOW_CONFIDENCE,
    export,
    export_bytes,
    gap_rows,
    matrix,
    safe_cell,
    sheet_name,
    summary,
    terms_table,
    to_csv,
    to_markdown,
    vendor_labels,
)
from pipeline.library import Library, load_library
from pipeline.models import DocStatus, Evidence, Finding, Report, Status, Terms
from pipeline.policy import Policy
from pipeline.store import Decision, Review


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library()


def make(name: str, vendor: str | None, lib: Library, statuses: dict[str, Status], **kw: object) -> Report:
    """A report meeting every requirement except those in ``statuses``."""
    findings = []
    for rid in lib.ids:
        st = statuses.get(rid, Status.MET)
        ev = [] if st is Status.MISSING else [Evidence(3, "4. Security", f"Our commitment on {rid}.", 0.8)]
        findings.append(Finding(rid, st, 0.7, evidence=ev))
    return Report(file=f"{name}.pdf", sha256=name.ljust(64, "0"), vendor=vendor, pages=5, findings=findings,
                  terms=kw.pop("terms", Terms(breach_notice_hours=48, deletion_days=30,
                                              transfer_mechanisms=["SCC"], no_training="commits")), **kw)


@pytest.fixture
def reports(lib: Library) -> list[Report]:
    acme = make("acme", "Acme", lib, {"audit": Status.MISSING, "no-training": Status.CONFLICT,
                                      "encryption": Status.MISSING})
    # A vendor passage that a spreadsheet would run as a formula, with a pipe and a form feed in it.
    acme.finding("no-training").evidence = [
        Evidence(7, "7. Use | Training", '=HYPERLINK("x") We may use Customer Data\x0c to train.', 0.9),
    ]
    acme.finding("audit").rejected = [Evidence(9, "9. Audits", "Customer shall audit its own systems. " * 30)]
    globex = make("globex", None, lib, {rid: Status.MISSING for rid in lib.ids[:5]},
                  terms=Terms(breach_notice_hours=None, deletion_days=90, data_locations=["US"]))
    failed = Report(file="broken.pdf", sha256="b" * 64, vendor="Broken", status=DocStatus.ERROR,
                    error="not a PDF", error_code="not-pdf")
    return [acme, globex, failed]


def override(rid: str, status: Status | None, note: str = "") -> Review:
    return Review(rid, Decision.OVERRIDE if status else Decision.ACCEPT, status, note, "kim", "2025-01-01")


def test_gap_rows_content(lib: Library, reports: list[Report]) -> None:
    df = gap_rows(reports, lib)
    acme = df[df["vendor"] == "Acme"]
    assert set(acme["requirement"]) == {"audit", "no-training", "encryption"}
    audit = acme.set_index("requirement").loc["audit"]
    req = lib.get("audit")
    assert (audit["title"], audit["source"], audit["group"], audit["severity"], audit["request"]) == (
        req.title, req.source, req.group.value, req.severity.value, req.request)
    assert audit["status"] == "missing" and audit["evidence_kind"] == "nearest" and audit["page"] == 9
    assert len(audit["evidence"]) == EVIDENCE_CHARS and audit["evidence"].endswith("…")
    training = acme.set_index("requirement").loc["no-training"]
    assert training["status"] == "conflict" and training["evidence_kind"] == "supporting"
    finding = next(r for r in reports if r.vendor == "Acme").finding("no-training")
    assert training["confidence"] == round(finding.score, 2)  # the checker's confidence, to triage gaps
    assert (training["page"], training["section"]) == (7, "7. Use | Training")
    assert "We may use Customer Data to train." in training["evidence"]  # whitespace normalised
    # The vendor-less report is labelled by its file stem; its five missing requirements are listed.
    assert list(df[df["vendor"] == "globex"]["requirement"]).count("") == 0
    assert set(df[df["vendor"] == "globex"]["requirement"]) == set(lib.ids[:5])
    [err] = df[df["kind"] == "error"].itertuples()
    assert (err.vendor, err.evidence, err.status) == ("Broken", "not a PDF", "error")
    # Within a vendor: high severity first, then catalogue order.
    ranks = acme["severity"].map({"high": 0, "medium": 1, "low": 2}).tolist()
    assert ranks == sorted(ranks)
    assert list(df["vendor"].drop_duplicates()) == ["Acme", "globex", "Broken"]
    assert not df["reviewed"].any()


def test_reviews_change_the_gap_list(lib: Library, reports: list[Report]) -> None:
    reviews = {reports[0].sha256: {
        "audit": override("audit", Status.MET, "clause 12 allows inspections"),
        "security": override("security", Status.MISSING, "only a generic statement"),
        "encryption": override("encryption", None, "agree, nothing on encryption"),
    }}
    df = gap_rows(reports, lib, reviews).set_index("requirement")
    acme = df[df["vendor"] == "Acme"]
    assert "audit" not in acme.index  # overridden to met
    sec = acme.loc["security"]
    assert (sec["status"], sec["checker_status"], bool(sec["reviewed"])) == ("missing", "met", True)
    assert sec["review_note"] == "only a generic statement"
    enc = acme.loc["encryption"]
    assert (enc["status"], bool(enc["reviewed"])) == ("missing", True)
    mat = matrix(reports, lib, reviews)
    assert mat.loc["audit", "Acme"] == "met" and mat.loc["security", "Acme"] == "missing"


def test_policy_rows_and_severity_overrides(lib: Library, reports: list[Report]) -> None:
    policy = Policy(require_eu_location=True, severity_overrides={"encryption": "low"})
    df = gap_rows(reports, lib, policy=policy)
    pol = df[(df["kind"] == "policy") & (df["vendor"] == "globex")].set_index("requirement")
    # globex: breach deadline not stated, 90-day deletion, US-only data with no transfer tool, silent on
    # training (the default policy requires a commitment).
    assert set(pol.index) == {
        "breach-notification", "deletion-return", "data-location", "transfer-safeguards", "no-training"}
    assert pol.loc["breach-notification", "checker_status"] == "not stated"
    assert pol.loc["deletion-return", "status"] == "deviation"
    assert "90 days" in pol.loc["deletion-return", "evidence"]
    assert df.set_index(["vendor", "requirement"]).loc[("Acme", "encryption"), "severity"] == "low"
    with pytest.raises(ConfigError):
        gap_rows(reports, lib, policy=Policy(severity_overrides={"not-a-requirement": "low"}))


def test_matrix_and_terms(lib: Library, reports: list[Report]) -> None:
    mat = matrix(reports, lib)
    assert list(mat.index) == lib.ids and list(mat.columns) == ["title", "Acme", "globex", "Broken"]
    assert mat.loc["no-training", "Acme"] == "conflict" and set(mat["Broken"]) == {"error"}
    assert (mat["globex"] == "missing").sum() == 5
    terms = terms_table(reports)
    assert terms.loc["breach_notice_hours", "Acme"] == 48
    assert terms.loc["breach_notice_hours", "globex"] == "not stated"
    assert terms.loc["transfer_mechanisms", "Acme"] == "SCC" and terms.loc["data_locations", "globex"] == "US"


def test_vendor_labels_disambiguate() -> None:
    reps = [Report(file="a-2024.pdf", vendor="OpenAI"), Report(file="a-2025.pdf", vendor="OpenAI"),
            Report(file="x.pdf")]
    assert vendor_labels(reps) == ["OpenAI (a-2024.pdf)", "OpenAI (a-2025.pdf)", "x"]


def test_csv_round_trip_is_formula_safe(lib: Library, reports: list[Report], tmp_path: Path) -> None:
    df = gap_rows(reports, lib, policy=Policy())
    data = to_csv(df, tmp_path / "gaps.csv")
    assert (tmp_path / "gaps.csv").read_bytes() == data
    back = pd.read_csv(io.BytesIO(data), keep_default_na=False)
    assert len(back) == len(df) and list(back.columns) == list(df.columns)
    ev = back.set_index(["vendor", "requirement"]).loc[("Acme", "no-training"), "evidence"]
    assert ev.startswith("'=HYPERLINK")
    assert not any(str(v).startswith(("=", "+", "-", "@")) for v in back.to_numpy().ravel())
    assert back.loc[back["requirement"] == "no-training", "page"].tolist()[0] == "7"  # an int, not 7.0
    mat = pd.read_csv(io.BytesIO(to_csv(matrix(reports, lib))))
    assert mat.columns[0] == "requirement" and len(mat) == len(lib.ids)


def test_a_vendor_without_gaps_keeps_one_row(lib: Library, reports: list[Report]) -> None:
    """The gap list of a batch names every document: one without gaps gets a "no gaps" row, not silence."""
    clean = make("initech", "Initech", lib, {})
    df = gap_rows([*reports, clean], lib)
    mine = df[df["vendor"] == "Initech"]
    assert mine[["kind", "status", "title"]].values.tolist() == [["none", "no gaps", "No gaps found"]]
    assert (df[df["vendor"] == "Acme"]["kind"] != "none").all()  # only where there is no gap at all
    back = pd.read_csv(io.BytesIO(to_csv(df)))
    assert "Initech" in set(back["vendor"])
    md = to_markdown(df, vendors=vendor_labels([*reports, clean])).decode()
    assert md.split("## Initech")[1].strip() == "No gaps."
    assert summary([*reports, clean], lib).set_index("vendor").loc["Initech", "gaps_high"] == 0


def test_safe_cell() -> None:
    for text in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("a=b") == "a=b" and safe_cell(-3) == -3 and safe_cell(None) is None


def test_markdown(lib: Library, reports: list[Report]) -> None:
    reviews = {reports[0].sha256: {"audit": override("audit", Status.MISSING, "no *audits*")}}
    df = gap_rows(reports, lib, reviews)
    md = to_markdown(df, vendors=["Acme", "globex", "Broken", "Initech"]).decode()
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings == ["Acme", "globex", "Broken", "Initech"]
    assert md.split("## Initech")[1].strip() == "No gaps."
    for line in md.splitlines():
        if line.startswith("| "):
            assert len(re.findall(r"(?<!\\)\|", line)) == 6, line  # five cells, pipes in text escaped
    assert r"7. Use \| Training" in md and r"no \*audits\*" in md
    assert "(p. 7, 7. Use" in md and "reviewed: no" in md
    assert lib.get("audit").title.split()[0] in md


def test_excel(lib: Library, reports: list[Report], tmp_path: Path) -> None:
    reports[1].vendor = "Globex: [EU]/Cloud*? Services International Holding"
    reports.append(make("summary", "summary", lib, {}))  # a vendor whose name clashes with a sheet
    reviews = {reports[0].sha256: {"audit": override("audit", Status.MET, "fine")}}
    data = export("xlsx", tmp_path / "gaps.xlsx", reports, lib, reviews, Policy())
    wb = openpyxl.load_workbook(io.BytesIO(data))
    names = wb.sheetnames
    assert names[0] == "Summary" and names[-2:] == ["Matrix", "Terms"] and len(names) == 7
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert names[2].startswith("Globex_ _EU__Cloud__") and names[4] == "summary (2)"

    summ = {row[0]: row for row in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in wb["Summary"][1]]
    acme = dict(zip(header, summ["Acme"], strict=True))
    # audit was overridden to met: 31 - 2 gaps (no-training conflict, encryption missing)
    assert (acme["met"], acme["conflict"], acme["missing"]) == (len(lib.ids) - 2, 1, 1)
    gaps = gap_rows(reports, lib, reviews, Policy())
    acme_gaps = gaps[(gaps["vendor"] == "Acme") & (gaps["kind"] == "requirement")]
    for sev in ("high", "medium", "low"):
        assert acme[f"gaps_{sev}"] == (acme_gaps["severity"] == sev).sum()
    assert acme["reviewed"] == 1 and dict(zip(header, summ["summary"], strict=True))["met"] == len(lib.ids)

    ws = wb["Acme"]
    rows = list(ws.iter_rows(values_only=True))
    cols = rows[0]
    assert len(rows) - 1 == (gaps["vendor"] == "Acme").sum()
    by_req = {r[cols.index("requirement")]: r for r in rows[1:]}
    ev = by_req["no-training"][cols.index("evidence")]
    assert ev.startswith("'=HYPERLINK") and "\x0c" not in ev
    assert by_req["no-training"][cols.index("page")] == 7
    assert by_req["encryption"][cols.index("request")] == lib.get("encryption").request
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # no live formula anywhere
    assert wb["Matrix"]["A1"].value == "requirement" and wb["Matrix"].max_row == len(lib.ids) + 1
    assert [c.value for c in wb["Terms"]["A"]][1] == "breach_notice_hours"


def test_sheet_name() -> None:
    taken: set[str] = {"Summary"}
    assert sheet_name("summary", taken) == "summary (2)"
    assert sheet_name("a" * 40, taken) == "a" * 31
    assert sheet_name("a" * 40, taken) == "a" * 27 + " (2)"
    assert sheet_name("'[]:*?/\\'", taken) == "_______"
    assert sheet_name("''", taken) == "Sheet"


def test_export_bytes_formats(lib: Library, reports: list[Report], tmp_path: Path) -> None:
    assert export_bytes("CSV", reports, lib) == to_csv(gap_rows(reports, lib))
    md = export_bytes("markdown", reports, lib).decode()
    assert md.startswith("# DPA gap list") and "## globex" in md
    records = json.loads(export_bytes("json", reports, lib, table="summary"))
    assert [r["vendor"] for r in records] == ["Acme", "globex", "Broken"]
    terms = json.loads(export_bytes("json", reports, lib, table="terms"))
    assert terms[0]["term"] == "breach_notice_hours"
    assert export_bytes("xlsx", reports, lib)[:2] == b"PK"  # a zip container
    out = export("md", tmp_path / "gaps.md", reports, lib)
    assert (tmp_path / "gaps.md").read_bytes() == out
    with pytest.raises(ValueError, match="format"):
        export_bytes("pdf", reports, lib)
    with pytest.raises(ValueError, match="table"):
        export_bytes("csv", reports, lib, table="everything")
    assert summary([], lib).empty and gap_rows([], lib).empty


def test_unsure_met_findings_are_listed_to_verify(lib: Library, reports: list[Report]) -> None:
    """A met the checker is unsure of follows the vendor's gaps as a verify row, unless a reviewer looked."""
    acme = reports[0]
    acme.finding("audit").status = Status.MET  # met, but only just
    acme.finding("audit").evidence = [Evidence(9, "9. Audits", "We may allow audits at our discretion.", 0.5)]
    acme.finding("audit").score = LOW_CONFIDENCE - 0.05
    acme.finding("instructions").score = LOW_CONFIDENCE  # at the bar: not listed
    df = gap_rows(reports, lib)
    mine = df[df["vendor"] == "Acme"]
    assert mine["kind"].tolist() == ["requirement", "requirement", "verify"]  # after every gap of the vendor
    row = mine.set_index("requirement").loc["audit"]
    assert (row["status"], row["confidence"], row["page"]) == ("met", 0.55, 9)
    assert row["evidence"] == "We may allow audits at our discretion." and row["evidence_kind"] == "supporting"
    assert summary(reports, lib).set_index("vendor").loc["Acme", "to_verify"] == 1
    md = to_markdown(df, vendors=vendor_labels(reports)).decode().split("## Acme")[1].split("## ")[0]
    assert "2 gaps (" in md and "low confidence" in md and "met (confidence 0.55)" in md
    assert md.index("no-training") < md.index("low confidence") < md.index("(audit;")
    # A reviewer's word replaces the doubt; a vendor whose only rows are to verify still says "No gaps found".
    reviewed = gap_rows(reports, lib, {acme.sha256: {"audit": override("audit", None)}})
    assert "verify" not in set(reviewed["kind"])
    acme.finding("no-training").status = acme.finding("encryption").status = Status.MET
    only = gap_rows(reports, lib)
    assert only[only["vendor"] == "Acme"]["kind"].tolist() == ["none", "verify"]
    assert to_markdown(only, vendors=["Acme"]).decode().split("## Acme")[1].split("## ")[0].count("No gaps.") == 1
