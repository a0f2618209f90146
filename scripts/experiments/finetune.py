"""Encoder fine-tuning, measured honestly (issue 3): per outer fold of the harness (5-fold by document on
snt-train), fine-tune MiniLM's top layers plus a 25-way multi-label head on the training documents' sentences only,
then encode every sentence with that fold's encoder. Saves /tmp/ft/X_fold<k>.npy (L2-normalised embeddings, all
sentences) and /tmp/ft/P_head.npy (the head's out-of-fold probabilities). `finetune_eval.py` scores them.

    python finetune.py [--layers 2] [--epochs 2] [--neg 1.3] [--lr 5e-5]

Only the top layers train so that a shipped result would be a few MB of weights over the packaged model.
"""
import argparse
import time

import numpy as np
import torch
from common import FOLDS, Y, texts
from sentence_transformers import SentenceTransformer

from pipeline.embed import DEFAULT_MODEL, _resolve_model_path

ap = argparse.ArgumentParser()
ap.add_argument("--layers", type=int, default=2)
ap.add_argument("--epochs", type=int, default=2)
ap.add_argument("--neg", type=float, default=1.3, help="negatives per positive sampled each epoch")
ap.add_argument("--lr", type=float, default=5e-5)
ap.add_argument("--scale", type=float, default=20.0)
ap.add_argument("--head-lr", type=float, default=1e-2)
ap.add_argument("--folds", default="0,1,2,3,4")
ap.add_argument("--out", default="/tmp/ft")
a = ap.parse_args()
torch.set_num_threads(2)
torch.manual_seed(0)
rng = np.random.default_rng(0)
pos_all = Y.sum(1) > 0
P_head = np.zeros(Y.shape, dtype=np.float32)
try:
    P_head = np.load(f"{a.out}/P_head.npy")
except FileNotFoundError:
    pass


def batches(idx: np.ndarray, bs: int = 32):
    """Length-bucketed random batches (less padding on CPU)."""
    idx = rng.permutation(idx)
    chunks = [idx[i:i + bs * 20] for i in range(0, len(idx), bs * 20)]
    out = []
    for c in chunks:
        c = sorted(c, key=lambda i: len(texts[i]))
        out += [c[i:i + bs] for i in range(0, len(c), bs)]
    rng.shuffle(out)
    return out


for k in map(int, a.folds.split(",")):
    tr, te = FOLDS[k]
    t0 = time.time()
    m = SentenceTransformer(_resolve_model_path(DEFAULT_MODEL), device="cpu", local_files_only=True)
    m.max_seq_length = 128
    top = {f"layer.{i}." for i in range(6 - a.layers, 6)}
    for n, p in m.named_parameters():
        p.requires_grad = any(t in n for t in top)
    head = torch.nn.Linear(384, Y.shape[1])
    # A cosine classifier: the packaged model L2-normalises its output, so unscaled logits stay near 0 and the
    # encoder collapses towards the label prior (first run: loss = the prior's entropy, AP 0.02).
    scale = a.scale
    params = [p for p in m.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": params, "lr": a.lr}, {"params": head.parameters(), "lr": a.head_lr}],
                            weight_decay=0.01)
    pos, neg = tr[pos_all[tr]], tr[~pos_all[tr]]
    m.train()
    for ep in range(a.epochs):
        sel = np.concatenate([pos, rng.choice(neg, min(len(neg), int(a.neg * len(pos))), replace=False)])
        tot, nb = 0.0, 0
        for b in batches(sel):
            f = m.tokenize([texts[i] for i in b])
            e = m(f)["sentence_embedding"]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                head(scale * e), torch.tensor(Y[b], dtype=torch.float32))
            loss.backward()
            opt.step()
            opt.zero_grad()
            tot += float(loss.detach())
            nb += 1
        print(f"fold {k} epoch {ep}: loss {tot / nb:.4f} ({time.time() - t0:.0f}s)", flush=True)
    m.eval()
    X = m.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    np.save(f"{a.out}/X_fold{k}.npy", X.astype(np.float32))
    with torch.no_grad():
        raw = m.encode([texts[i] for i in te], batch_size=64, convert_to_tensor=True)
        P_head[te] = torch.sigmoid(head(scale * raw)).numpy()
    np.save(f"{a.out}/P_head.npy", P_head)
    print(f"fold {k} done ({time.time() - t0:.0f}s)", flush=True)
