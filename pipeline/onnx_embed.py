"""The packaged sentence-transformers model run with onnxruntime: same vectors, no torch at analysis time.

Encoding is ~80 % of a first analysis (``docs/performance.md``), and importing torch is most of a cold start.
The model is exported from the installed package once per machine (torch is imported for that export only),
with mean pooling and L2 normalisation inside the graph, then cached under ``$DPA_MODEL_CACHE`` (default
``~/.cache/dpa/models``), keyed by a hash of the model's files and the exporter's versions. Nothing is
downloaded: the export reads the same local files the reference backend loads.

This is the only module that imports onnxruntime, and (for the one-off export) torch and transformers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import ModelLoadError
from .parallel import usable_cores

log = logging.getLogger(__name__)

EXPORT_VERSION = "1"  # bump when the exported graph changes (inputs, pooling, opset)
_OPSET = 17


def model_cache_dir() -> Path:
    """Where exported models live: ``$DPA_MODEL_CACHE`` or ``~/.cache/dpa/models``."""
    env = os.environ.get("DPA_MODEL_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "dpa" / "models"


def supports(model_dir: Path) -> bool:
    """True for a BERT-style sentence-transformers folder with mean pooling and a fast tokenizer.

    Those are the models whose whole pipeline (transformer → mean pooling → normalise) this module
    reproduces; anything else stays on the reference backend.
    """
    try:
        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
        modules = json.loads((model_dir / "modules.json").read_text())
    except (OSError, ValueError):
        return False
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    return (
        (model_dir / "tokenizer.json").exists()
        and pooling.get("pooling_mode_mean_tokens") is True
        and not any(v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens")
        and kinds[:2] == ["Transformer", "Pooling"]
        and set(kinds[2:]) <= {"Normalize"}
    )


def _fingerprint(model_dir: Path) -> str:
    """A hash of the model's weights and configs, plus the versions that shape the exported graph."""
    h = hashlib.sha256(f"export={EXPORT_VERSION};opset={_OPSET}".encode())
    for name in ("config.json", "modules.json", "1_Pooling/config.json", "model.safetensors", "pytorch_model.bin"):
        f = model_dir / name
        if f.exists():
            h.update(name.encode())
            with f.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
    return h.hexdigest()[:16]


def exported_path(model_dir: Path, *, quantized: bool = False) -> Path:
    """The ONNX file for a model folder, exporting (and quantising) it first if not done on this machine yet."""
    out = model_cache_dir() / f"{model_dir.parent.name}-{_fingerprint(model_dir)}" / "model.onnx"
    if not out.exists():
        _export(model_dir, out)
    if not quantized:
        return out
    q = out.with_name("model-int8.onnx")
    if not q.exists():
        _quantize(out, q)
    return q


def _quantize(src: Path, out: Path) -> None:
    """Dynamic int8 weights, one scale per output channel (per-tensor scales moved more decisions)."""
    log.info("quantising the embedding model to int8 (once per machine)")
    fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=out.parent)
    os.close(fd)
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(src), tmp, weight_type=QuantType.QInt8, per_channel=True)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except Exception as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ModelLoadError(f"int8 quantisation of {src} failed: {exc}") from exc


def _export(model_dir: Path, out: Path) -> None:
    """Trace transformer + mean pooling + normalisation into one ONNX graph (a few seconds, once)."""
    log.info("exporting the embedding model to ONNX (once per machine) -> %s", out.parent)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from transformers import AutoModel

        model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    except Exception as exc:
        raise ModelLoadError(f"could not load {model_dir} for the ONNX export: {exc}") from exc

    class MeanPooled(torch.nn.Module):
        """What sentence-transformers computes: mean over real tokens, then L2 normalisation."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    out.parent.mkdir(parents=True, exist_ok=True)
    dummy = torch.ones(2, 8, dtype=torch.long)
    dyn = {n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "token_type_ids")}
    dyn["embedding"] = {0: "batch"}
    # Write beside the target and rename: parallel workers may export at the same time; rename is atomic.
    fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=out.parent)
    os.close(fd)
    try:
        import warnings

        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(MeanPooled(model), (dummy, dummy, torch.zeros_like(dummy)), tmp,
                              input_names=["input_ids", "attention_mask", "token_type_ids"],
                              output_names=["embedding"], dynamic_axes=dyn, opset_version=_OPSET, dynamo=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except Exception as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ModelLoadError(f"ONNX export of {model_dir} failed: {exc}") from exc


def _threads() -> int:
    """Intra-op threads: the worker's share when ``pipeline.parallel`` set one, else every core."""
    for var in ("DPA_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(var, "").isdigit() and int(os.environ[var]) > 0:
            return int(os.environ[var])
    return usable_cores()


class OnnxEmbedder:
    """A packaged sentence-transformers model run by onnxruntime; rows are L2-normalised float32.

    ``quantized=True`` runs int8 weights: ~1.8x faster encoding, but vectors move (cosine ~0.96) and about
    0.6 % of decisions change, so it is opt-in (``DPA_BACKEND=onnx-int8``) and named ``<model>@int8`` in
    reports and in the embedding cache.
    """

    def __init__(self, name: str, model_dir: Path, *, batch_size: int = 16, max_seq_length: int = 128,
                 threads: int | None = None, quantized: bool = False):
        if not supports(model_dir):
            raise ModelLoadError(f"{name}: not a mean-pooling BERT-style model; use the torch backend")
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelLoadError(f"onnxruntime or tokenizers is not installed: {exc}") from exc
        path = exported_path(model_dir, quantized=quantized)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or _threads()
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # a truncated or foreign file: export again next time
            path.unlink(missing_ok=True)
            raise ModelLoadError(f"could not open the exported model {path}: {exc}") from exc
        tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # Same truncation as the reference backend (max_seq_length word pieces, special tokens included).
        tok.enable_truncation(max_seq_length)
        tok.no_padding()
        self._tok = tok
        self._pad_id = tok.token_to_id("[PAD]") or 0
        from .embed import model_label

        self.backend = "onnx-int8" if quantized else "onnx"
        self.model = name
        self.name = model_label(name, self.backend)
        self.dim = int(json.loads((model_dir / "1_Pooling" / "config.json").read_text())["word_embedding_dimension"])
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Encode in length-sorted batches (little padding), return rows in input order.

        Batches of 16 (the default) were 1.3x faster than 64 on 2 cores and need ~150 MB less working
        memory: DPA sentences vary in length, so smaller batches pad less (``make bench``, encoding section).
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encs = self._tok.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encs], kind="stable")
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.full((len(idx), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[idx] = self._session.run(None, feeds)[0]
        return out
