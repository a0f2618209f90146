
"""Score saved out-of-fold probability matrices (npy) with and without the cue gate."""
import sys

import numpy as np
from common import cue_mask, report, sent_ap

M = cue_mask()
for p in sys.argv[1:]:
    P = np.load(p)
    report(p.split('/')[-1], P, extra=f"sentAP {sent_ap(P)}")
    report(p.split('/')[-1] + " +cue", P, M)
