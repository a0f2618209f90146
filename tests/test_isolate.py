"""``Options(isolate=True)`` / ``dpa analyze --isolate``: each parse in a child with hard limits."""

from __future__ import annotations

import pytest

from pipeline.analyze import Analyzer, Options
from pipeline.models import DocStatus
from pipeline.parse import ParseLimits
from tests import pdfgen
from tests.test_robustness import bomb_pdf

pytestmark = pytest.mark.model  # the real embedder (shared, cached), so reports are real reports


def _analyzer(real: Analyzer, **kw) -> Analyzer:
    return Analyzer(embedder=real.embedder, library=real.library, matcher=real.matcher, options=Options(**kw))


def test_isolated_parse_gives_the_same_report(analyzer, monkeypatch):
    monkeypatch.setenv("DPA_PARSE_CACHE", "0")
    data = pdfgen.sample_dpa()
    plain = _analyzer(analyzer).analyze_bytes(data, "s.pdf")
    isolated = _analyzer(analyzer, isolate=True).analyze_bytes(data, "s.pdf")
    assert isolated.status == DocStatus.OK
    assert [(f.requirement, f.status) for f in isolated.findings] == \
        [(f.requirement, f.status) for f in plain.findings]
    assert any(f.status.value == "met" for f in isolated.findings)


def test_a_runaway_file_fails_alone_under_isolation(analyzer, tmp_path, monkeypatch):
    monkeypatch.setenv("DPA_PARSE_CACHE", "0")
    good = tmp_path / "good.pdf"
    good.write_bytes(pdfgen.sample_dpa())
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(300))
    # The pre-scan switched off, so only the child's memory limit stands between the bomb and the batch.
    an = _analyzer(analyzer, isolate=True, isolate_memory_bytes=150 << 20,
                   limits=ParseLimits(max_inflated_bytes=1 << 40, max_seconds=20))
    reports = an.analyze_many([bomb, good])
    assert reports[0].status == DocStatus.ERROR and reports[0].error_code == "limit", reports[0].error
    assert "bomb.pdf" in reports[0].error
    assert reports[1].status == DocStatus.OK
