"""End-to-end check of a revised DPA that adds a training reservation (issue 3; the held-out variants do this).

For every vendors-dev DPA not labelled `conflict`, its text (shared/corpus/vendor-dpas) gets one reservation of
our own wording, either as a paragraph of its own or appended to an existing paragraph (where the chunker may
merge it with a list fragment), is rendered to PDF (tests/pdfgen.py) and analysed as `dpa analyze` does. It
prints whether `no-training` becomes `conflict` and whether the reservation is in its first evidence passage.

    .venv/bin/python scripts/experiments/reservation_probe.py

Never reads snt-test or vendors-holdout.
"""
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pdfgen import Para, make_pdf  # noqa: E402

from pipeline.analyze import Analyzer  # noqa: E402

SHARED = ROOT.parent / "shared"
RESERVATIONS = [  # our own wording
    "Notwithstanding anything to the contrary in this DPA, the Provider may use Customer Data, including Personal "
    "Data, to train and improve its machine learning models.",
    "Customer agrees that the Provider may use prompts, inputs and outputs submitted through the Services to "
    "develop and improve the Provider's AI models.",
]


def main() -> None:
    an = Analyzer()
    labels = json.loads((SHARED / "eval/vendors-dev/labels.json").read_text())["documents"]
    right = total = 0
    for doc, gold in labels.items():
        text = SHARED / "corpus/vendor-dpas" / f"{Path(doc).stem}.txt"
        if gold["requirements"].get("no-training") == "conflict" or not text.exists():
            continue
        paras = [p.strip() for p in text.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        for k, (mode, sentence) in enumerate(zip(("own paragraph", "appended"), RESERVATIONS)):
            at, revised = int(len(paras) * (0.3 + 0.3 * k)), list(paras)
            if mode == "own paragraph":
                revised.insert(at, sentence)
            else:
                revised[at] = f"{revised[at]} {sentence}"
            with tempfile.TemporaryDirectory() as d:
                path = Path(d) / doc
                path.write_bytes(make_pdf([Para(p) for p in revised], unicode_font=True))
                finding = an.analyze_file(path).finding("no-training")
            cited = bool(finding.evidence) and sentence[:60] in " ".join(finding.evidence[0].text.split())
            ok = finding.status.value == "conflict" and cited
            right, total = right + ok, total + 1
            print(f"{'ok ' if ok else 'BAD'} {doc:22s} {mode:13s} {finding.status.value:8s} cited first: {cited}")
    print(f"{right} of {total} revised DPAs show the reservation as a conflict, citing it first")


if __name__ == "__main__":
    main()
