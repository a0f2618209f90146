# ruff: noqa: F403, F405  (the harness's names)
"""A non-linear head: MLP over the MiniLM embedding, alone and averaged with the current design (harness rows)."""
import sys
import warnings

import numpy as np
from sklearn.neural_network import MLPClassifier

sys.path.insert(0, "scripts/experiments")
from common import *

warnings.filterwarnings("ignore")
X = load_emb()
base = np.load("/tmp/P_v_base.npy")  # sent_variants.py base: the current design's out-of-fold probabilities
report("base (saved)", base)
for hid, alpha in [((256,), 1e-3), ((512,), 1e-2)]:
    P = np.zeros(Y.shape, dtype=np.float32)
    for tr, te in FOLDS:
        clf = MLPClassifier(hidden_layer_sizes=hid, alpha=alpha, max_iter=60, random_state=0)
        clf.fit(X[tr], Y[tr])
        P[te] = clf.predict_proba(X[te])
    report(f"mlp emb {hid} a={alpha}", P)
    report("  blend base+mlp", 0.5 * base + 0.5 * P)
