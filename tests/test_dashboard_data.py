"""The dashboard's view models and page rendering, without Streamlit: uploads, matrix, terms, escaping."""

from __future__ import annotations

import hashlib
import io
import json

import numpy as np
import pytest
from PIL import Image

from pipeline import dashboard_data as dd
from pipeline import uploads as up
from pipeline.errors import ConfigError, CorruptPdfError
from pipeline.library import Group, Library, load_library
from pipeline.models import DocStatus, Evidence, Finding, Report, Status, Terms
from pipeline.policy import Policy
from pipeline.render import passage_boxes, render_page_png
from pipeline.store import Store

from .pdfgen import Heading, Para, make_pdf


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library()


def make(name: str, lib: Library, statuses: dict[str, Status], terms: Terms | None = None) -> Report:
    """A report meeting every requirement except those in ``statuses``."""
    findings = []
    for rid in lib.ids:
        st = statuses.get(rid, Status.MET)
        ev = [Evidence(2, "4. Security", f"We commit to {rid}.", 0.8)]
        findings.append(Finding(rid, st, 0.7, evidence=[] if st is Status.MISSING else ev,
                                rejected=ev if st is Status.MISSING else []))
    return Report(file=f"{name}.pdf", sha256=hashlib.sha256(name.encode()).hexdigest(), vendor=name.title(),
                  pages=3, findings=findings, provenance={"clause_library": "test+1"},
                  terms=terms or Terms(breach_notice_hours=48, deletion_days=30, transfer_mechanisms=["SCC"],
                                       data_locations=["EU"], no_training="commits"))


class FakeAnalyzer:
    """Stands in for the real analyser where only the upload bookkeeping is under test."""

    def __init__(self, lib: Library):
        self.lib = lib
        self.calls = 0

    def provenance(self) -> dict[str, str]:
        return {"clause_library": "test+1"}

    def analyze_bytes(self, data: bytes, name: str, *, vendor=None, password=None) -> Report:
        self.calls += 1
        if not data.startswith(b"%PDF"):
            return Report(file=name, sha256=hashlib.sha256(data).hexdigest(), status=DocStatus.ERROR,
                          error=f"{name}: not a PDF", error_code="not-pdf")
        r = make("acme", self.lib, {"audit": Status.MISSING})
        r.file, r.sha256 = name, hashlib.sha256(data).hexdigest()
        return r


# -- uploads ----------------------------------------------------------------------------------------


def test_ingest_analyses_once_and_keeps_failures_out_of_the_store(tmp_path, lib):
    store, folder, an = Store(tmp_path / "db.sqlite3"), tmp_path / "pdfs", FakeAnalyzer(lib)
    pdf = b"%PDF-1.4 fake body"
    first = up.ingest(pdf, "dir/acme-dpa.pdf", an, store, folder)
    assert first.outcome is up.Outcome.ANALYSED and first.name == "acme-dpa.pdf" and first.vendor == "Acme"
    assert up.load_pdf(folder, first.sha256) == pdf  # kept for rendering evidence pages
    again = up.ingest(pdf, "renamed.pdf", an, store, folder)
    assert again.outcome is up.Outcome.SKIPPED and an.calls == 1  # same bytes: not analysed again
    bad = up.ingest(b"PK\x03\x04 a docx", "notes.pdf", an, store, folder)
    assert bad.outcome is up.Outcome.FAILED and "not a PDF" in bad.message
    assert [r.sha256 for r in store.reports()] == [first.sha256]
    assert up.forget(store, folder, first.sha256) and store.reports() == []
    assert up.load_pdf(folder, first.sha256) is None


def test_ingest_survives_a_defect_in_one_file(tmp_path, lib):
    class Broken(FakeAnalyzer):
        def analyze_bytes(self, *a, **kw):
            raise RuntimeError("boom")

    res = up.ingest(b"%PDF-1.4", "x.pdf", Broken(lib), Store(tmp_path / "db.sqlite3"), tmp_path / "pdfs")
    assert res.outcome is up.Outcome.FAILED and "internal error (RuntimeError)" in res.message


def test_pdf_folder_refuses_names_that_are_not_hashes(tmp_path):
    with pytest.raises(ValueError):
        up.save_pdf(tmp_path, "../../etc/passwd", b"x")
    assert up.pdf_dir(tmp_path / "dpa.sqlite3") == tmp_path / "dpa-pdfs"


# -- untrusted text ---------------------------------------------------------------------------------


def test_display_name_strips_paths_controls_and_bidi_overrides():
    assert up.display_name("C:\\Users\\x\\evil\u202efdp.exe") == "evil fdp.exe"
    assert up.display_name("a/b/\x00\nreport.pdf") == "report.pdf"
    assert len(up.display_name("x" * 500)) == 80


def test_md_escape_neutralises_markdown_html_and_streamlit_directives():
    out = up.md_escape("<script>alert(1)</script> ![t](http://x/t.png) **b** :red[x] $y$")
    for raw in ("<script>", "![", "**", ":red[", "$y$", "http://", "://"):
        assert raw not in out
    shown = out.replace("\\", "").replace("\u2060", "")  # what the reader sees
    assert shown == "<script>alert(1)</script> ![t](http://x/t.png) **b** :red[x] $y$"
    links = up.md_escape("see www.example.com or legal@example.com")
    assert "www." not in links and "@example" not in links


# -- comparison ---------------------------------------------------------------------------------------


@pytest.fixture
def reports(lib):
    a = make("acme", lib, {"audit": Status.MISSING, "no-training": Status.CONFLICT})
    b = make("beta", lib, {"audit": Status.MISSING, "encryption": Status.MISSING},
             terms=Terms(breach_notice_hours=96, data_locations=["US"], no_training="silent"))
    return [a, b]


def test_matrix_view_cells_filters_and_sorting(lib, reports):
    from pipeline.store import Decision, Review

    reviews = {reports[1].sha256: {"encryption": Review("encryption", Decision.OVERRIDE, Status.MET, "annex 2")}}
    full = dd.matrix_view(reports, lib, reviews)
    assert list(full.columns) == ["Group", "Requirement", "Severity", "Acme", "Beta"]
    assert len(full) == len(lib.ids)
    assert full.loc["audit", "Acme"] == "✗ missing" and full.loc["no-training", "Acme"] == "⚠ conflict"
    assert full.loc["encryption", "Beta"] == "✓ met ✎"  # the override shows, marked
    assert dd.status_of_cell(full.loc["encryption", "Beta"]) == "met"
    gaps = dd.matrix_view(reports, lib, reviews, only_gaps=True, sort="gaps")
    assert list(gaps.index) == ["audit", "no-training"]  # audit: both vendors, so first
    # A finding the checker is unsure of is marked until a reviewer has looked at it.
    reports[0].finding("audit").score = dd.LOW_CONFIDENCE - 0.05
    reports[1].finding("encryption").score = dd.LOW_CONFIDENCE - 0.05
    unsure = dd.matrix_view(reports, lib, reviews)
    assert unsure.loc["audit", "Acme"] == f"✗ missing {dd.UNSURE}" and dd.status_of_cell(unsure.loc["audit", "Acme"])
    assert unsure.loc["encryption", "Beta"] == "✓ met ✎" and dd.UNSURE in dd.legend()
    assert unsure.loc["no-training", "Acme"] == "⚠ conflict"
    beyond = dd.matrix_view(reports, lib, groups=[Group.BEYOND.value], severities=["high"])
    reqs = {r.id: r for r in lib.requirements}
    assert len(beyond) and all(reqs[i].group is Group.BEYOND and reqs[i].severity.value == "high"
                               for i in beyond.index)
    by_sev = dd.matrix_view(reports, lib, sort="severity")["Severity"].tolist()
    assert by_sev == sorted(by_sev, key=["high", "medium", "low"].index)
    styled = dd.style_matrix(full, ["Acme", "Beta"]).to_html()
    assert "#fbdada" in styled and "#d7f2dd" in styled and "#ffe6bf" in styled


def test_terms_view_marks_policy_deviations(lib, reports):
    policy = Policy(max_breach_notice_hours=72, require_eu_location=True)
    table, mask = dd.terms_view(reports, policy)
    assert table.loc["Breach notice (hours)", "Beta"] == "96"
    assert mask.loc["Breach notice (hours)", "Beta"] and not mask.loc["Breach notice (hours)", "Acme"]
    assert mask.loc["Data locations", "Beta"] and mask.loc["No training on customer data", "Beta"]
    devs = dd.deviations_table(reports, policy)
    assert set(devs["vendor"]) == {"Beta"} and "Breach notice (hours)" in set(devs["term"])
    loose = dd.summary_view(reports, lib, policy=Policy(max_breach_notice_hours=None, require_no_training=False))
    strict = dd.summary_view(reports, lib, policy=policy)
    beta = lambda s: s.set_index("vendor").loc["Beta"]  # noqa: E731
    assert beta(strict)["total_gaps"] > beta(loose)["total_gaps"]
    assert beta(strict)["total_gaps"] == beta(strict)[["missing", "conflict", "policy_deviations"]].sum()


def test_policy_files_round_trip_and_bad_ones_are_refused():
    p = Policy(max_breach_notice_hours=24, require_eu_location=True)
    assert dd.policy_from_upload("p.json", dd.policy_json(p)) == p
    assert dd.policy_from_upload("p.yaml", b"max_deletion_days: 14\n").max_deletion_days == 14
    for name, data in [("p.json", b"{not json"), ("p.yaml", b"max_breach_notice_hours: -3\n"),
                       ("p.yaml", b"surprise: 1\n"), ("p.json", b"\xff\xfe")]:
        with pytest.raises(ConfigError):
            dd.policy_from_upload(name, data)


def test_evidence_view_shows_rejected_passages_for_missing(lib, reports):
    from pipeline.store import Decision, Review

    missing = dd.evidence_view(reports[0], "audit")
    assert missing.nearest and missing.passages and missing.status == "missing"
    rv = {"audit": Review("audit", Decision.OVERRIDE, Status.MET, "fine")}
    over = dd.evidence_view(reports[0], "audit", rv)
    assert over.status == "met" and over.checker_status == "missing" and over.review is rv["audit"]
    assert over.headline == "✓ met — ✎ overridden by a reviewer"
    assert missing.headline == "✗ missing"
    assert missing.checker_line == f"checker said: missing (confidence {missing.finding.score:.2f})"
    met = dd.evidence_view(reports[0], "security")
    assert not met.nearest and met.passages[0].page == 2


def test_export_file_per_vendor_and_all(lib, reports):
    one = dd.export_file("csv", reports, lib, None, Policy(), vendor="Beta").decode()
    assert "Beta" in one and "Acme" not in one
    both = dd.export_file("md", reports, lib, None, Policy()).decode()
    assert "## Acme" in both and "## Beta" in both
    assert dd.export_file("xlsx", reports, lib, None, None)[:2] == b"PK"
    assert dd.export_name("xlsx", "Nimbus Notes AI") == "dpa-gaps-nimbus-notes-ai.xlsx"
    with pytest.raises(ValueError):
        dd.export_file("csv", reports, lib, None, None, vendor="Nobody")


# -- page rendering -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def audit_pdf() -> bytes:
    return make_pdf([
        Heading("9. Audits"),
        Para("The supplier keeps records of its processing and makes them available on request."),
        # A forced line break after "in-" exercises hyphenation across lines.
        Para("The supplier allows the customer, or an auditor it appoints, to carry out in-\nspections of "
             "the premises where customer data is processed, with thirty days of notice."),
    ])


def _yellow(png: bytes) -> int:
    """Pixels of the highlight colour (yellow at ~43 % opacity over white paper)."""
    px = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    return int(((r > 240) & (g > 220) & (g < 250) & (b > 100) & (b < 190)).sum())


def test_render_highlights_the_passage_across_a_hyphenated_line_break(audit_pdf):
    passage = ("The supplier allows the customer, or an auditor it appoints, to carry out inspections of the "
               "premises where customer data is processed, with thirty days of notice.")
    boxes = passage_boxes(audit_pdf, 1, passage)
    assert len(boxes) >= 2  # one rectangle per text line
    other = passage_boxes(audit_pdf, 1, "keeps records of its processing and makes them available")
    assert other and max(b.bottom for b in other) < min(b.top for b in boxes)  # the earlier paragraph
    assert passage_boxes(audit_pdf, 1, "nothing like this sentence appears on the page at all") == []
    marked, plain = render_page_png(audit_pdf, 1, passage), render_page_png(audit_pdf, 1)
    assert marked[:8] == b"\x89PNG\r\n\x1a\n"
    assert _yellow(marked) > 500 and _yellow(plain) == 0


def test_render_refuses_bad_pages_and_broken_files(audit_pdf):
    with pytest.raises(ValueError):
        render_page_png(audit_pdf, 2)
    with pytest.raises(CorruptPdfError):
        render_page_png(b"%PDF-1.4 truncated", 1)


def test_policy_json_is_indented_json():
    data = json.loads(dd.policy_json(Policy()))
    assert data["max_breach_notice_hours"] == 72
