"""Value objects that cross stage boundaries: parsed blocks, chunks, findings, terms and reports.

The JSON shape of :class:`Report` is the contract ``dpa-report/1`` of ``shared/spec/report.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

SCHEMA = "dpa-report/1"


class Status(str, Enum):
    """Decision for one requirement in one document."""

    MET = "met"
    MISSING = "missing"
    CONFLICT = "conflict"


class DocStatus(str, Enum):
    """Outcome of analysing one document."""

    OK = "ok"
    ERROR = "error"


class BlockKind(str, Enum):
    """What a parsed block is, so the chunker can keep headings and table rows apart."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    TABLE_ROW = "table_row"


@dataclass
class Block:
    """A paragraph, heading or table row in reading order, with the page and section it sits in."""

    text: str
    page: int  # 1-based
    section: str = ""  # the nearest numbered heading above it, e.g. "9. Audits"
    kind: BlockKind = BlockKind.PARAGRAPH
    pages: tuple[int, ...] = ()  # every page a paragraph spans (a paragraph may cross a page break)
    # (offset in text, page) where a paragraph continues on a new page, so a chunk's page can be exact
    page_breaks: tuple[tuple[int, int], ...] = ()


@dataclass
class ParsedDocument:
    """What the parser hands to the chunker."""

    name: str
    sha256: str
    pages: int
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All block texts joined by blank lines (used for language and vendor detection)."""
        return "\n\n".join(b.text for b in self.blocks)


@dataclass
class Chunk:
    """A matching unit: one sentence (or sentence group / table row) inside a single section."""

    index: int
    text: str
    page: int
    section: str = ""
    kind: BlockKind = BlockKind.PARAGRAPH
    block: int = 0  # index of the block it came from
    start: int = 0  # character offsets inside that block's text
    end: int = 0
    context: str = ""  # the whole block text, for rules that need the surrounding clause


# A rule reader: the chunks that state a fact, each with the facts it states (pipeline/duties.py, subprocessors.py,
# annex.py).
Finder = Callable[[list[Chunk]], list[tuple[Chunk, list[str]]]]


@dataclass
class Evidence:
    """A passage that decided (or, for a missing finding, was rejected for) a status."""

    page: int
    section: str
    text: str
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON form: page, section, text and the passage's own score."""
        return {"page": self.page, "section": self.section, "text": self.text, "score": round(self.score, 4)}


@dataclass
class Finding:
    """The decision for one requirement, with the passages that support it and why."""

    requirement: str
    status: Status
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    rejected: list[Evidence] = field(default_factory=list)
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``findings[]`` in the report contract)."""
        return {
            "requirement": self.requirement,
            "status": self.status.value,
            "score": round(float(self.score), 4),
            "evidence": [e.to_dict() for e in self.evidence],
            "rejected": [e.to_dict() for e in self.rejected],
            "why": self.why,
        }


@dataclass
class Terms:
    """Key terms of catalogue section D; ``None`` / empty where the document states none."""

    breach_notice_hours: int | None = None
    deletion_days: int | None = None
    subprocessor_notice_days: int | None = None
    objection_days: int | None = None
    audit_scope: str | None = None  # "onsite" | "reports"
    transfer_mechanisms: list[str] = field(default_factory=list)  # SCC, DPF, BCR, adequacy
    data_locations: list[str] = field(default_factory=list)
    no_training: str = "silent"  # commits | silent | reserves

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``terms`` in the report contract)."""
        return asdict(self)


@dataclass
class Report:
    """Everything known about one analysed (or failed) document."""

    file: str
    sha256: str = ""
    vendor: str | None = None
    status: DocStatus = DocStatus.OK
    error: str | None = None
    error_code: str | None = None
    pages: int = 0
    language: str | None = None
    findings: list[Finding] = field(default_factory=list)
    terms: Terms = field(default_factory=Terms)
    provenance: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def finding(self, requirement: str) -> Finding | None:
        """The finding for one requirement id, if any."""
        return next((f for f in self.findings if f.requirement == requirement), None)

    def to_dict(self) -> dict[str, Any]:
        """The ``dpa-report/1`` JSON object."""
        return {
            "schema": SCHEMA,
            "file": self.file,
            "sha256": self.sha256,
            "vendor": self.vendor,
            "status": self.status.value,
            "error": self.error,
            "error_code": self.error_code,
            "pages": self.pages,
            "language": self.language,
            "findings": [f.to_dict() for f in self.findings],
            "terms": self.terms.to_dict(),
            "provenance": self.provenance,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "warnings": self.warnings,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        """Rebuild a report from its JSON form (the store and the dashboard read reports back)."""
        findings = [
            Finding(
                requirement=f["requirement"],
                status=Status(f["status"]),
                score=f.get("score", 0.0),
                evidence=[Evidence(**e) for e in f.get("evidence", [])],
                rejected=[Evidence(**e) for e in f.get("rejected", [])],
                why=f.get("why", ""),
            )
            for f in d.get("findings", [])
        ]
        return cls(
            file=d["file"],
            sha256=d.get("sha256", ""),
            vendor=d.get("vendor"),
            status=DocStatus(d.get("status", "ok")),
            error=d.get("error"),
            error_code=d.get("error_code"),
            pages=d.get("pages", 0),
            language=d.get("language"),
            findings=findings,
            terms=Terms(**d.get("terms", {})),
            provenance=d.get("provenance", {}),
            timings=d.get("timings", {}),
            warnings=d.get("warnings", []),
        )
