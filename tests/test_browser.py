"""The dashboard in a real headless Chromium: upload the example DPAs, read the matrix, download an export.

Needs Debian's ``chromium`` (``apt-get install -y chromium``) and the Python ``playwright`` package; this
test installs nothing and never downloads a browser. It starts ``streamlit run dashboard.py`` on
127.0.0.1 with a temporary database, and records every request the page makes, to check that nothing
goes anywhere but the local server. ``DPA_SCREENSHOT=1`` also saves ``docs/screenshot-compare.png``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from pipeline.library import load_library
from pipeline.match import DEFAULT_MODEL_PATH

from .conftest import EXAMPLES, ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.model,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium not installed"),
    pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="matcher weights not trained yet"),
]
sync_api = pytest.importorskip("playwright.sync_api")

VENDORS = ["Chatterly", "Ledgerline", "Nimbus Notes AI"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """``streamlit run dashboard.py`` on a free localhost port; yields its base URL."""
    port = free_port()
    env = dict(os.environ, DPA_DB=str(tmp_path / "dpa.sqlite3"))
    log = (tmp_path / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start: {(tmp_path / 'streamlit.log').read_text()[-2000:]}")
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def settle(page) -> None:
    """Wait until the script run a click started has finished (the "Running…" widget is gone)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=120_000)


def test_compare_vendors_and_export_in_chromium(server, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"this file only pretends to be a PDF")
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1750}, accept_downloads=True)
            page.on("request", lambda r: requests.append(r.url))
            page.goto(server)
            page.get_by_text("Drop DPA PDFs").wait_for(timeout=60_000)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                [*sorted(str(p) for p in EXAMPLES.glob("*.pdf")), str(broken)])

            # The matrix: a data grid whose column headers are the vendors (accessible table of the grid).
            page.get_by_text("Requirements × vendors").wait_for(timeout=240_000)
            headers = page.locator('[role="columnheader"]')
            page.wait_for_function(
                "names => names.every(n => [...document.querySelectorAll('[role=columnheader]')]"
                ".some(h => h.textContent.trim() === n))", arg=VENDORS, timeout=60_000)
            assert set(VENDORS) <= {h.strip() for h in headers.all_inner_texts()}
            alert = page.locator('[data-testid="stAlertContentError"]')
            assert alert.count() == 1 and "broken.pdf" in alert.inner_text()
            settle(page)
            page.wait_for_timeout(1000)  # let the grid canvases paint before the screenshot
            page.screenshot(path=str(tmp_path / "compare.png"))
            if os.environ.get("DPA_SCREENSHOT") == "1":
                (ROOT / "docs").mkdir(exist_ok=True)
                page.screenshot(path=str(ROOT / "docs" / "screenshot-compare.png"))

            # Clicking a cell opens its evidence: the last column is the last vendor; rows are 35 px high,
            # under a 35 px header, in catalogue order.
            grid = page.locator('[data-testid="stDataFrame"]').nth(1).bounding_box()
            row = load_library().ids.index("audit")
            page.mouse.click(grid["x"] + grid["width"] - 40, grid["y"] + 35 + 35 * row + 17)
            selected = page.locator('[role="tab"][aria-selected="true"]')
            sync_api.expect(selected).to_contain_text("Evidence & review", timeout=30_000)
            settle(page)
            sync_api.expect(page.get_by_role("combobox", name="Vendor", exact=True)).to_have_value(VENDORS[-1])
            sync_api.expect(page.get_by_role("combobox", name="Requirement", exact=True)).to_have_value(
                "Audits and inspections by the controller")
            page.locator('[data-testid="stImage"] img').first.wait_for(timeout=60_000)
            assert page.locator('[data-testid="stCode"]').count() >= 1
            page.screenshot(path=str(tmp_path / "evidence.png"))

            # Export: a real download of the gap list.
            page.get_by_role("tab", name="Export").click()
            settle(page)
            with page.expect_download(timeout=60_000) as info:
                page.get_by_role("button", name="Gap list (CSV)").click()
            download = info.value
            target = tmp_path / download.suggested_filename
            download.save_as(target)
        finally:
            browser.close()
    assert target.name == "dpa-gaps-all-vendors.csv"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("vendor,file,sha256,kind,requirement")
    assert all(v in text for v in VENDORS)
    # Nothing left the machine: every request went to the local server (or stayed in the page).
    outside = [u for u in requests if urlparse(u).scheme not in ("data", "blob")
               and not u.startswith(server)]
    assert outside == []
