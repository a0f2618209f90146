"""The ONNX backend gives the reference model's vectors, keeps torch out of analysis, and degrades safely."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.embed import DEFAULT_MODEL, SentenceTransformerEmbedder, _resolve_model_path, load_model
from pipeline.errors import ModelLoadError
from pipeline.onnx_embed import OnnxEmbedder, exported_path, supports

ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = Path(_resolve_model_path(DEFAULT_MODEL))

# Our own sentences, short and long, so that batches mix lengths and padding.
SENTENCES = [
    "The processor notifies the customer of a personal data breach without undue delay.",
    "Customer data is never used to train or improve machine learning models.",
    "Sub-processors are listed on our website; the customer may object within thirty days.",
    "Transfers outside the EEA rely on the standard contractual clauses of 2021.",
    "Personal data is deleted or returned within 30 days after the end of the services, unless law requires "
    "storage, in which case the processor keeps it confidential and processes it for no other purpose; "
    "backups roll off within a further ninety days under the retention schedule of the security policy.",
    "Hi.",
    "",
    "Audit rights: once a year, at the customer's cost, with thirty days' notice, during business hours.",
] * 3


@pytest.mark.model
def test_onnx_vectors_match_the_reference_model():
    onnx = OnnxEmbedder(DEFAULT_MODEL, MODEL_DIR, batch_size=4)
    ref = SentenceTransformerEmbedder()
    a, b = onnx.embed(SENTENCES), ref.embed(SENTENCES)
    assert a.shape == b.shape == (len(SENTENCES), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    cos = (a * b).sum(axis=1)
    assert cos.min() > 0.9999, cos.min()
    # Input order is kept although batches are length-sorted.
    assert np.allclose(a[0], a[8], atol=1e-6) and not np.allclose(a[0], a[1], atol=1e-2)


@pytest.mark.model
def test_default_backend_is_onnx_and_empty_input_works():
    emb = load_model()
    assert emb.backend == "onnx"
    assert emb.embed([]).shape == (0, emb.dim)


@pytest.mark.model
def test_analysis_process_never_imports_torch(tmp_path):
    exported_path(MODEL_DIR)  # the one-off export (which does use torch) happens here, not in the child
    code = (
        "import sys, json\n"
        "from pipeline.analyze import Analyzer\n"
        f"r = Analyzer().analyze_file({str(ROOT / 'vendors/examples/chatterly.pdf')!r})\n"
        "print(json.dumps({'status': r.status.value, 'met': sum(f.status.value == 'met' for f in r.findings),"
        " 'torch': 'torch' in sys.modules, 'st': 'sentence_transformers' in sys.modules}))\n"
    )
    env = {"DPA_CACHE": str(tmp_path / "emb.sqlite3"), "PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["status"] == "ok" and res["met"] > 10
    assert res["torch"] is False and res["st"] is False


def test_a_broken_export_falls_back_and_is_redone(tmp_path, monkeypatch):
    monkeypatch.setenv("DPA_MODEL_CACHE", str(tmp_path))
    target = tmp_path / f"{MODEL_DIR.parent.name}-x" / "model.onnx"
    target.parent.mkdir()
    target.write_bytes(b"not an onnx graph")
    monkeypatch.setattr("pipeline.onnx_embed.exported_path", lambda _d, quantized=False: target)
    with pytest.raises(ModelLoadError, match="could not open"):
        OnnxEmbedder(DEFAULT_MODEL, MODEL_DIR)
    assert not target.exists(), "the broken file is removed, so the next run exports again"


def test_unsupported_models_stay_on_the_reference_backend(tmp_path):
    assert supports(MODEL_DIR)
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    (tmp_path / "modules.json").write_text(json.dumps([{"type": "sentence_transformers.models.Transformer"}]))
    assert not supports(tmp_path)
    with pytest.raises(ModelLoadError, match="torch backend"):
        OnnxEmbedder("custom", tmp_path)


def test_load_model_falls_back_to_torch_when_onnx_fails(monkeypatch, caplog):
    import pipeline.onnx_embed as oe

    def boom(*_a, **_k):
        raise ModelLoadError("simulated: onnxruntime missing")

    monkeypatch.setattr(oe, "OnnxEmbedder", boom)
    monkeypatch.setattr("pipeline.embed.SentenceTransformerEmbedder", lambda name: ("torch", name))
    with caplog.at_level(logging.WARNING):
        assert load_model(DEFAULT_MODEL, "onnx") == ("torch", DEFAULT_MODEL)
    assert "ONNX backend unavailable" in caplog.text


@pytest.mark.model
def test_int8_is_opt_in_named_apart_and_close(tmp_path):
    from pipeline.embed import CachedEmbedder, get_embedder

    fp32 = OnnxEmbedder(DEFAULT_MODEL, MODEL_DIR)
    int8 = load_model(DEFAULT_MODEL, "onnx-int8")
    assert int8.backend == "onnx-int8" and int8.name == f"{DEFAULT_MODEL}@int8"
    cos = (fp32.embed(SENTENCES) * int8.embed(SENTENCES)).sum(axis=1)
    assert 0.85 < cos.min() and cos.max() < 1.0 - 1e-6, "close, but not the same vectors"
    # Different vectors, different cache keys: an int8 run never serves (or poisons) fp32 results.
    lazy = get_embedder(DEFAULT_MODEL, cache=tmp_path / "c.sqlite3", backend="onnx-int8")
    assert isinstance(lazy, CachedEmbedder) and lazy.name == f"{DEFAULT_MODEL}@int8"
    assert lazy._key("x") != CachedEmbedder(fp32, tmp_path / "c.sqlite3")._key("x")
