
import sys

import numpy as np
from common import GOLD, R, Y, doc_max, perreq_pred

P = np.load(sys.argv[1])
D = doc_max(P)
pred = perreq_pred(D)
for j, rid in enumerate(R):
    gold = GOLD[:, j]
    acc = (pred[:, j] == gold).mean()
    # how many docs with gold met have any labelled sentence (always) ; AUC of doc score
    from sklearn.metrics import roc_auc_score
    auc = roc_auc_score(gold, D[:, j]) if 0 < gold.sum() < len(gold) else float('nan')
    maj = max(gold.mean(), 1 - gold.mean())
    print(f"{rid:28s} missing {(~gold).sum():2d}  acc {acc:.3f}  maj {maj:.3f}  docAUC {auc:.3f}  "
          f"pos_sent {Y[:, j].sum():4d}")
