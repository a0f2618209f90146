"""The JSON report contract (shared/spec/report.md) and the CLI's behaviour, on the bundled examples."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from pipeline.cli import main

from .conftest import EXAMPLES, spec_ids

pytestmark = pytest.mark.model
TERM_KEYS = {"breach_notice_hours", "deletion_days", "subprocessor_notice_days", "objection_days", "audit_scope",
             "transfer_mechanisms", "data_locations", "no_training"}


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    return {"DPA_CACHE": str(d / "emb.sqlite3"), "DPA_DB": str(d / "db.sqlite3")}


@pytest.fixture(scope="module")
def batch(tmp_path_factory, cli_env):
    """A batch with the three examples and one renamed non-PDF in the middle."""
    d = tmp_path_factory.mktemp("batch")
    bad = d / "contract.pdf"
    bad.write_bytes(b"PK\x03\x04 this is really a docx")
    files = [EXAMPLES / "chatterly.pdf", bad, EXAMPLES / "ledgerline.pdf", EXAMPLES / "nimbus-notes-ai.pdf"]
    res = CliRunner().invoke(main, ["analyze", *map(str, files), "--format", "json"], env=cli_env)
    return files, res


def test_json_is_one_array_in_input_order_and_exit_1_when_a_file_failed(batch):
    files, res = batch
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert [d["file"] for d in data] == [f.name for f in files]
    bad = data[1]
    assert bad["status"] == "error" and "not a PDF" in bad["error"]
    assert all(d["status"] == "ok" for i, d in enumerate(data) if i != 1)


def test_every_report_has_all_requirements_in_spec_order_with_evidence(batch):
    _, res = batch
    ids = spec_ids()
    for d in json.loads(res.stdout):
        if d["status"] != "ok":
            continue
        assert d["schema"] == "dpa-report/1"
        assert len(d["sha256"]) == 64 and d["pages"] >= 2 and d["language"] == "en"
        assert [f["requirement"] for f in d["findings"]] == ids
        assert set(d["terms"]) >= TERM_KEYS
        assert set(d["provenance"]) >= {"tool_version", "model", "clause_library"}
        for f in d["findings"]:
            assert f["status"] in {"met", "missing", "conflict"}
            assert 0.0 <= f["score"] <= 1.0
            if f["status"] != "missing":
                assert f["evidence"], f
            for e in f["evidence"] + f["rejected"]:
                assert isinstance(e["page"], int) and 1 <= e["page"] <= d["pages"]
                assert isinstance(e["section"], str) and e["text"].strip()


def test_vendor_names_are_detected_from_text(batch):
    _, res = batch
    vendors = [d["vendor"] for d in json.loads(res.stdout) if d["status"] == "ok"]
    assert vendors == ["Chatterly", "Ledgerline", "Nimbus Notes AI"]


def test_folder_argument_takes_pdfs_sorted_and_only_json_on_stdout(cli_env):
    res = CliRunner().invoke(main, ["analyze", str(EXAMPLES), "--format", "json", "--vendor", "Acme"],
                             env=cli_env)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)  # nothing else on stdout
    assert [d["file"] for d in data] == sorted(p.name for p in EXAMPLES.glob("*.pdf"))
    assert {d["vendor"] for d in data} == {"Acme"}


def test_table_markdown_and_csv_formats(cli_env):
    pdf = str(EXAMPLES / "nimbus-notes-ai.pdf")
    table = CliRunner().invoke(main, ["analyze", pdf], env=cli_env)
    assert table.exit_code == 0
    assert "no-training" in table.stdout and "Nimbus Notes AI" in table.stdout and "key terms" in table.stdout
    # A key term too long for its column is cut with an ellipsis, never mid-word without one.
    wide = CliRunner().invoke(main, ["analyze", str(EXAMPLES / "chatterly.pdf")], env=cli_env)
    locations = next(line for line in wide.stdout.splitlines() if line.lstrip().startswith("Data locations"))
    assert locations.rstrip().endswith("…") and "France" in locations, locations
    md = CliRunner().invoke(main, ["analyze", pdf, "--format", "markdown"], env=cli_env)
    assert md.stdout.startswith("# DPA review") and "Request:" in md.stdout
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(main, ["analyze", pdf, "--format", "csv"],
                                                              env=cli_env).stdout)))
    assert len(rows) == 31 and {r["status"] for r in rows} <= {"met", "missing", "conflict"}


def test_missing_path_is_a_file_error_not_a_crash(cli_env, tmp_path):
    res = CliRunner().invoke(main, ["analyze", str(tmp_path / "nope.pdf"), "--format", "json"], env=cli_env)
    assert res.exit_code == 1
    assert json.loads(res.stdout)[0]["error_code"] == "io"


def test_export_gap_list_csv_from_pdfs(cli_env, tmp_path):
    out = tmp_path / "gaps.csv"
    res = CliRunner().invoke(main, ["export", str(EXAMPLES / "ledgerline.pdf"), "-o", str(out)], env=cli_env)
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and all(r["vendor"] == "Ledgerline" for r in rows)


def test_a_defect_on_one_file_fails_only_that_file(tmp_path, monkeypatch):
    """An unexpected exception inside the pipeline becomes that file's error; the batch goes on."""
    import pipeline.analyze as analyze_mod
    from pipeline.analyze import Analyzer
    from tests.conftest import FakeEmbedder

    class Wide(FakeEmbedder):
        dim = 384

    real = analyze_mod.chunk_document

    def flaky(doc, **kw):
        if doc.name == "chatterly.pdf":
            raise RuntimeError("boom")
        return real(doc, **kw)

    monkeypatch.setattr(analyze_mod, "chunk_document", flaky)
    an = Analyzer(embedder=Wide())
    an.parse_cache = analyze_mod.ParseCache(None)
    reports = an.analyze_many([EXAMPLES / "chatterly.pdf", EXAMPLES / "ledgerline.pdf"])
    assert [r.status.value for r in reports] == ["error", "ok"]
    assert reports[0].error_code == "internal" and "RuntimeError" in reports[0].error
