"""Batch analysis over several processes, so a batch uses every core of a laptop.

Encoding is already multi-threaded inside onnxruntime (or torch), but parsing (pdfminer) is pure Python and
single-threaded, so one process leaves cores idle while it parses. Each worker builds its own
:class:`~pipeline.analyze.Analyzer` once (one model load per worker, not per file), with ``cores // workers``
model threads so workers do not oversubscribe.

Workers start with ``spawn``: forking a process in which torch has already started its OpenMP threads can
deadlock. Reports come back in input order, and a defect while analysing one file becomes that file's
``status: error`` (``error_code: internal``) instead of stopping the batch.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DpaError
from .models import DocStatus, Report

if TYPE_CHECKING:
    from .analyze import Analyzer

log = logging.getLogger(__name__)

_WORKER: Analyzer | None = None
_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def usable_cores() -> int:
    """Cores this process may use (CPU affinity, e.g. a container's or taskset's), not the machine's total."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def worker_threads(workers: int) -> int:
    """Model threads for each of ``workers`` processes sharing this machine: their share of the usable cores."""
    return max(1, usable_cores() // workers)


AUTO_MIN_FILES = 16  # below this, starting a second model process costs more than it saves (docs/performance.md)


def auto_workers(n_files: int) -> int:
    """The CLI's default: two processes for a long batch on a multi-core machine, else one.

    One process already encodes on every core; a second one overlaps the single-threaded parsing (measured
    on 100 documents and 2 cores: 1.13x faster than one process, 1.76x faster than one core). More than two
    would add ~500 MB each for little more speed, so the default stops at two; ``--workers N`` overrides.
    """
    return min(2, usable_cores()) if n_files >= AUTO_MIN_FILES else 1


def resolve_workers(workers: int, n_files: int) -> int:
    """The number of processes to use: 0 means one per core; never more than there are files."""
    if workers <= 0:
        workers = usable_cores()
    return max(1, min(workers, n_files))


def _embedder_spec(an: Analyzer) -> tuple[str, Any, Any, str | None]:
    """How a worker gets the same embedder: reload a named model (same backend and cache file) or unpickle it."""
    from .embed import BACKENDS, CachedEmbedder

    emb = an._embedder
    if emb is None:
        return ("model", an.options.model, None, None)
    inner = emb.inner if isinstance(emb, CachedEmbedder) else emb
    backend = getattr(inner, "backend", None)
    if backend in BACKENDS:  # a real model: reload it by name rather than pickling weights
        model = getattr(inner, "model", inner.name)
        if isinstance(emb, CachedEmbedder):
            return ("model", model, str(emb.path), backend)
        return ("model-nocache", model, None, backend)
    return ("object", emb, None, None)  # e.g. a test's fake embedder: must be picklable


def _init_worker(spec: tuple[str, Any, Any, str | None], library, matcher, options,
                 parse_cache: tuple[bool, str | None], threads: int, log_level: int) -> None:
    """Runs once per worker process: cap model threads, then build the analyser (the model loads lazily)."""
    for var in _THREAD_VARS:  # read by torch when first imported, and by pipeline.onnx_embed
        os.environ[var] = str(threads)
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s")
    from .analyze import Analyzer
    from .cache import ParseCache
    from .embed import get_embedder

    kind, value, cache_path, backend = spec
    if kind == "model":
        embedder = get_embedder(value, cache=Path(cache_path) if cache_path else True, backend=backend)
    elif kind == "model-nocache":
        embedder = get_embedder(value, cache=False, backend=backend)
    else:
        embedder = value
    global _WORKER
    _WORKER = Analyzer(embedder=embedder, library=library, matcher=matcher, options=options)
    explicit, path = parse_cache
    if explicit:
        _WORKER.parse_cache = ParseCache(Path(path) if path else None)


def _work(path: str, vendor: str | None, password: str | None) -> Report:
    """Analyse one file in a worker; a defect becomes this file's error report."""
    assert _WORKER is not None, "worker not initialised"
    try:
        return _WORKER.analyze_file(path, vendor=vendor, password=password)
    except DpaError:  # not the document's fault (e.g. the model cannot load): stops the batch, as serially
        raise
    except Exception as exc:  # one file's defect must not stop the batch
        log.exception("internal error while analysing %s", Path(path).name)
        return _internal_error(_WORKER, Path(path).name, exc)


def _internal_error(an: Analyzer, name: str, exc: BaseException) -> Report:
    return Report(file=name, status=DocStatus.ERROR, error=f"{name}: internal error ({type(exc).__name__})",
                  error_code="internal", provenance=an.provenance())


def analyze_parallel(an: Analyzer, paths: list[Path], workers: int, *, vendor: str | None = None,
                     password: str | None = None,
                     progress: Callable[[int, int, str], None] | None = None) -> list[Report]:
    """Analyse ``paths`` with ``workers`` processes configured like ``an``; reports in input order."""
    n = len(paths)
    threads = worker_threads(workers)
    explicit = an.parse_cache is not None
    pc = (explicit, str(an.parse_cache.path) if explicit and an.parse_cache.path else None)
    init = (_embedder_spec(an), an.library, an.matcher, an.options, pc, threads,
            logging.getLogger().getEffectiveLevel())
    log.info("analysing %d files with %d worker processes (%d model threads each)", n, workers, threads)
    reports: list[Report | None] = [None] * n
    if progress:
        progress(0, n, "")
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=init) as ex:
        futures: dict[Future, int] = {ex.submit(_work, str(p), vendor, password): i for i, p in enumerate(paths)}
        for done, fut in enumerate(as_completed(futures), start=1):
            i = futures[fut]
            try:
                reports[i] = fut.result()
            except DpaError:
                raise
            except Exception as exc:  # a worker died (e.g. killed for memory)
                log.error("worker failed on %s: %s", Path(paths[i]).name, type(exc).__name__)
                reports[i] = _internal_error(an, Path(paths[i]).name, exc)
            if progress:
                progress(done, n, Path(paths[i]).name)
    return [r for r in reports if r is not None]
