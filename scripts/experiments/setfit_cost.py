
"""Cost estimate for SetFit-style contrastive fine-tuning of MiniLM on this CPU: time forward and
forward+backward of a batch of 16 pairs (32 sentences)."""
import time

import torch
from common import texts
from sentence_transformers import SentenceTransformer

from pipeline.embed import DEFAULT_MODEL, _resolve_model_path

torch.set_num_threads(2)
m = SentenceTransformer(_resolve_model_path(DEFAULT_MODEL), device="cpu", local_files_only=True)
m.max_seq_length = 128
S = texts[1000:1128]
t = time.time()
m.encode(S, batch_size=64)
fw = len(S) / (time.time() - t)
print(f"MiniLM inference: {fw:.1f} sentences/s")
opt = torch.optim.AdamW(m.parameters(), lr=2e-5)
m.train()
t = time.time()
for b in range(3):
    a = m.tokenize(S[b * 32:b * 32 + 16])
    c = m.tokenize(S[b * 32 + 16:b * 32 + 32])
    ea = m(a)["sentence_embedding"]
    ec = m(c)["sentence_embedding"]
    loss = ((torch.cosine_similarity(ea, ec) - 1.0) ** 2).mean()
    loss.backward()
    opt.step()
    opt.zero_grad()
dt = (time.time() - t) / 3
print(f"train step (16 pairs): {dt:.2f} s -> {16 / dt:.1f} pairs/s")
