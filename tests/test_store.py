"""The SQLite store: round trips, reopening, crash safety, concurrent writers, reviews and policies."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.models import DocStatus, Evidence, Finding, Report, Status, Terms
from pipeline.policy import Mechanism, Policy
from pipeline.store import SCHEMA_VERSION, Decision, Store, default_db_path

ROOT = Path(__file__).resolve().parent.parent
IDS = ["audit", "instructions", "no-training", "breach-notification"]


def make_report(name: str, statuses: dict[str, Status] | None = None, library: str = "lib-a") -> Report:
    """A report for a document called ``name`` (sha256 derived from the name)."""
    statuses = statuses or {}
    findings = [
        Finding(rid, statuses.get(rid, Status.MET), 0.8,
                evidence=[Evidence(2, "9. Audits", f"The processor commits to {rid}.", 0.7)])
        for rid in IDS
    ]
    return Report(
        file=f"{name}.pdf", sha256=hashlib.sha256(name.encode()).hexdigest(), vendor=name.title(),
        pages=3, language="en", findings=findings,
        terms=Terms(breach_notice_hours=48, transfer_mechanisms=["SCC"], data_locations=["EU"]),
        provenance={"clause_library": library, "tool_version": "0.1.0"},
    )


def run_script(code: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_round_trip_and_listing(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    a = make_report("acme", {"audit": Status.MISSING, "no-training": Status.CONFLICT})
    store.put_report(a)
    back = store.get_report(a.sha256)
    assert back is not None and back.to_dict() == a.to_dict()
    assert back.finding("no-training").status is Status.CONFLICT
    assert back.finding("audit").evidence[0].section == "9. Audits"
    assert store.has_report(a.sha256) and store.has_report(a.sha256, "lib-a")
    assert not store.has_report(a.sha256, "lib-b") and not store.has_report("0" * 64)
    assert store.get_report("0" * 64) is None
    [info] = store.list_reports()
    assert (info.file, info.vendor, info.status) == ("acme.pdf", "Acme", DocStatus.OK)
    assert (info.met, info.gaps) == (2, 2)

    failed = Report(file="broken.pdf", sha256="f" * 64, status=DocStatus.ERROR, error="not a PDF",
                    error_code="not-pdf")
    store.put_report(failed)
    assert store.get_report("f" * 64).error_code == "not-pdf"
    assert [r.file for r in store.reports()] == ["broken.pdf", "acme.pdf"]  # newest first
    with pytest.raises(ValueError, match="sha256"):
        store.put_report(Report(file="x.pdf"))


def test_reanalysis_keeps_reviews_and_manual_vendor(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    a = make_report("acme")
    store.put_report(a)
    store.add_review(a.sha256, "audit", Status.MISSING, note="only SOC 2 reports")
    store.set_vendor(a.sha256, "Acme Corp")
    # Re-analysis with a new clause library: a second analysis, reviews and the hand-set vendor survive.
    b = make_report("acme", {"audit": Status.MISSING}, library="lib-b")
    store.put_report(b)
    assert store.get_report(a.sha256).vendor == "Acme Corp"
    assert store.get_report(a.sha256).finding("audit").status is Status.MISSING  # latest analysis wins
    assert store.get_report(a.sha256, "lib-a").finding("audit").status is Status.MET
    assert store.reviews(a.sha256)["audit"].note == "only SOC 2 reports"
    assert len(store.list_reports()) == 1
    store.set_vendor(a.sha256, None)
    store.put_report(b)
    assert store.get_report(a.sha256).vendor == "Acme"  # detected name again once the override is cleared
    with pytest.raises(KeyError):
        store.set_vendor("0" * 64, "Nobody")


def test_reopen_after_close_shows_everything(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "db.sqlite3"
    with Store(path) as store:
        for name in ("acme", "globex"):
            store.put_report(make_report(name))
        sha = make_report("acme").sha256
        store.add_review(sha, "audit", Status.MISSING, "no on-site audits", reviewer="kim")
        store.set_vendor(sha, "ACME GmbH")
        store.save_policy("strict", Policy(max_breach_notice_hours=24, require_eu_location=True))
    store = Store(path)
    assert {i.vendor for i in store.list_reports()} == {"ACME GmbH", "Globex"}
    review = store.reviews(sha)["audit"]
    assert (review.status, review.note, review.reviewer, review.decision) == (
        Status.MISSING, "no on-site audits", "kim", Decision.OVERRIDE)
    policy = store.load_policy("strict")
    assert policy.max_breach_notice_hours == 24 and policy.require_eu_location
    assert store.integrity_check() == "ok"


def test_pragmas_and_schema_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    conn = store._conn()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ConfigError, match="newer"):
        Store(path)


def test_default_path_follows_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DPA_DB", str(tmp_path / "env.sqlite3"))
    assert default_db_path() == tmp_path / "env.sqlite3"
    Store().put_report(make_report("acme"))
    assert (tmp_path / "env.sqlite3").exists()
    monkeypatch.delenv("DPA_DB")
    assert default_db_path().parts[-3:] == ("share", "dpa", "dpa.sqlite3")


def test_reviews_keep_history_and_latest_wins(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    sha = make_report("acme").sha256
    store.put_report(make_report("acme"))
    store.add_review(sha, "audit", Status.MISSING, "first look", reviewer="a")
    store.add_review(sha, "audit", None, "checked again, the clause is fine", reviewer="b")
    store.add_review(sha, "no-training", "conflict", "section 7 reserves training", reviewer="a")
    latest = store.reviews(sha)
    assert latest["audit"].decision is Decision.ACCEPT and latest["audit"].status is None
    assert latest["audit"].effective(Status.MET) is Status.MET
    assert latest["no-training"].effective(Status.MISSING) is Status.CONFLICT
    assert [r.reviewer for r in store.review_history(sha, "audit")] == ["a", "b"]
    assert store.all_reviews()[sha].keys() == {"audit", "no-training"}
    with pytest.raises(ValueError):
        store.add_review(sha, "audit", None, decision="override")
    with pytest.raises(ValueError):
        store.add_review(sha, "audit", Status.MET, decision=Decision.ACCEPT)
    with pytest.raises(ValueError):
        store.add_review(sha, "audit", "maybe")
    with pytest.raises(KeyError):
        store.add_review("0" * 64, "audit", Status.MET)
    # The schema itself refuses a bad status, whatever code writes to it.
    with pytest.raises(sqlite3.IntegrityError):
        store._conn().execute(
            "INSERT INTO reviews (sha256, requirement, decision, status, created_at) VALUES (?,?,?,?,?)",
            (sha, "audit", "override", "partly", "now"))
    assert len(store.review_history(sha)) == 3


def test_delete_cascades(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    a, b = make_report("acme"), make_report("globex")
    store.put_report(a)
    store.put_report(b)
    store.add_review(a.sha256, "audit", Status.MISSING)
    assert store.delete_report(a.sha256) and not store.delete_report(a.sha256)
    assert not store.has_report(a.sha256) and store.reviews(a.sha256) == {}
    assert store._conn().execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert [i.sha256 for i in store.list_reports()] == [b.sha256]


def test_policies(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    store.save_policy("default", Policy())
    eu_only = Policy(require_eu_location=True, accepted_transfer_mechanisms=[Mechanism.SCC])
    store.save_policy("eu-only", eu_only)
    store.save_policy("default", Policy(max_deletion_days=14))  # replaces
    assert store.list_policies() == ["default", "eu-only"]
    assert store.load_policy("default").max_deletion_days == 14
    assert store.load_policy("eu-only").accepted_transfer_mechanisms == [Mechanism.SCC]
    with pytest.raises(ConfigError, match="no stored policy"):
        store.load_policy("missing")
    with store._write() as conn:
        conn.execute("UPDATE policies SET json = ? WHERE name = 'eu-only'", ('{"max_breach_hours": 1}',))
    with pytest.raises(ConfigError, match="max_breach_hours"):
        store.load_policy("eu-only")
    assert store.delete_policy("eu-only") and store.list_policies() == ["default"]


CRASH_SCRIPT = """
    import hashlib, os, signal, sys
    sys.path.insert(0, os.getcwd())
    from tests.test_store import make_report
    from pipeline.store import Store
    store = Store(sys.argv[1])
    store.put_report(make_report("committed"))
    def die(sql):
        # Killed between the two statements of one put: the documents row is written, the analysis not.
        if sql.startswith("INSERT OR REPLACE INTO analyses"):
            os.kill(os.getpid(), signal.SIGKILL)
    store._conn().set_trace_callback(die)
    store.put_report(make_report("half"))
    print("not killed")
"""


def test_kill_between_statements_leaves_no_half_record(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store(path).put_report(make_report("earlier"))
    proc = run_script(CRASH_SCRIPT, str(path))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, (out, err)
    store = Store(path)
    assert store.integrity_check() == "ok"
    assert {i.file for i in store.list_reports()} == {"earlier.pdf", "committed.pdf"}
    assert store._conn().execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    assert store.get_report(make_report("half").sha256) is None


WRITER_SCRIPT = """
    import os, sys
    sys.path.insert(0, os.getcwd())
    from tests.test_store import make_report
    from pipeline.models import Status
    from pipeline.store import Store
    store = Store(sys.argv[1])
    tag, n = sys.argv[2], int(sys.argv[3])
    for i in range(n):
        r = make_report(f"{tag}-{i}")
        r.findings = r.findings * int(sys.argv[4])  # make each transaction large
        store.put_report(r)
        store.add_review(r.sha256, "audit", Status.MISSING, f"{tag} {i}")
"""


def test_kill_during_large_writes_keeps_database_consistent(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store(path).put_report(make_report("earlier"))
    proc = run_script(WRITER_SCRIPT, str(path), "w", "100000", "400")
    store = Store(path)
    deadline = time.monotonic() + 30
    while len(store.list_reports()) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    store.close()
    store = Store(path)
    assert store.integrity_check() == "ok"
    infos = store.list_reports()
    assert len(infos) >= 4
    orphans = store._conn().execute(
        "SELECT count(*) FROM documents WHERE sha256 NOT IN (SELECT sha256 FROM analyses)").fetchone()[0]
    assert orphans == 0
    for info in infos:  # every stored report is whole
        assert len(store.get_report(info.sha256).findings) in (len(IDS), len(IDS) * 400)


def test_concurrent_threads(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    conns: set[int] = set()
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)  # all alive at once, so no finished thread's connection is recycled

    def work(t: int) -> None:
        try:
            conns.add(id(store._conn()))
            barrier.wait(timeout=30)
            for i in range(20):
                r = make_report(f"t{t}-{i}")
                store.put_report(r)
                store.add_review(r.sha256, "audit", Status.MISSING, f"thread {t}")
                assert store.get_report(r.sha256) is not None
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(conns) == 6  # one connection per thread
    assert len(store.list_reports()) == 120
    assert sum(len(v) for v in store.all_reviews().values()) == 120
    assert store.integrity_check() == "ok"


def test_concurrent_processes(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"  # created by the racing writers themselves: migration must not race
    procs = [run_script(WRITER_SCRIPT, str(path), f"p{k}", "30", "20") for k in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    store = Store(path)
    assert len(store.list_reports()) == 90
    assert sum(len(v) for v in store.all_reviews().values()) == 90
    assert store.integrity_check() == "ok"


def test_connections_of_finished_threads_are_closed(tmp_path: Path) -> None:
    # Streamlit runs each rerun in a new thread; their connections must not pile up.
    store = Store(tmp_path / "db.sqlite3")
    store.put_report(make_report("acme"))
    for _ in range(10):
        th = threading.Thread(target=store.list_reports)
        th.start()
        th.join()
    assert len(store._conns) <= 2


def test_a_store_opens_while_another_connection_writes_to_a_rollback_journal_database(tmp_path: Path) -> None:
    """Switching to WAL mode needs the write lock, and SQLite fails that upgrade at once rather than wait: the
    store must wait out the other writer (as two processes creating one store together must), not fail."""
    import sqlite3
    import threading

    path = tmp_path / "db.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE scratch (a)")  # a database in the default rollback-journal mode
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO scratch VALUES (1)")
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    store = Store(path)  # failed at once with "database is locked" before the retry
    store.put_report(make_report("after"))
    assert len(store.list_reports()) == 1
    assert store._conn().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()
