"""Shared fixtures: the real analyser (packaged model, bundled matcher) and a deterministic fake embedder.

The fake is for pure-logic tests only; every test about matching quality uses the real model.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "vendors" / "examples"

# `make test` runs two pytest-xdist workers: each gets its share of the cores for onnxruntime, so the two
# workers' thread pools do not fight over them (2 cores: 335 s with one thread each, 370 s with two).
if os.environ.get("PYTEST_XDIST_WORKER_COUNT", "").isdigit():
    from pipeline.parallel import worker_threads

    os.environ.setdefault("DPA_THREADS", str(worker_threads(int(os.environ["PYTEST_XDIST_WORKER_COUNT"]))))


class FakeEmbedder:
    """Bag-of-hashed-words vectors: deterministic, instant, similar texts get similar vectors."""

    name = "fake"
    dim = 64

    def __init__(self):
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
            n = np.linalg.norm(out[i])
            if n:
                out[i] /= n
        return out


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    """A fresh fake embedder."""
    return FakeEmbedder()


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """A session-wide embedding cache so the real model encodes each sentence once per test run."""
    return tmp_path_factory.mktemp("emb-cache")


@pytest.fixture(scope="session")
def analyzer(cache_dir):
    """The real analyser: packaged MiniLM loaded offline, bundled clause library and matcher weights."""
    from pipeline.analyze import Analyzer
    from pipeline.embed import CachedEmbedder, get_embedder

    base = get_embedder(cache=False)
    return Analyzer(embedder=CachedEmbedder(base, cache_dir / "emb.sqlite3"))


@pytest.fixture(scope="session")
def example_reports(analyzer):
    """Reports for the three bundled example DPAs."""
    return {p.name: analyzer.analyze_file(p) for p in sorted(EXAMPLES.glob("*.pdf"))}


def spec_ids() -> list[str]:
    """Requirement ids in the order of shared/spec/requirements.md (the contract's order)."""
    import re

    text = (SHARED / "spec" / "requirements.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.M)


needs_shared = pytest.mark.skipif(not (SHARED / "eval").exists(), reason="../shared/eval not present")
