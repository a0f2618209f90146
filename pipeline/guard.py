"""Guards against hostile or pathological PDFs: decompression bombs, runaway time and memory.

Two layers, both producing :class:`~pipeline.errors.LimitExceededError` (an error for that file, never a hang
or a crash of the batch):

* :func:`check_inflation` — a cheap pre-scan run by the parser before pdfminer touches the file. pdfminer
  inflates every Flate stream it reads with a single ``zlib.decompress`` call, so a 50 KB stream of zeros that
  inflates to 5 GB would exhaust memory. The scan inflates each stream incrementally (1 MiB at a time, nothing
  kept) and stops as soon as the declared budget is spent.
* :func:`run_isolated` — runs a function (e.g. the whole parse) in a forked child with a hard wall-clock limit
  and an address-space limit (``RLIMIT_AS``); the child is killed when either is exceeded. This also covers
  what the pre-scan cannot see (streams inside encrypted PDFs, exotic filter chains, a single pathological
  page that never returns to the parser's cooperative per-page deadline check).
"""

from __future__ import annotations

import base64
import logging
import multiprocessing
import os
import re
import resource
import signal
import time
import unicodedata
import zlib
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import CorruptPdfError, DocumentError, LimitExceededError

log = logging.getLogger(__name__)

T = TypeVar("T")

# "stream" followed by its end-of-line marker, but not the tail of "endstream".
_STREAM_RE = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_IMAGE_RE = re.compile(rb"/Subtype\s*/Image")
_ASCII_RE = re.compile(rb"/(?:A85|AHx|ASCII85Decode|ASCIIHexDecode)\b")
_CHUNK = 1 << 20
_DPA_TERMS = re.compile(
    r"personal data|data subjects?|(?:sub-?)?processors?\b|controllers?\b|processing|gdpr|data protection|"
    r"supervisory authorit|personenbezogen|auftragsverarbeit|verantwortliche|données personnelles|"
    r"sous-traitan|responsable du traitement|persoonsgegevens|verwerker|datos personales|encargado del "
    r"tratamiento|dati personali|responsabile del trattamento", re.I)
_PUNCT = ".,;:()[]\"'“”’‘-–—!?*"
# Function words of the languages detect_language knows (en, de, fr, nl, es, it).
_FUNCTION_WORDS = frozenset(
    "the and of to in a is for or be by with that as any on shall will this are not its from at such an "
    "der die das und zu den von mit ist im des auf für nicht werden le la les et du en à pour par que est "
    "une un de het een van te voor op zijn el los las y por con para del se il di che per".split())


def check_inflation(data: bytes, name: str, max_inflated_bytes: int) -> int:
    """Raise :class:`LimitExceededError` if the PDF's Flate streams inflate to more than the budget.

    Counts every zlib-compressed stream except image XObjects (pdfminer never decodes images when extracting
    text), including streams wrapped in ASCII85 / ASCIIHex first (ReportLab writes
    ``[/ASCII85Decode /FlateDecode]``). Other filters and encrypted streams are skipped (left to
    :func:`run_isolated`). Returns the inflated total. Cost: about 1 ms per MB of inflated output.
    """
    total = 0
    view = memoryview(data)
    for m in _STREAM_RE.finditer(data):
        start = m.end()
        head = data[max(0, m.start() - 1024):m.start()]
        obj = head.rfind(b"obj")
        head = head[obj:] if obj >= 0 else head
        if _IMAGE_RE.search(head):
            continue
        end = data.find(b"endstream", start)
        raw: bytes | memoryview = view[start:end if end >= 0 else len(data)]
        raw = _ascii_layer(bytes(raw), head) if _ASCII_RE.search(head) else raw
        if len(raw) < 2 or raw[0] & 0x0F != 8:  # zlib header: compression method 8 (deflate)
            continue
        total += _inflated_size(raw, max_inflated_bytes - total + 1)
        if total > max_inflated_bytes:
            raise LimitExceededError(
                f"{name}: compressed streams inflate to more than {max_inflated_bytes} bytes "
                "(a decompression bomb?)")
    return total


def _ascii_layer(raw: bytes, head: bytes) -> bytes:
    """Undo an ASCII85 / ASCIIHex filter (at most the stream's own size: only Flate can be a bomb)."""
    try:
        if b"/AHx" in head or b"/ASCIIHex" in head:
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", raw.split(b">")[0])
            return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
        body = raw.split(b"~>")[0].strip()
        return base64.a85decode(body[2:] if body.startswith(b"<~") else body)
    except ValueError:
        return b""


def looks_garbled(text: str) -> bool:
    """Whether extracted text is glyph soup from a broken font encoding rather than language.

    Two signs: many private-use / control / replacement characters (a ToUnicode map pointing nowhere), or
    text with almost no function words of any supported language and few purely alphabetic tokens (glyph
    ids read as character codes, "lm-wdAnn1e-cwdmT11"). Real DPAs measured: 25-38% function words and
    89-97% alphabetic characters; garbled samples: 0% and under 5%. Both must be low: text in another
    script (no listed function words, but alphabetic) is left to the language check, not called garbage.
    """
    chars = [c for c in text if not c.isspace()]
    odd = sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in ("Co", "Cc", "Cn", "Cs"))
    if odd > 0.3 * max(len(chars), 1):
        return True
    tokens = text.split()
    if len(tokens) < 20:
        return False
    words = [t.strip(_PUNCT).lower() for t in tokens]
    stop = sum(w in _FUNCTION_WORDS for w in words) / len(words)
    alpha = sum(len(t) for t, w in zip(tokens, words, strict=True) if w.isalpha()) / sum(map(len, tokens))
    return stop < 0.03 and alpha < 0.6


def dpa_term_density(text: str) -> float:
    """Data-protection terms per 1,000 words (en, de, fr, nl, es, it): the "is this a DPA at all?" signal.

    Measured: real DPAs 24-76 (the EU SCCs 76); a recipe 0. Independent of the matcher, which (being a
    classifier over passages) can still find a best passage in any text.
    """
    return len(_DPA_TERMS.findall(text)) * 1000 / max(len(text.split()), 1)


def looks_like_dpa(text: str, min_density: float = 5.0) -> bool:
    """Whether ``text`` talks about personal data processing often enough to be a DPA (GDPR Art. 28)."""
    return dpa_term_density(text) >= min_density


def _inflated_size(raw: memoryview, budget: int) -> int:
    """Inflated size of one zlib stream, counting at most ``budget`` bytes; 0 if it is not valid zlib."""
    d = zlib.decompressobj()
    size = 0
    try:
        size += len(d.decompress(raw, _CHUNK))
        while not d.eof and size <= budget:  # bytes after the end of the zlib data stay in unconsumed_tail
            buf = d.decompress(d.unconsumed_tail, _CHUNK)
            if not buf:  # a truncated stream: no more input, no more output
                break
            size += len(buf)
    except zlib.error:
        pass  # a corrupt stream: pdfminer's fallback inflates what it can, which is at most what we counted
    return size


def _vm_bytes() -> int:
    """Virtual memory size of this process (``RLIMIT_AS`` counts it, so the budget goes on top)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(conn, fn: Callable[..., Any], args: tuple, kwargs: dict, memory_bytes: int | None) -> None:
    if memory_bytes:
        limit = _vm_bytes() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result: tuple[str, Any] = ("ok", fn(*args, **kwargs))
    except DocumentError as exc:
        result = ("doc", exc)
    except MemoryError:
        result = ("mem", None)
    except Exception as exc:  # reported to the parent as a defect, with its type
        result = ("bug", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(result)
    except Exception as exc:  # e.g. an unpicklable result
        conn.send(("bug", f"result could not be sent back: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _context():
    """``forkserver`` where available: children fork from a small server process that has the parser
    imported but never torch (forking the analyser itself, whose OpenMP threads are running, can deadlock);
    ``spawn`` elsewhere."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["pipeline.parse"])
    return ctx


def run_isolated(fn: Callable[..., T], *args: Any, label: str, timeout_s: float,
                 memory_bytes: int | None = None, **kwargs: Any) -> T:
    """Run ``fn(*args, **kwargs)`` in a child process with a hard time and memory limit; return its result.

    ``label`` names the file in error messages. ``fn`` must be a module-level function (it, its arguments
    and its result are pickled). A :class:`DocumentError` raised in the child is
    raised here unchanged; running past ``timeout_s`` or over ``memory_bytes`` (extra address space on top
    of the child's start) raises :class:`LimitExceededError`; the child dying from a signal raises
    :class:`CorruptPdfError`; any other exception in the child is a defect and raises ``RuntimeError``.
    """
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs, memory_bytes), daemon=True)
    t0 = time.monotonic()
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout_s):
            raise LimitExceededError(f"{label}: analysis took longer than the limit of {timeout_s:g} s")
        try:
            kind, value = parent.recv()
        except EOFError:  # the child died without answering: killed by a signal (segfault, OOM killer)
            proc.join(5)
            if memory_bytes and proc.exitcode == -signal.SIGABRT:
                # PDFium (the text layer) aborts when an allocation fails instead of raising MemoryError;
                # under this function's RLIMIT_AS that is the memory limit being hit.
                raise LimitExceededError(f"{label}: analysis needed more than the memory limit "
                                         f"({memory_bytes} bytes)") from None
            raise CorruptPdfError(f"{label}: the parser crashed on this file (exit code {proc.exitcode})") \
                from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
        log.debug("isolated run of %s took %.3f s", label, time.monotonic() - t0)
    if kind == "ok":
        return value
    if kind == "doc":
        raise value
    if kind == "mem":
        raise LimitExceededError(f"{label}: analysis needed more than the memory limit ({memory_bytes} bytes)")
    raise RuntimeError(f"{label}: {value}")
