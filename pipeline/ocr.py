"""OCR for scanned DPAs: ``ocrmypdf`` + Tesseract, run locally in a subprocess with a time and memory limit.

Many vendor DPAs arrive as scans (a signed copy, a scanned annex of sub-processors). When the parser finds no
usable text layer, :func:`parse_with_ocr` runs ``ocrmypdf`` (Debian packages ``ocrmypdf`` and
``tesseract-ocr``) into a temporary file and parses the result. Everything stays on the machine: the tools
work offline, and the temporary directory is removed afterwards. Without the tools the document gets the
specific error "no text layer, OCR not available".

Whole-document failures (image-only, or text in a broken font encoding) are OCR'd with ``--force-ocr``,
which rasterises each page and ignores the unusable text; a document with only some image-only pages is
OCR'd with ``--skip-text``, which leaves the pages that have text untouched.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError, LimitExceededError, NoTextError
from .models import ParsedDocument
from .parse import ParseLimits, parse_bytes

log = logging.getLogger(__name__)

_NO_TEXT_PAGE = re.compile(r"^page (\d+) has no text layer$")


@dataclass
class OcrOptions:
    """How (and whether) to OCR documents without a usable text layer."""

    enabled: bool = True
    language: str = "eng"  # Tesseract language code(s), e.g. "eng+deu"
    timeout_s: float = 900.0  # the whole OCR run of one document (about 1-2 s per page measured)
    page_timeout_s: float = 60.0  # Tesseract on one page
    memory_bytes: int | None = 4 << 30  # address space per OCR process (RLIMIT_AS); None = unlimited
    max_image_mpixels: int = 250  # ocrmypdf refuses larger images (an image decompression bomb)
    jobs: int | None = None  # parallel pages; None = ocrmypdf's default (all cores)
    partial: bool = True  # also OCR the image-only pages of a document that has text elsewhere


def ocr_available(language: str = "eng") -> bool:
    """Whether ``ocrmypdf`` and ``tesseract`` are installed with the language data for ``language``."""
    if not (shutil.which("ocrmypdf") and shutil.which("tesseract")):
        return False
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    langs = set(out.stdout.split())
    return all(lang in langs for lang in language.split("+"))


def _with_memory_limit(cmd: list[str], memory_bytes: int | None) -> list[str]:
    """``cmd`` run under ``ulimit -v`` (RLIMIT_AS, inherited by every worker; a shell rather than
    ``preexec_fn``, which is unsafe in a process with threads, as the embedder's)."""
    if not memory_bytes:
        return cmd
    return ["sh", "-c", 'ulimit -v "$1" && shift && exec "$@"', "sh", str(memory_bytes // 1024), *cmd]


def ocr_pdf(data: bytes, name: str, *, options: OcrOptions | None = None, force: bool = False) -> bytes:
    """Return ``data`` with an OCR text layer added (``force``: rasterise every page and OCR it).

    Raises :class:`NoTextError` when OCR fails on the file (the message says why), and
    :class:`LimitExceededError` when it runs past ``options.timeout_s`` (the whole process group is killed).
    """
    opts = options or OcrOptions()
    with tempfile.TemporaryDirectory(prefix="dpa-ocr-") as tmp:
        src, dst = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        src.write_bytes(data)
        cmd = ["ocrmypdf", "--force-ocr" if force else "--skip-text", "-l", opts.language,
               "--output-type", "pdf", "--optimize", "0", "--quiet",
               "--tesseract-timeout", f"{opts.page_timeout_s:g}",
               "--max-image-mpixels", str(opts.max_image_mpixels)]
        if opts.jobs:
            cmd += ["--jobs", str(opts.jobs)]
        env = {**os.environ, "TMPDIR": tmp}  # intermediate images land in the directory removed below
        # One OpenMP thread per Tesseract (ocrmypdf runs pages in parallel with --jobs instead): with its default
        # threads, beside two other processes encoding sentences (as in the test suite's two workers), one page
        # ran past the 60 s page timeout and came back without text; with one thread it took 8 s (2 cores).
        # pipeline.parallel's workers already set OMP_NUM_THREADS; this covers a single process on a busy machine.
        env.setdefault("OMP_THREAD_LIMIT", "1")
        t0 = time.monotonic()
        # A new session, so that a timeout kills ocrmypdf's Tesseract and Ghostscript workers too.
        proc = subprocess.Popen(_with_memory_limit([*cmd, str(src), str(dst)], opts.memory_bytes),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=opts.timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise LimitExceededError(f"{name}: OCR took longer than the limit of {opts.timeout_s:g} s") from None
        elapsed = time.monotonic() - t0
        if proc.returncode != 0 or not dst.exists():
            reason = _reason(proc.returncode, err.decode("utf-8", "replace"))
            log.warning("OCR of %s failed (exit %s) after %.1f s", name, proc.returncode, elapsed)
            raise NoTextError(f"{name}: no text layer, and OCR failed: {reason}")
        log.info("OCR of %s took %.1f s", name, elapsed)
        return dst.read_bytes()


def _reason(code: int | None, stderr: str) -> str:
    """A short reason for an ocrmypdf failure (exit codes from ocrmypdf's ExitCode)."""
    known = {2: "bad arguments", 3: "a required program is missing", 4: "the PDF could not be read",
             8: "the PDF is encrypted (save an unencrypted copy)", 15: "an internal error"}
    if code is not None and code < 0:
        return f"killed by signal {-code} (memory limit?)"
    last = next((ln.strip() for ln in reversed(stderr.splitlines()) if ln.strip()), "")
    return known.get(code or 0, f"exit code {code}") + (f" ({last[:200]})" if last else "")


def parse_with_ocr(data: bytes, name: str, *, password: str | None = None, limits: ParseLimits | None = None,
                   options: OcrOptions | None = None) -> ParsedDocument:
    """:func:`~pipeline.parse.parse_bytes`, falling back to OCR for pages without a usable text layer.

    Same errors as ``parse_bytes``; a document without text raises :class:`NoTextError` saying
    "no text layer, OCR not available" when OCR is disabled or not installed. An OCR'd document carries a
    warning, since recognised text can contain errors.
    """
    opts = options or OcrOptions()
    try:
        doc = parse_bytes(data, name, password=password, limits=limits)
    except NoTextError as exc:
        if not opts.enabled or not ocr_available(opts.language):
            raise NoTextError(f"{exc}; no text layer, OCR not available "
                              "(install the ocrmypdf and tesseract-ocr packages)") from exc
        if b"/Encrypt" in data:
            raise NoTextError(f"{exc}; OCR cannot read an encrypted PDF: save an unencrypted copy") from exc
        try:
            doc = parse_bytes(ocr_pdf(data, name, options=opts, force=True), name, limits=limits)
        except NoTextError as again:
            raise NoTextError(f"{name}: no text layer, and OCR recognised no text") from again
        doc.warnings.append("no usable text layer: all text was recognised by OCR and may contain errors")
        doc.sha256 = hashlib.sha256(data).hexdigest()  # the file's identity, not the OCR copy's
        return doc
    blank = [m.group(1) for w in doc.warnings if (m := _NO_TEXT_PAGE.match(w))]
    if blank and opts.partial and b"/Encrypt" not in data and ocr_available(opts.language):
        try:
            redone = parse_bytes(ocr_pdf(data, name, options=opts), name, limits=limits)
        except DocumentError as exc:  # keep the text we have; the pages stay flagged
            log.warning("%s: OCR of pages without text failed: %s", name, type(exc).__name__)
            return doc
        redone.warnings.append(f"page(s) {', '.join(blank)} had no text layer: their text was recognised "
                               "by OCR and may contain errors")
        redone.sha256 = doc.sha256
        return redone
    return doc
