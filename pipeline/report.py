"""Rendering reports for people and programs: JSON (the contract), a terminal table, Markdown and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from .library import GROUP_TITLES, Library
from .models import DocStatus, Report

SYMBOL = {"met": "✓ met", "missing": "✗ missing", "conflict": "! conflict"}
COLOUR = {"met": "\033[32m", "missing": "\033[33m", "conflict": "\033[31m"}
RESET = "\033[0m"
TERM_LABELS = {
    "breach_notice_hours": "Breach notice (hours)",
    "deletion_days": "Deletion (days)",
    "subprocessor_notice_days": "Sub-processor notice (days)",
    "objection_days": "Objection window (days)",
    "audit_scope": "Audit scope",
    "transfer_mechanisms": "Transfer mechanisms",
    "data_locations": "Data locations",
    "no_training": "No training on customer data",
}


def to_json(reports: Sequence[Report]) -> str:
    """The ``dpa-report/1`` array, one object per input file, in input order."""
    return json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False)


def _label(r: Report) -> str:
    return r.vendor or r.file


def _term(value) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with an ellipsis where it was cut ("France, Germany, E" misleads)."""
    return text if len(text) <= width else text[:width - 1].rstrip(" ,;") + "…"


def to_table(reports: Sequence[Report], library: Library, *, colour: bool = False, width: int = 18) -> str:
    """Requirements × documents, grouped by catalogue section, then the key terms and any errors."""
    cols = [_fit(_label(r), width) for r in reports]
    head = f"{'requirement':32s}" + "".join(f"{c:>{width + 2}s}" for c in cols)
    out = [head, "-" * len(head)]
    group = None
    for req in library.requirements:
        if req.group != group:
            group = req.group
            out.append(f"[{GROUP_TITLES[group]}]")
        row = f"  {req.id:30s}"
        for r in reports:
            if r.status != DocStatus.OK:
                cell = "error"
                row += f"{cell:>{width + 2}s}"
                continue
            f = r.finding(req.id)
            st = f.status.value if f else "?"
            cell = f"{SYMBOL.get(st, st)} p{f.evidence[0].page}" if f and f.evidence and st != "missing" \
                else SYMBOL.get(st, st)
            padded = f"{cell:>{width + 2}s}"
            row += f"{COLOUR[st]}{padded}{RESET}" if colour and st in COLOUR else padded
        out.append(row)
    out.append("")
    out.append("key terms")
    for key, label in TERM_LABELS.items():
        out.append(f"  {label:30s}" + "".join(
            f"{_fit(_term(getattr(r.terms, key)) if r.status == DocStatus.OK else '', width):>{width + 2}s}"
            for r in reports))
    summary = []
    for r in reports:
        if r.status == DocStatus.OK:
            counts = {s: sum(f.status.value == s for f in r.findings) for s in ("met", "missing", "conflict")}
            summary.append(f"{_label(r)}: {counts['met']} met, {counts['missing']} missing, "
                           f"{counts['conflict']} conflict ({r.pages} pages)")
        else:
            summary.append(f"{r.file}: ERROR {r.error}")
        summary.extend(f"  warning: {w}" for w in r.warnings)
    return "\n".join([*out, "", *summary])


def to_markdown(reports: Sequence[Report], library: Library) -> str:
    """A Markdown report: the matrix, then per document the gaps with evidence and the clause to request."""
    esc = lambda s: str(s).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = ["# DPA review", "", "| requirement | " + " | ".join(esc(_label(r)) for r in reports) + " |",
             "|---|" + "---|" * len(reports)]
    for req in library.requirements:
        cells = []
        for r in reports:
            f = r.finding(req.id) if r.status == DocStatus.OK else None
            cells.append(f.status.value if f else "error")
        lines.append(f"| {req.id} | " + " | ".join(cells) + " |")
    for r in reports:
        lines += ["", f"## {esc(_label(r))} ({esc(r.file)})", ""]
        if r.status != DocStatus.OK:
            lines.append(f"Error: {esc(r.error)}")
            continue
        lines.append("Key terms: " + "; ".join(f"{TERM_LABELS[k]}: {esc(_term(getattr(r.terms, k)))}"
                                               for k in TERM_LABELS))
        lines.append("")
        for f in r.findings:
            if f.status.value == "met":
                continue
            req = library.get(f.requirement)
            lines.append(f"- **{req.title}** ({req.source}) — {f.status.value}: {esc(f.why)}")
            for e in f.evidence[:1]:
                lines.append(f"  - p. {e.page} {esc(e.section)}: “{esc(e.text[:300])}”")
            lines.append(f"  - Request: {esc(req.request)}")
    return "\n".join(lines) + "\n"


def to_csv(reports: Sequence[Report]) -> str:
    """One row per (document, requirement): status, score, best evidence with page and section."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["file", "vendor", "requirement", "status", "score", "page", "section", "evidence", "error"])
    for r in reports:
        if r.status != DocStatus.OK:
            w.writerow([r.file, r.vendor or "", "", "error", "", "", "", "", r.error])
            continue
        for f in r.findings:
            e = f.evidence[0] if f.evidence else None
            w.writerow([r.file, r.vendor or "", f.requirement, f.status.value, f"{f.score:.3f}",
                        e.page if e else "", e.section if e else "", e.text if e else "", ""])
    return buf.getvalue()
