"""View models for ``dashboard.py``: the tables and decisions it shows, free of Streamlit.

The dashboard only lays things out; what it decides (what a matrix cell says, which key term deviates
from the policy, which passages to show, what an export holds) is here, so the same logic is testable
without a browser and reusable from the CLI.

Uploads and the escaping of untrusted text live in :mod:`pipeline.uploads`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
import yaml

from .errors import ConfigError
from .export import (
    LOW_CONFIDENCE,
    NOT_CHECKED,
    SEVERITY_RANK,
    export_bytes,
    matrix,
    summary,
    terms_table,
    vendor_labels,
)
from .library import GROUP_TITLES, Library
from .models import DocStatus, Evidence, Finding, Report, Status
from .policy import Mechanism, Policy, evaluate_policy, policy_from_json
from .store import Decision, Review
from .uploads import display_name
from .vendors import VendorProfile

log = logging.getLogger(__name__)

Reviews = Mapping[str, Mapping[str, Review]]


# Cell colours of the matrix: background and text, readable in light mode and for colour-blind readers
# (the status word and icon are always there too, so colour is never the only signal).
STATUS_STYLE = {
    Status.MET.value: "background-color: #d7f2dd; color: #14532d",
    Status.MISSING.value: "background-color: #fbdada; color: #7f1d1d",
    Status.CONFLICT.value: "background-color: #ffe6bf; color: #7c3a00",
    "error": "background-color: #e5e7eb; color: #374151",
    NOT_CHECKED: "background-color: #f3f4f6; color: #6b7280",
}
# Symbols from DejaVu Sans (present wherever a browser is): emoji fonts are often missing on Linux.
STATUS_ICON = {
    Status.MET.value: "✓",
    Status.MISSING.value: "✗",
    Status.CONFLICT.value: "⚠",
    "error": "!",
    NOT_CHECKED: "…",
}
OVERRIDDEN = "✎"  # a reviewer replaced the checker's status
CONFIRMED = "☑"  # a reviewer accepted it
UNSURE = "?"  # the checker's calibrated confidence is below export.LOW_CONFIDENCE: check the evidence
DEVIATION_STYLE = "background-color: #fbdada; color: #7f1d1d; font-weight: 600"

TERM_LABELS = {
    "breach_notice_hours": "Breach notice (hours)",
    "deletion_days": "Deletion after end (days)",
    "subprocessor_notice_days": "Sub-processor notice (days)",
    "objection_days": "Objection period (days)",
    "audit_scope": "Audit scope",
    "transfer_mechanisms": "Transfer mechanisms",
    "data_locations": "Data locations",
    "no_training": "No training on customer data",
}


def sort_reports(reports: Sequence[Report]) -> list[Report]:
    """Reports in a stable column order: by vendor (else file) name, case-insensitive."""
    return sorted(reports, key=lambda r: ((r.vendor or r.file).casefold(), r.file, r.sha256))


# -- comparison -----------------------------------------------------------------------------------


def _cell(status: str, review: Review | None, unsure: bool = False) -> str:
    mark = f" {UNSURE}" if unsure else ""
    if review is not None:  # a reviewer's word replaces the checker's doubt
        mark = f" {OVERRIDDEN}" if review.decision is Decision.OVERRIDE else f" {CONFIRMED}"
    return f"{STATUS_ICON.get(status, '')} {status}{mark}".strip()


def _unsure(report: Report, requirement: str) -> bool:
    f = report.finding(requirement) if report.status is DocStatus.OK else None
    return f is not None and f.score < LOW_CONFIDENCE


def legend() -> str:
    """One line explaining the matrix cell symbols."""
    parts = [f"{STATUS_ICON[s.value]} {s.value}" for s in Status]
    return " · ".join([*parts, f"{OVERRIDDEN} overridden by a reviewer", f"{CONFIRMED} confirmed by a reviewer",
                       f"{UNSURE} low confidence (below {LOW_CONFIDENCE:.1f}): check the evidence"])


def status_of_cell(cell: str) -> str:
    """The status word inside a matrix cell text (``"❌ missing ✎"`` -> ``"missing"``)."""
    for status in STATUS_STYLE:
        if f" {status}" in f" {cell} ":
            return status
    return ""


def matrix_view(
    reports: Sequence[Report],
    library: Library,
    reviews: Reviews | None = None,
    policy: Policy | None = None,
    groups: Sequence[str] = (),
    severities: Sequence[str] = (),
    only_gaps: bool = False,
    sort: str = "catalogue",
) -> pd.DataFrame:
    """Requirements × vendors with icon + status (+ review mark) per cell, and group/severity columns.

    ``groups`` (values of :class:`~pipeline.library.Group`) and ``severities`` filter rows when given;
    ``only_gaps`` keeps rows where some vendor is not ``met``; ``sort`` is ``catalogue``, ``severity``
    or ``gaps`` (most vendors with a gap first). Index: requirement id.
    """
    reviews = reviews or {}
    base = matrix(reports, library, reviews)
    labels = vendor_labels(reports)
    reqs = {r.id: r for r in library.requirements}
    out = pd.DataFrame(index=base.index)
    out["Group"] = [GROUP_TITLES[reqs[i].group] for i in base.index]
    out["Requirement"] = base["title"]
    out["Severity"] = [(policy.severity_of(i, reqs[i].severity) if policy else reqs[i].severity).value
                       for i in base.index]
    for label, report in zip(labels, reports, strict=True):
        doc_reviews = reviews.get(report.sha256, {})
        out[label] = [_cell(s, doc_reviews.get(i), _unsure(report, i)) for i, s in zip(base.index, base[label],
                                                                                       strict=True)]
    gaps = (base[labels].isin([Status.MISSING.value, Status.CONFLICT.value])).sum(axis=1) if labels else 0
    keep = pd.Series(True, index=base.index)
    if groups:
        keep &= pd.Series([reqs[i].group.value in groups for i in base.index], index=base.index)
    if severities:
        keep &= out["Severity"].isin(severities)
    if only_gaps and labels:
        keep &= gaps > 0
    out = out[keep]
    if sort == "severity":
        out = out.sort_values("Severity", key=lambda s: s.map(SEVERITY_RANK), kind="stable")
    elif sort == "gaps" and labels:
        out = out.assign(_g=gaps[keep]).sort_values("_g", ascending=False, kind="stable").drop(columns="_g")
    return out


def style_matrix(df: pd.DataFrame, vendor_columns: Sequence[str]):
    """A pandas Styler colouring each vendor cell by its status."""
    cols = [c for c in vendor_columns if c in df.columns]
    return df.style.map(lambda v: STATUS_STYLE.get(status_of_cell(str(v)), ""), subset=cols)


SUMMARY_LABELS = {
    "vendor": "Vendor", "missing": "Missing", "conflict": "Conflict", "gaps_high": "High gaps",
    "gaps_medium": "Medium gaps", "gaps_low": "Low gaps", "policy_deviations": "Policy deviations",
    "total_gaps": "Total gaps", "to_verify": "Met, to verify", "reviewed": "Reviewed", "file": "File",
}


def summary_view(reports: Sequence[Report], library: Library, reviews: Reviews | None = None,
                 policy: Policy | None = None) -> pd.DataFrame:
    """Per vendor: met count, gaps by severity, policy deviations, total gaps, low-confidence met findings,
    reviewed findings."""
    s = summary(reports, library, reviews, policy)
    if s.empty:
        return s
    s["total_gaps"] = s["missing"] + s["conflict"] + s["policy_deviations"]
    return s[["vendor", "met", "missing", "conflict", "gaps_high", "gaps_medium", "gaps_low",
              "policy_deviations", "total_gaps", "to_verify", "reviewed", "file"]]


# -- key terms and policy -------------------------------------------------------------------------


def terms_view(reports: Sequence[Report], policy: Policy | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Key terms × vendors (readable row labels) and a same-shaped boolean frame of policy deviations."""
    table = terms_table(reports)
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    if policy is not None:
        for label, report in zip(vendor_labels(reports), reports, strict=True):
            for dev in evaluate_policy(report, policy):
                mask.loc[dev.term, label] = True
    table = table.rename(index=TERM_LABELS).astype(str)
    mask = mask.rename(index=TERM_LABELS)
    table.index.name = mask.index.name = "Key term"
    return table, mask


def style_terms(table: pd.DataFrame, mask: pd.DataFrame):
    """Styler marking the cells that deviate from the policy."""
    return table.style.apply(lambda _: mask.map(lambda d: DEVIATION_STYLE if d else ""), axis=None)


def deviations_table(reports: Sequence[Report], policy: Policy) -> pd.DataFrame:
    """Every policy deviation: vendor, term, what the policy expects, what the DPA says, severity."""
    rows = [
        {"vendor": label, "term": TERM_LABELS.get(d.term, d.term), "expected": d.expected, "actual": d.actual,
         "severity": d.severity.value, "request": d.request}
        for label, report in zip(vendor_labels(reports), reports, strict=True)
        for d in evaluate_policy(report, policy)
    ]
    return pd.DataFrame(rows, columns=["vendor", "term", "expected", "actual", "severity", "request"])


# Policy field -> widget key of the dashboard's policy panel.
POLICY_KEYS = {
    "max_breach_notice_hours": "pol_breach",
    "max_deletion_days": "pol_deletion",
    "min_subprocessor_notice_days": "pol_subnotice",
    "min_objection_days": "pol_objection",
    "require_eu_location": "pol_eu",
    "require_no_training": "pol_notrain",
    "require_onsite_audit": "pol_onsite",
}


def policy_to_state(policy: Policy) -> dict[str, object]:
    """The policy panel's widget values for ``policy`` (fields without a widget ride along in ``pol_rest``)."""
    mechs = policy.accepted_transfer_mechanisms
    return {
        **{key: getattr(policy, name) for name, key in POLICY_KEYS.items()},
        "pol_mech_on": mechs is not None,
        "pol_mech": [m.value for m in (mechs or [])],
        "pol_rest": {"description": policy.description, "severity_overrides": dict(policy.severity_overrides)},
    }


def policy_from_state(state: Mapping[str, object]) -> Policy:
    """The policy the panel's widget values describe (inverse of :func:`policy_to_state`)."""
    mechs = [Mechanism(m) for m in state["pol_mech"]] if state["pol_mech_on"] else None
    return Policy(**{name: state[key] for name, key in POLICY_KEYS.items()},
                  accepted_transfer_mechanisms=mechs, **state["pol_rest"])


def policy_from_upload(name: str, data: bytes) -> Policy:
    """A policy file uploaded in the browser (JSON, or YAML by suffix); :class:`ConfigError` if invalid."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"policy file {display_name(name)} is not UTF-8 text") from exc
    if name.lower().endswith((".yaml", ".yml")):
        try:
            text = json.dumps(yaml.safe_load(text))
        except yaml.YAMLError as exc:
            raise ConfigError(f"policy file {display_name(name)} is not valid YAML: {exc}") from exc
    return policy_from_json(text, where=f"policy file {display_name(name)}")


def policy_json(policy: Policy) -> bytes:
    """The policy as an indented JSON file (what the import reads back)."""
    return (json.dumps(policy.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n").encode()


def favicon():
    """The page icon, drawn here (a blue square with a check mark): an emoji or ``:material/…:`` icon
    would make the browser fetch it from a CDN, and nothing may leave the machine."""
    from PIL import Image, ImageDraw  # Pillow comes with pdfplumber

    im = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    draw.rounded_rectangle((2, 2, 62, 62), radius=12, fill=(31, 95, 153, 255))
    draw.line([(16, 34), (28, 46), (48, 20)], fill=(255, 255, 255, 255), width=7)
    return im


# -- evidence, review, vendor profile -------------------------------------------------------------


@dataclass
class EvidenceView:
    """What the evidence panel shows for one requirement of one document."""

    finding: Finding | None
    status: str  # after review
    checker_status: str
    passages: list[Evidence] = field(default_factory=list)
    nearest: bool = False  # the passages were rejected (a missing finding shows why)
    review: Review | None = None

    @property
    def headline(self) -> str:
        """Status with its symbol, and who decided it: ``"✓ met — ✎ overridden by a reviewer"``."""
        who = ""
        if self.review is not None:
            who = (f" — {OVERRIDDEN} overridden by a reviewer" if self.review.decision is Decision.OVERRIDE
                   else f" — {CONFIRMED} confirmed by a reviewer")
        return f"{STATUS_ICON.get(self.status, '')} {self.status}{who}".strip()

    @property
    def checker_line(self) -> str:
        """What the checker decided and its calibrated confidence: ``"checker said: met (confidence 0.93)"``."""
        if self.finding is None:
            return f"checker said: {self.checker_status}"
        return f"checker said: {self.checker_status} (confidence {self.finding.score:.2f})"


def evidence_view(report: Report, requirement: str, reviews: Mapping[str, Review] | None = None) -> EvidenceView:
    """Deciding passages of a finding, or for a ``missing`` one the nearest rejected passages."""
    finding = report.finding(requirement)
    review = (reviews or {}).get(requirement)
    if finding is None:
        status = review.status.value if review and review.status else NOT_CHECKED
        return EvidenceView(None, status, NOT_CHECKED, review=review)
    status = review.effective(finding.status).value if review else finding.status.value
    if finding.evidence:
        return EvidenceView(finding, status, finding.status.value, list(finding.evidence), False, review)
    return EvidenceView(finding, status, finding.status.value, list(finding.rejected), True, review)


def review_history_table(history: Sequence[Review]) -> pd.DataFrame:
    """A reviewer's decisions on one requirement, newest first."""
    rows = [{"when": r.created_at[:19].replace("T", " "), "decision": r.decision.value,
             "status": r.status.value if r.status else "", "note": r.note, "reviewer": r.reviewer}
            for r in reversed(history)]
    return pd.DataFrame(rows, columns=["when", "decision", "status", "note", "reviewer"])


def profile_table(profile: VendorProfile) -> pd.DataFrame:
    """A vendor profile as field/value rows."""
    rows = [
        ("Legal entity", profile.legal_entity),
        ("Headquarters", profile.hq_country),
        ("Hosting regions", ", ".join(profile.hosting_regions) or "not known"),
        ("EU-US DPF certified", str(getattr(profile.dpf_certified, "value", profile.dpf_certified))),
        ("EU data residency", str(getattr(profile.eu_data_residency, "value", profile.eu_data_residency))),
        ("Published DPA", profile.dpa_url or "not known"),
        ("Category", profile.category or ""),
        ("Profile last reviewed", profile.last_reviewed),
    ]
    rows += [("Note", n) for n in profile.notes]
    if profile.fictional:
        rows.append(("Note", "fictional example vendor"))
    return pd.DataFrame(rows, columns=["field", "value"])


# -- exports --------------------------------------------------------------------------------------

EXPORT_FORMATS = {  # format -> (button label, MIME type)
    "xlsx": ("Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("Gap list (CSV)", "text/csv"),
    "md": ("Gap list (Markdown)", "text/markdown"),
}


GAP_PREVIEW_COLUMNS = ["vendor", "kind", "severity", "title", "status", "confidence", "reviewed", "review_note",
                       "evidence", "page", "request"]


def export_name(fmt: str, vendor: str | None = None) -> str:
    """File name of an export: ``dpa-gaps-<vendor or all-vendors>.<fmt>``, safe on every OS."""
    slug = re.sub(r"[^0-9a-z]+", "-", (vendor or "all-vendors").casefold()).strip("-") or "vendor"
    return f"dpa-gaps-{slug}.{fmt}"


def export_file(fmt: str, reports: Sequence[Report], library: Library, reviews: Reviews | None,
                policy: Policy | None, vendor: str | None = None) -> bytes:
    """The export in ``fmt`` (gaps after review, policy deviations included).

    ``vendor`` is a label from :func:`~pipeline.export.vendor_labels` to export one vendor, else all.
    """
    chosen = list(reports)
    if vendor is not None:
        labels = vendor_labels(reports)
        chosen = [r for label, r in zip(labels, reports, strict=True) if label == vendor]
        if not chosen:
            raise ValueError(f"no vendor labelled {vendor!r}")
    return export_bytes(fmt, chosen, library, reviews, policy)
