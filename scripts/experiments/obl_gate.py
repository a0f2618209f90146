"""Gate variant: a sentence whose only modal verbs are duties of the controller (or of data subjects /
authorities) never counts for a processor-duty requirement. Scores saved OOF matrices with and without it.

    python obl_gate.py /tmp/P_v_base.npy /tmp/P_v_obl1.npy
"""
import sys

import numpy as np
from common import R, report, texts

from pipeline.obligation import Modality, Party, obligations

# Requirements the controller may legitimately be the subject of (grants, rights, descriptions).
EXEMPT = {"subprocessor-authorisation", "subprocessor-objection", "audit", "data-types", "data-subjects",
          "duration", "nature-purpose", "subprocessor-list"}
NOT_PROC = {Party.CONTROLLER, Party.DATA_SUBJECT, Party.AUTHORITY}


def other_only(t: str) -> bool:
    obs = obligations(t)
    duties = [o for o in obs if o.modality == Modality.DUTY]
    return bool(duties) and all(o.party in NOT_PROC for o in obs)


bad = np.array([other_only(t) for t in texts])
print("sentences gated:", bad.sum())
M = np.ones((len(texts), len(R)), dtype=bool)
for j, rid in enumerate(R):
    if rid not in EXEMPT:
        M[bad, j] = False
for p in sys.argv[1:]:
    P = np.load(p)
    report(p.split("/")[-1], P)
    report(p.split("/")[-1] + " +oblgate", P, M)
