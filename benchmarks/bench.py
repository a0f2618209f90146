"""Speed and memory of ``dpa analyze``, stage by stage, against the floor of pure model time.

Inputs: the unlabelled vendor DPA texts of ``../shared/corpus/vendor-dpas`` (rendered to PDF here with fpdf2,
into a cache folder outside the repository; held-out vendors and the labelled dev vendors are skipped), the
``vendors-dev`` PDFs and a sample of ``snt-train`` PDFs. Held-out corpora are never read.

What it prints (medians over ``--repeats`` runs; every run gets fresh caches so "first analysis" is cold):

* per document: parse, chunk, embed, match, terms, total; pure model time (the bare model of the configured
  backend encoding the same chunk texts, nothing else: no cache, no pipeline) and total / pure;
* re-analysis with warm caches (embedding + parsed-document cache) and its speed-up;
* a batch in one process (docs/minute), cold start (process start → first report, ``dpa analyze --format
  json`` in a subprocess) and peak RSS of the whole process tree;
* the same batch through the CLI with ``--workers 1`` and ``--workers 2``, and on one core (``taskset``)
  against two, i.e. whether a batch uses both cores; cold start with the torch backend for comparison;
* encoding variants (backend onnx / torch, batch size, threads) on the same chunk texts;
* ``--big N``: a batch of N distinct documents (rendered corpus, then dev, then SnT PDFs) for peak memory.

Usage: ``make bench`` (full), ``.venv/bin/python benchmarks/bench.py --quick`` (a few documents).
The machine's load average is printed next to each section: on a shared machine, numbers move with it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "vendor-dpas"
DEV = SHARED / "eval" / "vendors-dev"
SNT = SHARED / "eval" / "snt-train"
HOLDOUT = SHARED / "eval" / "vendors-holdout"  # only its file *names* are read, to skip those vendors
STAGES = ("parse", "chunk", "embed", "match", "terms", "total")
DPA = ROOT / ".venv" / "bin" / "dpa"


def load() -> str:
    """The 1-minute load average and the core count, e.g. ``load 3.4/2``."""
    return f"load {os.getloadavg()[0]:.1f}/{os.cpu_count()}"


def med(xs) -> float:
    xs = list(xs)
    return statistics.median(xs) if xs else float("nan")


# --- inputs -------------------------------------------------------------------------------------------------


def excluded_vendors() -> set[str]:
    """Vendors with a held-out PDF (never used) or a labelled dev PDF (already used as PDFs)."""
    names = {re.sub(r"-variant\d+$", "", p.stem) for p in HOLDOUT.glob("*.pdf")} if HOLDOUT.exists() else set()
    return names | {p.stem for p in DEV.glob("*.pdf")}


def render_corpus(out_dir: Path, limit: int | None) -> list[Path]:
    """Render the unlabelled vendor texts to PDF (cached by content hash); markdown headings become bold."""
    from tests.pdfgen import __file__ as pdfgen_file
    from tests.pdfgen import make_pdf, markdown_items

    out_dir.mkdir(parents=True, exist_ok=True)
    skip = excluded_vendors()
    out = []
    for txt in sorted(CORPUS.glob("*.txt")):
        if txt.name.startswith("_") or txt.stem in skip:
            continue
        if limit is not None and len(out) >= limit:
            break
        raw = txt.read_text(encoding="utf-8", errors="replace")
        # The renderer's own source is part of the key: a rendering change must not reuse stale PDFs.
        key = hashlib.sha256(raw.encode() + Path(pdfgen_file).read_bytes()).hexdigest()[:8]
        pdf = out_dir / f"{txt.stem}-{key}.pdf"
        if not pdf.exists():
            items = markdown_items(raw)
            try:
                pdf.write_bytes(make_pdf(items, header=f"{txt.stem} DPA", footer="Page {n} of {nb}",
                                         unicode_font=True))
            except Exception as exc:  # a glyph DejaVu lacks, etc.: skip the document, say so
                print(f"  (skipped {txt.name}: cannot render: {type(exc).__name__})", file=sys.stderr)
                continue
        out.append(pdf)
    return out


def documents(quick: bool, render_dir: Path) -> list[Path]:
    """The benchmark set: rendered corpus DPAs, vendors-dev PDFs, a sample of snt-train PDFs."""
    corpus = render_corpus(render_dir, 2 if quick else None)
    dev = sorted(DEV.glob("*.pdf"))[: 2 if quick else None]
    snt = sorted(SNT.glob("*.pdf"))[::6][: 2 if quick else 10]
    return corpus + dev + snt


# --- memory -------------------------------------------------------------------------------------------------


def _tree_rss(pid: int) -> int:
    """Memory of a process and all its descendants (from /proc): proportional set size (PSS) where the kernel
    offers it, so the torch libraries that worker processes share are counted once, not once per worker;
    plain VmRSS otherwise."""
    kids: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parts = stat.read_text().rsplit(")", 1)[1].split()
            kids.setdefault(int(parts[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(kids.get(p, []))
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup")
            source, field = (rollup, "Pss:") if rollup.exists() else (Path(f"/proc/{p}/status"), "VmRSS:")
            for line in source.read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            pass
    return total


def run_cli(args: list[str], env: dict[str, str], prefix: list[str] | None = None) -> tuple[float, int, str]:
    """Run the CLI (after ``prefix``, e.g. taskset); return (wall seconds, peak memory of its tree, stdout)."""
    t = time.perf_counter()
    proc = subprocess.Popen([*(prefix or []), str(DPA), *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            stop.wait(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - t
    stop.set()
    th.join()
    return wall, peak[0], out.decode("utf-8", "replace")


# --- sections -----------------------------------------------------------------------------------------------


def per_document(docs: list[Path], repeats: int) -> dict:
    """First analysis (cold caches), pure model time and warm re-analysis, per document; medians."""
    from pipeline.analyze import Analyzer
    from pipeline.cache import ParseCache
    from pipeline.chunk import chunk_document
    from pipeline.embed import CachedEmbedder, get_embedder
    from pipeline.parse import parse_bytes

    base = get_embedder(cache=False)
    print(f"backend: {getattr(base, 'backend', '?')} ({type(base).__name__})")
    encode = bare_encoder(base)  # the floor every analysis must pay
    texts = {p: [c.text for c in chunk_document(parse_bytes(p.read_bytes(), p.name))] for p in docs}
    encode(texts[docs[0]][:64])  # warm-up (first call allocates)
    rows: dict[str, dict[str, list[float]]] = {p.name: {} for p in docs}
    loads = []
    for r in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            an = Analyzer(embedder=CachedEmbedder(base, Path(tmp) / "emb.sqlite3"))
            an.parse_cache = ParseCache(Path(tmp) / "emb.sqlite3")
            for p in docs:
                loads.append(os.getloadavg()[0])
                row = rows[p.name]
                first = an.analyze_file(p)
                warm = an.analyze_file(p)
                t = time.perf_counter()
                encode(texts[p])
                pure = time.perf_counter() - t
                for k in STAGES:
                    row.setdefault(k, []).append(first.timings.get(k, 0.0))
                row.setdefault("pure", []).append(pure)
                row.setdefault("warm", []).append(warm.timings["total"])
                row["pages"] = [first.pages]
                row["chunks"] = [len(texts[p])]
                row["ok"] = [first.status.value == "ok"]
        print(f"  repeat {r + 1}/{repeats} done ({load()})", file=sys.stderr)
    out = {name: {k: med(v) for k, v in row.items()} for name, row in rows.items()}
    print(f"\n== per document, first analysis (cold caches), median of {repeats}; "
          f"load during run median {med(loads):.1f} on {os.cpu_count()} cores ==")
    head = f"{'document':34s} {'pg':>3s} {'chunks':>6s} " + " ".join(f"{k:>6s}" for k in STAGES)
    print(head + f" {'pure':>6s} {'tot/pure':>8s} {'warm':>7s} {'speedup':>7s}")
    for name, row in out.items():
        print(f"{name[:34]:34s} {row['pages']:3.0f} {row['chunks']:6.0f} "
              + " ".join(f"{row[k]:6.2f}" for k in STAGES)
              + f" {row['pure']:6.2f} {row['total'] / row['pure']:8.2f} {row['warm']:7.3f}"
              f" {row['total'] / row['warm']:6.0f}x")
    tot = sum(r["total"] for r in out.values())
    pure = sum(r["pure"] for r in out.values())
    warm = sum(r["warm"] for r in out.values())
    share = {k: sum(r[k] for r in out.values()) / tot for k in STAGES[:-1]}
    print(f"sum: total {tot:.1f} s, pure model {pure:.1f} s, total/pure {tot / pure:.2f} (target <= 1.5); "
          f"warm re-analysis {warm:.2f} s, speed-up {tot / warm:.0f}x (target >= 20); median per-doc "
          f"tot/pure {med(r['total'] / r['pure'] for r in out.values()):.2f}, speed-up "
          f"{med(r['total'] / r['warm'] for r in out.values()):.0f}x")
    print("share of total: " + ", ".join(f"{k} {v:.0%}" for k, v in share.items()))
    return {"docs": out, "sum_total": tot, "sum_pure": pure, "sum_warm": warm, "share": share,
            "load_median": med(loads), "texts": texts}


def bare_encoder(base):
    """The model alone: ``SentenceTransformer.encode`` for torch, tokenizer + ONNX session for onnx."""
    if getattr(base, "backend", "") == "torch":
        return lambda ts: base._model.encode(ts, batch_size=base.batch_size, normalize_embeddings=True,
                                             show_progress_bar=False)
    return base.embed  # OnnxEmbedder.embed is exactly tokenise → run → rows (no cache, no pipeline)


def encoding_variants(texts: dict, repeats: int, sample: int = 300) -> dict:
    """Pure encoding of the same chunk texts: each backend, 1 or all threads, three batch sizes."""
    from pipeline.embed import DEFAULT_MODEL, SentenceTransformerEmbedder, _resolve_model_path
    from pipeline.onnx_embed import OnnxEmbedder

    allt = [t for ts in texts.values() for t in ts][:sample]
    res = {}
    cores = os.cpu_count() or 1
    print(f"\n== encoding variants on {len(allt)} chunk texts, median of {repeats} ({load()}) ==")
    torch_model = SentenceTransformerEmbedder()
    import torch  # loaded by sentence-transformers already; only its thread count is changed here

    for backend in ("onnx", "torch"):
        for threads in sorted({1, cores}):
            for bs in (16, 64, 128):
                if backend == "onnx":
                    enc = OnnxEmbedder(DEFAULT_MODEL, Path(_resolve_model_path(DEFAULT_MODEL)), batch_size=bs,
                                       threads=threads).embed
                else:
                    torch.set_num_threads(threads)
                    torch_model.batch_size = bs
                    enc = bare_encoder(torch_model)
                enc(allt[:32])
                ts = []
                for _ in range(repeats):
                    t = time.perf_counter()
                    enc(allt)
                    ts.append(time.perf_counter() - t)
                res[f"{backend} threads={threads} batch={bs}"] = med(ts)
                print(f"  {backend:5s} threads={threads} batch={bs:3d}: {med(ts):6.2f} s  ({load()})")
    torch.set_num_threads(cores)
    return res


def batch_and_cold_start(docs: list[Path], repeats: int) -> dict:
    """Through the CLI: cold start for one document, then the batch with 1 and 2 workers (fresh caches)."""
    res: dict[str, list[float]] = {}
    one_core = ["taskset", "-c", "0"] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else None
    print(f"\n== CLI: cold start and batch of {len(docs)} documents, median of {repeats} ==")
    with tempfile.TemporaryDirectory() as tmp:
        batch = link_batch(docs, Path(tmp) / "batch")
        for r in range(repeats):
            for backend in ("onnx", "torch"):
                env = dict(os.environ, DPA_CACHE=str(Path(tmp) / f"cold{r}{backend}.sqlite3"), DPA_BACKEND=backend)
                wall, rss, out = run_cli(["analyze", str(docs[0]), "--format", "json"], env)
                json.loads(out)  # a real report came back
                key = "cold_start" if backend == "onnx" else "cold_start_torch"
                res.setdefault(key, []).append(wall)
                res.setdefault(key + "_rss", []).append(rss)
                warm, _, _ = run_cli(["analyze", str(docs[0]), "--format", "json"], env)
                res.setdefault(key + "_warm_cache", []).append(warm)
                print(f"  cold start ({backend}) {wall:.1f} s (warm caches {warm:.1f} s), "
                      f"memory {rss / 2**20:.0f} MiB ({load()})")
            runs = [("w1", 1, None), ("w2", 2, None)] + ([("core1", 1, one_core)] if one_core else [])
            for key, workers, prefix in runs:
                env = dict(os.environ, DPA_CACHE=str(Path(tmp) / f"{key}-{r}.sqlite3"))
                wall, rss, out = run_cli(["analyze", str(batch), "--format", "json", "--workers",
                                          str(workers)], env, prefix=prefix)
                n = len(json.loads(out))
                res.setdefault(key, []).append(wall)
                res.setdefault(f"{key}_rss", []).append(rss)
                label = "1 core, --workers 1" if prefix else f"--workers {workers}"
                print(f"  {label}: {n} docs in {wall:.1f} s = {60 * n / wall:.1f} docs/min, "
                      f"peak memory (tree PSS) {rss / 2**20:.0f} MiB ({load()})")
    m = {k: med(v) for k, v in res.items()}
    print(f"cold start median {m['cold_start']:.1f} s (torch backend {m['cold_start_torch']:.1f} s; warm caches "
          f"{m['cold_start_warm_cache']:.1f} s); 1 worker {m['w1']:.1f} s, 2 workers {m['w2']:.1f} s: "
          f"speed-up {m['w1'] / m['w2']:.2f}x; peak memory 1 worker {m['w1_rss'] / 2**20:.0f} MiB, "
          f"2 workers {m['w2_rss'] / 2**20:.0f} MiB")
    if "core1" in m:
        print(f"1 core -> 2 cores (one process, model threads follow the cores): {m['core1'] / m['w1']:.2f}x; "
              f"1 core -> 2 cores with 2 workers: {m['core1'] / m['w2']:.2f}x (target >= 1.7)")
    return m


def link_batch(docs: list[Path], folder: Path) -> Path:
    """A folder of symlinks to the documents, under distinct names (the CLI takes a folder)."""
    folder.mkdir(parents=True)
    for i, p in enumerate(docs):
        (folder / f"{i:03d}-{p.name}").symlink_to(p)
    return folder


def big_batch(n: int, render_dir: Path, workers: list[str]) -> dict:
    """Peak memory and throughput for a batch of ``n`` distinct documents, one CLI run per worker count
    (``core1``: one worker pinned to one core with taskset, the baseline for using both cores)."""
    pool = render_corpus(render_dir, None) + sorted(DEV.glob("*.pdf")) + sorted(SNT.glob("*.pdf"))
    docs = pool[:n]
    print(f"\n== CLI: big batch of {len(docs)} distinct documents ({load()}) ==")
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        batch = link_batch(docs, Path(tmp) / "batch")
        for w in workers:
            env = dict(os.environ, DPA_CACHE=str(Path(tmp) / f"big{w}.sqlite3"))
            prefix = ["taskset", "-c", "0"] if w == "core1" else None
            wall, rss, out = run_cli(["analyze", str(batch), "--format", "json", "--workers",
                                      "1" if w == "core1" else w], env, prefix=prefix)
            reps = json.loads(out)
            ok = sum(r.get("status") == "ok" for r in reps)
            res[f"w{w}"] = {"seconds": wall, "peak_bytes": rss, "docs": len(reps), "ok": ok}
            print(f"  --workers {w}: {len(reps)} docs ({ok} ok) in {wall:.0f} s = {60 * len(reps) / wall:.1f} "
                  f"docs/min, peak memory (tree PSS) {rss / 2**20:.0f} MiB (target <= 1536) ({load()})")
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="2 corpus + 2 dev + 2 SnT documents")
    ap.add_argument("--repeats", type=int, help="runs per measurement (default 3)")
    ap.add_argument("--big", type=int, default=0, metavar="N",
                    help="also run a CLI batch of N distinct documents (peak memory; 100 for the target)")
    ap.add_argument("--big-workers", default="1,2",
                    help="worker counts for --big, comma-separated; core1 = one worker on one core (default 1,2)")
    ap.add_argument("--skip", action="append", default=[], choices=["docs", "encoding", "cli"],
                    help="leave a section out")
    ap.add_argument("--json", type=Path, help="also write the medians as JSON to this file")
    ap.add_argument("--render-dir", type=Path, default=Path(tempfile.gettempdir()) / "dpa-bench-pdfs",
                    help="where the corpus texts are rendered to PDF (outside the repository)")
    a = ap.parse_args()
    repeats = a.repeats or 3
    t0 = time.perf_counter()
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), "?")
    mem = next((ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), "0")
    print(f"machine: {os.cpu_count()} cores, {cpu}, {int(mem) / 2**20:.1f} GiB RAM; {load()}")
    docs = documents(a.quick, a.render_dir)
    print(f"{len(docs)} documents ({'quick' if a.quick else 'full'}), {repeats} repeats")
    result: dict = {"machine": {"cores": os.cpu_count(), "cpu": cpu}, "documents": [p.name for p in docs]}
    texts = None
    if "docs" not in a.skip:
        pd = per_document(docs, repeats)
        texts = pd.pop("texts")
        result["per_document"] = pd
        n = len(docs)
        print(f"batch in one process (model loaded, cold caches): {n} docs in {pd['sum_total']:.1f} s = "
              f"{60 * n / pd['sum_total']:.1f} docs/min; peak RSS of this process "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if "encoding" not in a.skip and texts:
        result["encoding"] = encoding_variants(texts, repeats)
    if "cli" not in a.skip:
        result["cli"] = batch_and_cold_start(docs, repeats)
    if a.big:
        result["big"] = big_batch(a.big, a.render_dir, a.big_workers.split(","))
    print(f"\nbench took {time.perf_counter() - t0:.0f} s ({load()})")
    if a.json:
        a.json.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
