"""Report how well each requirement's cue regexes cover the labelled evidence.

A cue list is a recall gate (a passage must match one cue to count as met), and so is a requirement's own
``disqualifiers`` list, which rejects the passage itself; neither must lose labelled positives. SnT's four
rotated assist-* ids are read by their meaning (``train.SNT_ROTATION``), as the matcher trains on them. For
each requirement with cues or disqualifiers this prints:

* ``recall``: fraction of labelled positive sentences (SnT train ``sentences.jsonl`` plus the evidence
  quotes of ``vendors-dev/labels.json``) that match at least one cue;
* ``recall±1``: the same when the sentence may be read together with its neighbours (the matcher
  can check cues against the surrounding block, see ``Chunk.context``);
* ``other``: fraction of SnT sentences *not* labelled with this requirement that match (how much
  the gate filters out; lower is more selective);
* ``docs``: document-level recall, what decides a status: the fraction of (document, requirement)
  pairs labelled met (SnT train and vendors-dev) where at least one evidence passage, read with its
  neighbours, matches a cue.

Usage: ``.venv/bin/python scripts/check_cues.py [--library PATH] [--eval DIR] [--show N]``.
Only training / dev data is read; the held-out folders are never touched.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import unrotate_snt  # noqa: E402
from pipeline.gate import passes_cues  # noqa: E402
from pipeline.library import load_library  # noqa: E402
from pipeline.train import SNT_ROTATION  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"


def _load_sentences(eval_dir: Path) -> list[dict]:
    path = eval_dir / "snt-train" / "sentences.jsonl"
    with path.open(encoding="utf-8") as fh:
        sents = [json.loads(line) for line in fh if line.strip()]
    for s in sents:  # the matcher reads SnT's four rotated assist-* ids by their meaning, so do the cues
        s["requirements"] = [SNT_ROTATION.get(r, r) for r in s["requirements"]]
    return sents


def _vendor_evidence(eval_dir: Path) -> dict[str, list[str]]:
    data = json.loads((eval_dir / "vendors-dev" / "labels.json").read_text(encoding="utf-8"))
    out: dict[str, list[str]] = defaultdict(list)
    for doc in data["documents"].values():
        for rid, quotes in doc.get("evidence", {}).items():
            if doc["requirements"].get(rid) == "met":
                out[rid].extend(quotes)
    return out


def _doc_evidence(eval_dir: Path) -> dict[str, list[list[str]]]:
    """Per requirement: one list of evidence quotes per document labelled met."""
    out: dict[str, list[list[str]]] = defaultdict(list)
    for split in ("snt-train", "vendors-dev"):
        data = json.loads((eval_dir / split / "labels.json").read_text(encoding="utf-8"))
        if split == "snt-train":
            data = unrotate_snt(data)
        for doc in data["documents"].values():
            for rid, status in doc["requirements"].items():
                if status == "met":
                    out[rid].append(doc.get("evidence", {}).get(rid, []))
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the per-requirement cue coverage table; exit 1 if any recall is below ``--min``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", type=Path, default=None)
    ap.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--show", type=int, default=0, help="print up to N missed positives per requirement")
    ap.add_argument("--min", type=float, default=0.0, help="fail when a document-level recall is below this")
    args = ap.parse_args(argv)

    lib = load_library(args.library)
    sents = _load_sentences(args.eval)
    vendor = _vendor_evidence(args.eval)
    docs = _doc_evidence(args.eval)
    by_text: dict[str, list[int]] = defaultdict(list)

    # Neighbour windows within the same file, for the context-aware recall.
    window: list[str] = []
    for i, s in enumerate(sents):
        parts = [s["text"]]
        if i > 0 and sents[i - 1]["file"] == s["file"]:
            parts.insert(0, sents[i - 1]["text"])
        if i + 1 < len(sents) and sents[i + 1]["file"] == s["file"]:
            parts.append(sents[i + 1]["text"])
        window.append(" ".join(parts))
        by_text[s["text"]].append(i)

    worst = 1.0
    print(f"{'requirement':28} {'n':>5} {'recall':>7} {'recall±1':>9} {'other':>7} {'docs':>9}")
    for req in lib.requirements:
        if not (req.cues or req.disqualifiers):
            continue
        pats = [re.compile(p) for p in req.cues]
        # A requirement's own disqualifiers reject the passage itself (gate.passes_gate), so a labelled passage
        # they reject is lost like one that misses every cue.
        deny = [re.compile(p) for p in req.disqualifiers]

        def hit(text: str, ctx: str = "", pats: list[re.Pattern] = pats, deny: list[re.Pattern] = deny) -> bool:
            """A cue in the passage or its neighbours, no disqualifier in the passage (as gate.passes_gate)."""
            return passes_cues(pats, text, ctx) and not any(d.search(text) for d in deny)

        pos_idx = [i for i, s in enumerate(sents) if req.id in s["requirements"]]
        neg_idx = [i for i, s in enumerate(sents) if req.id not in s["requirements"]]
        pos_texts = [sents[i]["text"] for i in pos_idx] + vendor.get(req.id, [])
        n = len(pos_texts)
        if n == 0:
            print(f"{req.id:28} {0:>5} {'-':>7} {'-':>9}")
            continue
        direct = sum(hit(t) for t in pos_texts)
        ctx = sum(hit(sents[i]["text"], window[i]) for i in pos_idx) + sum(hit(t) for t in vendor.get(req.id, []))
        other = sum(hit(sents[i]["text"]) for i in neg_idx) / max(1, len(neg_idx))
        r1, r2 = direct / n, ctx / n

        def doc_hit(quotes: list[str]) -> bool:
            return any(hit(q) or any(hit(q, window[i]) for i in by_text.get(q, [])) for q in quotes)

        dq = docs.get(req.id, [])
        dhit = sum(doc_hit(q) for q in dq)
        rdoc = dhit / max(1, len(dq))
        worst = min(worst, rdoc)
        print(f"{req.id:28} {n:>5} {r1:>7.3f} {r2:>9.3f} {other:>7.3f} {dhit:>4}/{len(dq):<4}")
        if args.show:
            missed = [t for t in pos_texts if not hit(t)][: args.show]
            for t in missed:
                print(f"    miss: {t[:160]}")
    return 1 if worst < args.min else 0


if __name__ == "__main__":
    raise SystemExit(main())
