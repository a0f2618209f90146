"""Gap lists, requirement matrices and term tables, as DataFrames and as CSV / Markdown / Excel / JSON.

A *gap* is a requirement whose status, after any reviewer override, is not ``met``, plus every key
term that deviates from the company policy. Each row carries what a negotiator needs: the legal
source, the best passage with its page and section, and the clause to request from the vendor.
A ``met`` the checker is unsure of (confidence below :data:`LOW_CONFIDENCE`, no reviewer has looked)
follows the gaps as a ``verify`` row: a missed gap gives false assurance, so the list says what to read.

Exported files are opened in spreadsheet programs, and passages come from vendor documents, so every
text cell that a spreadsheet would read as a formula is defused (CSV/formula injection).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import fields
from pathlib import Path

import pandas as pd

from .library import Library, Severity
from .models import DocStatus, Report, Status, Terms
from .policy import Policy, evaluate_policy
from .sheets import safe_cell, sheet_name, workbook
from .store import Decision, Review

log = logging.getLogger(__name__)

Reviews = Mapping[str, Mapping[str, Review]]

EVIDENCE_CHARS = 300
SEVERITY_RANK = {Severity.HIGH.value: 0, Severity.MEDIUM.value: 1, Severity.LOW.value: 2}
NOT_CHECKED = "not checked"  # the report predates a requirement of the current library
# Findings below this confidence were right 60 % of the time on snt-train and 90 % on vendors-dev in dpa eval
# (docs/accuracy.md, reliability); weaker readings (match.WEAK_RULES) are scored below it on purpose.
LOW_CONFIDENCE = 0.6
COLUMNS = [
    "vendor", "file", "sha256", "kind", "requirement", "title", "group", "source", "severity", "status",
    "checker_status", "confidence", "reviewed", "review_note", "evidence", "evidence_kind", "page", "section",
    "request",
]
FORMATS = ("csv", "md", "xlsx", "json")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def vendor_labels(reports: Sequence[Report]) -> list[str]:
    """A display name per report: the vendor (else the file stem), with the file added where two clash."""
    base = [r.vendor or Path(r.file).stem or r.sha256[:12] for r in reports]
    return [f"{b} ({r.file})" if base.count(b) > 1 else b for b, r in zip(base, reports, strict=True)]


def _clip(text: str, limit: int = EVIDENCE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _row(**kw: object) -> dict[str, object]:
    row: dict[str, object] = {c: kw.get(c) for c in COLUMNS}
    row["reviewed"] = bool(kw.get("reviewed", False))
    for c in ("requirement", "review_note", "evidence_kind", "section", "request", "source", "group"):
        row[c] = row[c] or ""
    return row


def gap_rows(
    reports: Sequence[Report],
    library: Library,
    reviews: Reviews | None = None,
    policy: Policy | None = None,
) -> pd.DataFrame:
    """One row per gap (columns :data:`COLUMNS`), per vendor by severity, then catalogue order.

    A failed report contributes one ``kind="error"`` row and a report without any gap one ``kind="none"`` row,
    so an exported batch never hides a document. Unreviewed ``met`` findings below :data:`LOW_CONFIDENCE`
    follow a vendor's gaps as ``kind="verify"`` rows (status ``met``, the passage that met it).
    """
    if policy is not None:
        policy.check_against(library)
    reviews = reviews or {}
    order = {rid: i for i, rid in enumerate(library.ids)}
    rows: list[dict[str, object]] = []
    for label, report in zip(vendor_labels(reports), reports, strict=True):
        doc = {"vendor": label, "file": report.file, "sha256": report.sha256}
        if report.status is not DocStatus.OK:
            rows.append(_row(**doc, kind="error", status="error", severity=Severity.HIGH.value,
                             title="Analysis failed", evidence=report.error or report.error_code or ""))
            continue
        doc_reviews = reviews.get(report.sha256, {})
        first = len(rows)
        for req in library.requirements:
            finding = report.finding(req.id)
            review = doc_reviews.get(req.id)
            auto = finding.status.value if finding else NOT_CHECKED
            status = review.effective(finding.status).value if (review and finding) else auto
            if review and not finding and review.decision is Decision.OVERRIDE and review.status:
                status = review.status.value
            unsure = review is None and finding is not None and finding.score < LOW_CONFIDENCE
            if status == Status.MET.value and not unsure:
                continue
            passage, kind = None, ""
            if finding and finding.evidence:
                passage, kind = finding.evidence[0], "supporting"
            elif finding and finding.rejected:
                passage, kind = finding.rejected[0], "nearest"  # shows the reviewer why it was rejected
            sev = policy.severity_of(req.id, req.severity) if policy else req.severity
            rows.append(_row(
                **doc, kind="verify" if status == Status.MET.value else "requirement", requirement=req.id,
                title=req.title, group=req.group.value,
                source=req.source, severity=sev.value, status=status, checker_status=auto,
                # The checker's calibrated confidence in its own status: low values are the gaps to verify first.
                confidence=round(finding.score, 2) if finding else None,
                reviewed=review is not None, review_note=review.note if review else "",
                evidence=_clip(passage.text) if passage else "", evidence_kind=kind,
                page=passage.page if passage else None, section=passage.section if passage else "",
                request=req.request,
            ))
        for dev in evaluate_policy(report, policy) if policy else []:
            req = next((r for r in library.requirements if r.id == dev.requirement), None)
            rows.append(_row(
                **doc, kind="policy", requirement=dev.requirement, title=f"Policy: {dev.term}",
                group="policy", source="Company policy" + (f"; {req.source}" if req else ""),
                severity=dev.severity.value, status="deviation", checker_status=dev.actual,
                reviewed=False, review_note="", evidence=dev.message, evidence_kind="",
                section="", request=dev.request,
            ))
        if all(r["kind"] == "verify" for r in rows[first:]):
            rows.append(_row(**doc, kind="none", status="no gaps", title="No gaps found"))
    df = pd.DataFrame(rows, columns=COLUMNS)
    if df.empty:
        return df
    vendor_pos = {label: i for i, label in enumerate(vendor_labels(reports))}
    df = df.assign(
        _v=df["vendor"].map(vendor_pos), _x=(df["kind"] == "verify").astype(int),
        _s=df["severity"].map(SEVERITY_RANK).fillna(3), _o=df["requirement"].map(order).fillna(len(order)),
        _k=(df["kind"] == "policy").astype(int),
    ).sort_values(["_v", "_x", "_s", "_o", "_k"], kind="stable").drop(columns=["_v", "_x", "_s", "_o", "_k"])
    df["page"] = df["page"].astype("Int64")
    df["reviewed"] = df["reviewed"].astype("boolean")
    return df.reset_index(drop=True)


def matrix(reports: Sequence[Report], library: Library, reviews: Reviews | None = None) -> pd.DataFrame:
    """Requirements (rows, catalogue order) × vendors (columns): the status after review.

    The first column is the requirement title; a failed report's column reads ``error``.
    """
    reviews = reviews or {}
    data: dict[str, list[str]] = {"title": [r.title for r in library.requirements]}
    for label, report in zip(vendor_labels(reports), reports, strict=True):
        col = []
        for req in library.requirements:
            finding = report.finding(req.id)
            review = reviews.get(report.sha256, {}).get(req.id)
            if report.status is not DocStatus.OK:
                col.append("error")
            elif finding is None:
                col.append(review.status.value if review and review.status else NOT_CHECKED)
            else:
                col.append(review.effective(finding.status).value if review else finding.status.value)
        data[label] = col
    return pd.DataFrame(data, index=pd.Index(library.ids, name="requirement"))


def _term_value(value: object) -> object:
    if value is None or value == [] or value == "":
        return "not stated"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


def terms_table(reports: Sequence[Report]) -> pd.DataFrame:
    """Key terms (rows) × vendors (columns), for side-by-side comparison; ``not stated`` where none."""
    names = [f.name for f in fields(Terms)]
    data = {
        label: [_term_value(getattr(r.terms, n)) if r.status is DocStatus.OK else "error" for n in names]
        for label, r in zip(vendor_labels(reports), reports, strict=True)
    }
    return pd.DataFrame(data, index=pd.Index(names, name="term"), dtype=object)


def summary(
    reports: Sequence[Report], library: Library, reviews: Reviews | None = None, policy: Policy | None = None,
) -> pd.DataFrame:
    """Per vendor: statuses after review, requirement gaps by severity, policy deviations, reviews, and
    ``to_verify``: unreviewed ``met`` findings below :data:`LOW_CONFIDENCE`."""
    gaps = gap_rows(reports, library, reviews, policy)
    mat = matrix(reports, library, reviews)
    rows = []
    for label, report in zip(vendor_labels(reports), reports, strict=True):
        mine = gaps[gaps["vendor"] == label]
        req_gaps = mine[mine["kind"] == "requirement"]
        rows.append({
            "vendor": label, "file": report.file, "status": report.status.value,
            "met": int((mat[label] == Status.MET.value).sum()),
            "missing": int((mat[label] == Status.MISSING.value).sum()),
            "conflict": int((mat[label] == Status.CONFLICT.value).sum()),
            **{f"gaps_{s.value}": int((req_gaps["severity"] == s.value).sum()) for s in Severity},
            "policy_deviations": int((mine["kind"] == "policy").sum()),
            "to_verify": int((mine["kind"] == "verify").sum()),
            "reviewed": len((reviews or {}).get(report.sha256, {})),
        })
    return pd.DataFrame(rows)


# -- writers ----------------------------------------------------------------------------------------


def _emit(data: bytes, path: Path | str | None) -> bytes:
    if path is not None:
        Path(path).write_bytes(data)
    return data


def to_csv(df: pd.DataFrame, path: Path | str | None = None) -> bytes:
    """CSV (UTF-8) of a table, formula-safe; a named index is written as the first column."""
    if df.index.name is not None:
        df = df.reset_index()
    safe = df.apply(lambda col: col.map(safe_cell))  # Series.map: DataFrame.map needs pandas 2.1
    return _emit(safe.to_csv(index=False).encode("utf-8"), path)


def _md(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _md_table(rows: pd.DataFrame) -> list[str]:
    out = ["| Severity | Requirement | Status | Evidence | Clause to request |", "|---|---|---|---|---|"]
    for r in rows.itertuples(index=False):
        req = f"**{_md(r.title)}**"
        if r.requirement:
            req += f" ({_md(r.requirement)}; {_md(r.source)})"
        status = _md(r.status) + (f" (reviewed: {_md(r.review_note) or 'no note'})" if r.reviewed else "")
        if r.kind == "verify":
            status += f" (confidence {r.confidence:.2f})"
        ev = _md(r.evidence)
        if ev and r.evidence_kind == "nearest":
            ev = "nearest, rejected: " + ev
        where = ", ".join(x for x in (f"p. {r.page}" if pd.notna(r.page) else "", _md(r.section)) if x)
        if ev and where:
            ev += f" ({where})"
        out.append(f"| {_md(r.severity)} | {req} | {status} | {ev} | {_md(r.request)} |")
    return [*out, ""]


def to_markdown(df: pd.DataFrame, path: Path | str | None = None, vendors: Sequence[str] = ()) -> bytes:
    """A readable gap list (from :func:`gap_rows`), one section per vendor; ``vendors`` lists all
    vendors to show, so one without gaps still appears ("No gaps"). Low-confidence ``met`` findings
    follow a vendor's gaps in a table of their own."""
    out = ["# DPA gap list", ""]
    for vendor in list(dict.fromkeys([*vendors, *df["vendor"]])):
        mine = df[(df["vendor"] == vendor) & (df["kind"] != "none")]
        gaps, verify = mine[mine["kind"] != "verify"], mine[mine["kind"] == "verify"]
        out += [f"## {_md(vendor)}", ""]
        if gaps.empty:
            out += ["No gaps.", ""]
        else:
            files = ", ".join(dict.fromkeys(gaps["file"]))
            counts = ", ".join(f"{(gaps['severity'] == s.value).sum()} {s.value}" for s in Severity)
            out += [f"File: {_md(files)}. {len(gaps)} gaps ({counts}).", "", *_md_table(gaps)]
        if not verify.empty:
            out += [f"Met, but with low confidence (below {LOW_CONFIDENCE:.1f}): read the passage before "
                    f"relying on it ({len(verify)}).", "", *_md_table(verify)]
    return _emit("\n".join(out).encode("utf-8"), path)


VENDOR_SHEET_COLUMNS = [
    "severity", "requirement", "title", "source", "status", "checker_status", "confidence", "reviewed",
    "review_note", "evidence", "page", "section", "request", "kind",
]


def to_excel(
    reports: Sequence[Report],
    library: Library,
    reviews: Reviews | None = None,
    policy: Policy | None = None,
    path: Path | str | None = None,
) -> bytes:
    """Workbook: "Summary", one gap sheet per vendor, "Matrix" and "Terms"; returns the .xlsx bytes."""
    gaps = gap_rows(reports, library, reviews, policy)
    labels = vendor_labels(reports)
    taken: set[str] = {"Summary", "Matrix", "Terms"}
    names = [sheet_name(label, taken) for label in labels]
    pages = [("Summary", summary(reports, library, reviews, policy), ())]
    pages += [(name, gaps.loc[gaps["vendor"] == label, VENDOR_SHEET_COLUMNS], ("evidence", "request", "review_note"))
              for label, name in zip(labels, names, strict=True)]
    pages += [("Matrix", matrix(reports, library, reviews), ()), ("Terms", terms_table(reports), ())]
    return _emit(workbook(pages), path)


def export_bytes(
    fmt: str,
    reports: Sequence[Report],
    library: Library,
    reviews: Reviews | None = None,
    policy: Policy | None = None,
    table: str = "gaps",
) -> bytes:
    """The export in ``fmt`` (csv, md, xlsx, json) as bytes, for a download button or a file.

    ``table`` picks what csv and json carry: ``gaps``, ``matrix``, ``terms`` or ``summary``;
    md is always the gap list and xlsx holds all of them.
    """
    fmt = fmt.lower().lstrip(".")
    fmt = {"markdown": "md", "excel": "xlsx"}.get(fmt, fmt)
    if fmt == "xlsx":
        return to_excel(reports, library, reviews, policy)
    if fmt == "md":
        return to_markdown(gap_rows(reports, library, reviews, policy), vendors=vendor_labels(reports))
    tables = {
        "gaps": lambda: gap_rows(reports, library, reviews, policy),
        "matrix": lambda: matrix(reports, library, reviews),
        "terms": lambda: terms_table(reports),
        "summary": lambda: summary(reports, library, reviews, policy),
    }
    if table not in tables:
        raise ValueError(f"unknown table {table!r}; choose one of {sorted(tables)}")
    df = tables[table]()
    if fmt == "csv":
        return to_csv(df)
    if fmt == "json":
        if df.index.name is not None:
            df = df.reset_index()
        return json.dumps(json.loads(df.to_json(orient="records")), indent=2, ensure_ascii=False).encode()
    raise ValueError(f"unknown export format {fmt!r}; choose one of {FORMATS}")


def export(
    fmt: str,
    path: Path | str,
    reports: Sequence[Report],
    library: Library,
    reviews: Reviews | None = None,
    policy: Policy | None = None,
    table: str = "gaps",
) -> bytes:
    """Write :func:`export_bytes` to ``path`` and return the bytes."""
    data = export_bytes(fmt, reports, library, reviews, policy, table)
    log.info("exported %s (%d bytes) to %s", fmt, len(data), path)
    return _emit(data, path)
