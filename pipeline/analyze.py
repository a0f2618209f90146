"""The pipeline: PDF → parse → chunk → embed → match → terms → :class:`Report`.

As in docling, the pipeline owns each document's status: a :class:`~pipeline.errors.DocumentError` becomes
that document's ``status: error`` with a clear message, and the rest of a batch goes on. Every stage has one
signature and is timed.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import __version__
from .cache import ParseCache
from .chunk import chunk_document
from .embed import DEFAULT_MODEL, Embedder, backend_name, get_embedder, model_label
from .errors import DocumentError
from .guard import looks_like_dpa, run_isolated
from .library import Library, load_library
from .match import MatcherModel, decide, relevant_chunks
from .models import Chunk, DocStatus, ParsedDocument, Report
from .ocr import OcrOptions, parse_with_ocr
from .parse import ParseLimits
from .terms import extract_terms
from .vendors import detect_vendor, load_profiles

log = logging.getLogger(__name__)


def detect_language(text: str) -> str:
    """A cheap stop-word vote (en/de/fr/nl/es/it); the packaged model and phrasings are English."""
    words = text.lower().split()[:3000]
    votes = {
        "en": {"the", "and", "of", "to", "shall", "with", "data"},
        "de": {"der", "die", "und", "das", "zu", "mit", "daten"},
        "fr": {"le", "la", "les", "et", "des", "donnees", "données"},
        "nl": {"de", "het", "en", "van", "een", "gegevens"},
        "es": {"el", "la", "los", "y", "de", "datos"},
        "it": {"il", "la", "e", "di", "dati", "che"},
    }
    counts = {lang: sum(w in vocab for w in words) for lang, vocab in votes.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] else "unknown"


@dataclass
class Options:
    """Per-run options of the analysis."""

    model: str = DEFAULT_MODEL
    limits: ParseLimits = field(default_factory=ParseLimits)
    password: str | None = None
    vendor: str | None = None
    ocr: OcrOptions = field(default_factory=OcrOptions)
    # Parse each file in a child process with a hard time limit (limits.max_seconds) and this much extra
    # memory: a crash or runaway in the PDF libraries (PDFium is C++) then fails that file alone.
    isolate: bool = False
    isolate_memory_bytes: int = 2 << 30


class Analyzer:
    """Analyses DPAs; holds the loaded model, the clause library and the matcher weights."""

    # Resolved on the first parse, beside the embedding cache (see pipeline.cache); set it to override.
    parse_cache: ParseCache | None = None

    def __init__(self, embedder: Embedder | None = None, library: Library | None = None,
                 matcher: MatcherModel | None = None, options: Options | None = None):
        self.options = options or Options()
        self.library = library or load_library()
        self.matcher = matcher or MatcherModel.load()
        self._embedder = embedder
        self.profiles = load_profiles()

    @property
    def embedder(self) -> Embedder:
        """The embedding model, loaded on first use (parsing errors show before the ~10 s model load)."""
        if self._embedder is None:
            self._embedder = get_embedder(self.options.model)
        return self._embedder

    def _model_label(self) -> str:
        """The model as reports name it: the embedder's own name once there is one (``…@int8`` for int8)."""
        if self._embedder is not None:
            return str(getattr(self._embedder, "name", self.options.model))
        return model_label(self.options.model, backend_name())

    def provenance(self) -> dict[str, str]:
        """How reports are made: tool version, model, clause library fingerprint, matcher version."""
        return {
            "tool_version": __version__,
            "model": self._model_label(),
            "clause_library": f"{self.library.version}+{self.library.fingerprint()}",
            "matcher": str(self.matcher.meta.get("version", "unknown")),
        }

    def analyze_file(self, path: Path | str, *, vendor: str | None = None, password: str | None = None) -> Report:
        """Analyse one PDF file; never raises for bad input (the report carries the error)."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return Report(file=path.name, status=DocStatus.ERROR, error=f"{path.name}: cannot read file: {exc}",
                          error_code="io", provenance=self.provenance())
        return self.analyze_bytes(data, path.name, vendor=vendor, password=password)

    def analyze_bytes(self, data: bytes, name: str, *, vendor: str | None = None,
                      password: str | None = None) -> Report:
        """Analyse PDF bytes (the dashboard's uploads); never raises for bad input."""
        import hashlib

        report = Report(file=name, sha256=hashlib.sha256(data).hexdigest(), provenance=self.provenance())
        t0 = time.perf_counter()
        try:
            doc = self._parse(data, name, report.sha256, password or self.options.password)
            report.timings["parse"] = time.perf_counter() - t0
            self._analyze_parsed(doc, report, vendor or self.options.vendor)
        except DocumentError as exc:
            report.status = DocStatus.ERROR
            report.error = str(exc)
            report.error_code = exc.code
            log.warning("%s", exc)
        except Exception as exc:  # a defect of ours: that file fails, the batch goes on (docling's rule)
            report.status = DocStatus.ERROR
            report.error = f"{name}: internal error ({type(exc).__name__}); please report it"
            report.error_code = "internal"
            report.findings = []
            log.exception("internal error while analysing %s", name)
        report.timings["total"] = time.perf_counter() - t0
        return report

    def _parse(self, data: bytes, name: str, sha256: str, password: str | None) -> ParsedDocument:
        """Parse PDF bytes through the parsed-document cache (never for password-protected files)."""
        limits = self.options.limits
        if self.parse_cache is None:
            self.parse_cache = ParseCache.beside(self._embedder)
        cache = None if password else self.parse_cache
        key = (limits, self.options.ocr.enabled, self.options.ocr.language)  # all that changes the text
        doc = cache.get(sha256, name, key) if cache else None
        if doc is None:
            # A scan without a text layer is OCR'd locally when ocrmypdf is installed (pipeline.ocr).
            if self.options.isolate:
                doc = run_isolated(parse_with_ocr, data, name, label=name, timeout_s=limits.max_seconds,
                                   memory_bytes=self.options.isolate_memory_bytes, password=password,
                                   limits=limits, options=self.options.ocr)
            else:
                doc = parse_with_ocr(data, name, password=password, limits=limits, options=self.options.ocr)
            if cache:
                cache.put(doc, key)
        return doc

    def chunks(self, path: Path) -> list[Chunk]:
        """A PDF's chunks, parsed and cut as ``analyze_file`` does (no store, no scoring)."""
        data = Path(path).read_bytes()
        return chunk_document(self._parse(data, Path(path).name, hashlib.sha256(data).hexdigest(), None))

    def scored_chunks(self, path: Path) -> tuple[list[Chunk], np.ndarray]:
        """A PDF's chunks and their (chunk × requirement) matcher scores: what ``decide`` reads.

        ``dpa eval`` uses it to re-decide a document with clauses removed (``pipeline.evaluate``).
        """
        chunks = self.chunks(path)
        return chunks, self.score(chunks)

    def score(self, chunks: list[Chunk]) -> np.ndarray:
        """(chunk × requirement) matcher scores of ``chunks``, as ``analyze_file`` scores them.

        The scorer reads each passage as written: reading it in the GDPR's words too (the library's synonyms, as
        the gate and the readers do) was measured in the thirty-first session and cost more on the vendor
        corpora than it gained (docs/accuracy.md).
        """
        texts = [c.text for c in chunks]
        return self.matcher.scores(texts, self.embedder.embed(texts))

    def _analyze_parsed(self, doc: ParsedDocument, report: Report, vendor: str | None) -> None:
        t = time.perf_counter()
        chunks = chunk_document(doc)
        report.timings["chunk"] = time.perf_counter() - t
        report.pages = doc.pages
        report.warnings = list(doc.warnings)
        text = doc.text
        if not looks_like_dpa(text):
            report.warnings.append("this does not look like a data processing agreement (few data-protection "
                                   "terms): findings are low confidence")
        report.language = detect_language(text)
        report.vendor = vendor or detect_vendor(text, doc.name, self.profiles)
        if report.language not in ("en", "unknown"):
            report.warnings.append(f"document language looks like '{report.language}'; the matcher is "
                                   "trained on English DPAs, so findings are less reliable")
        t = time.perf_counter()
        texts = [c.text for c in chunks]  # as self.score reads them
        emb = self.embedder.embed(texts)
        report.timings["embed"] = time.perf_counter() - t
        t = time.perf_counter()
        probs = self.matcher.scores(texts, emb)
        report.findings = decide(chunks, probs, self.matcher, self.library)
        report.timings["match"] = time.perf_counter() - t
        t = time.perf_counter()
        report.terms = extract_terms(chunks, relevant_chunks(chunks, report.findings))
        report.timings["terms"] = time.perf_counter() - t
        if chunks and not any(f.status.value != "missing" for f in report.findings):
            report.warnings.append("no requirement matched: this may not be a data processing agreement")

    def analyze_many(self, paths: Iterable[Path], *, vendor: str | None = None, password: str | None = None,
                     progress: Callable[[int, int, str], None] | None = None, workers: int = 1) -> list[Report]:
        """Analyse several files; reports come back in input order and one failing file never stops the others.

        ``workers`` > 1 spreads the files over that many processes (each loads the model once; see
        :mod:`pipeline.parallel`); 0 means one per CPU core.
        """
        paths = list(paths)
        from .parallel import analyze_parallel, resolve_workers

        workers = resolve_workers(workers, len(paths))
        if workers > 1:
            return analyze_parallel(self, paths, workers, vendor=vendor, password=password, progress=progress)
        reports = []
        for i, p in enumerate(paths):
            if progress:
                progress(i, len(paths), Path(p).name)
            reports.append(self.analyze_file(p, vendor=vendor, password=password))
        if progress:
            progress(len(paths), len(paths), "")
        return reports


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given; a folder contributes its ``*.pdf`` files in sorted order (report contract)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.iterdir() if q.suffix.lower() == ".pdf" and q.is_file()))
        else:
            out.append(p)
    return out
