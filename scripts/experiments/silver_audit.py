"""Key terms and requirement statuses on unlabelled corpus DPAs, against silver labels.

The vendors-dev labels are what the rules were written against, so their numbers say little about a vendor we
have not seen (issue 3 asks for held-out accuracy). This renders the 40 unlabelled vendor texts of
``shared/corpus/vendor-dpas`` to PDF as the benchmark does (held-out and vendors-dev vendors are skipped),
analyses them with the bundled model and compares:

- key terms with ``silver_terms.json`` (40 documents, adjudicated; lists compare as sets, ``adequacy`` left out
  of both sides, see the file's "about");
- requirement statuses with ``silver_requirements.json`` (39 documents in four batches, not adjudicated): gap
  precision / recall over all labels, and over the labels the annotator did not call borderline, per batch and
  together. Each batch was first measured before any rule was written against it (docs/accuracy.md).

    .venv/bin/python scripts/experiments/silver_audit.py [--errors]      # ~1 min with a warm embedding cache

Never reads snt-test or vendors-holdout (only the latter's file names, to skip those vendors).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import render_corpus  # noqa: E402

from pipeline.analyze import Analyzer  # noqa: E402

HERE = Path(__file__).parent


def comparable(field: str, value):
    if field == "transfer_mechanisms":
        return sorted(m for m in value if m != "adequacy")
    return sorted(value) if isinstance(value, list) else value


def gap_line(pairs: list[tuple[bool, bool]]) -> str:
    """gap P / R / F1 / accuracy over (labelled gap, reported gap) pairs."""
    tp = sum(g and o for g, o in pairs)
    fp = sum(o and not g for g, o in pairs)
    fn = sum(g and not o for g, o in pairs)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    f1 = 2 * p * r / max(1e-9, p + r)
    acc = sum(g == o for g, o in pairs) / max(1, len(pairs))
    return f"gap P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  accuracy {acc:.3f}  ({len(pairs)} findings, {tp + fn} gaps)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="print every term and status that differs from its label")
    ap.add_argument("--render-dir", type=Path, default=Path(tempfile.gettempdir()) / "dpa-bench-pdfs")
    args = ap.parse_args()
    terms_lab = json.loads((HERE / "silver_terms.json").read_text())["documents"]
    req_lab = json.loads((HERE / "silver_requirements.json").read_text())["documents"]
    pdfs = {p.stem.rsplit("-", 1)[0]: p for p in render_corpus(args.render_dir, None)}
    analyzer = Analyzer()
    right: dict[str, list[bool]] = {}
    pairs: dict[int, list[tuple[bool, bool]]] = {}
    sure: dict[int, list[tuple[bool, bool]]] = {}
    for name in sorted(set(terms_lab) | set(req_lab)):
        if name not in pdfs:
            print(f"  (not rendered: {name})", file=sys.stderr)
            continue
        report = analyzer.analyze_file(pdfs[name])
        terms = report.terms.to_dict()
        for field, want in terms_lab.get(name, {}).get("terms", {}).items():
            got = comparable(field, terms[field])
            ok = got == comparable(field, want)
            right.setdefault(field, []).append(ok)
            if args.errors and not ok:
                print(f"{name:36s} {field:26s} label {want!s:28s} ours {got}")
        if name in req_lab:
            status = {f.requirement: f.status.value for f in report.findings}
            batch = req_lab[name].get("batch", 1)
            for rid, want in req_lab[name]["requirements"].items():
                pair = (want != "met", status[rid] != "met")
                pairs.setdefault(batch, []).append(pair)
                if rid not in req_lab[name]["unsure"]:
                    sure.setdefault(batch, []).append(pair)
                if args.errors and (pair[0] != pair[1] or (want == "conflict") != (status[rid] == "conflict")):
                    flag = " (borderline)" if rid in req_lab[name]["unsure"] else ""
                    print(f"{name:36s} {rid:26s} label {want:28s} ours {status[rid]}{flag}")
    n = sum(len(v) for v in right.values())
    k = sum(sum(v) for v in right.values())
    print(f"key terms exact {k}/{n} = {k / n:.3f}  ("
          + ", ".join(f"{f} {sum(v)}/{len(v)}" for f, v in right.items()) + ")")
    for batch in sorted(pairs):
        print(f"requirements, batch {batch}, all labels:            {gap_line(pairs[batch])}")
        print(f"requirements, batch {batch}, not borderline labels: {gap_line(sure[batch])}")
    print(f"requirements, all batches, all labels:            {gap_line([x for v in pairs.values() for x in v])}")
    print(f"requirements, all batches, not borderline labels: {gap_line([x for v in sure.values() for x in v])}")


if __name__ == "__main__":
    main()
