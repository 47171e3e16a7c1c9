"""The HTML report in a real headless Chromium: it loads nothing, runs nothing of the repository's, and works.

Needs Debian's ``chromium`` (``apt-get install chromium``; ``.ci/run`` installs it) and Playwright for
Python, which drives the installed browser (``playwright install`` is not used). When either is missing
the tests fail and say so: they are never skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from oshealth.audit import run_audit
from oshealth.render import html
from oshealth.report import AuditReport
from tests.gitrepo import BASE_TIME, DAY, GIT_ENV, RepoBuilder
from tests.test_html import AUTHOR, IMG, JS_URL, SCRIPT, TAG, big_audit, build_hostile

CHROMIUM = os.environ.get("OSHEALTH_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions",
]
# Installed before any page script: records dialogs and blocked scripts. Playwright injects it through the
# DevTools protocol, so the page's Content-Security-Policy does not apply to it.
WATCH = """
window.__dialogs = [];
window.__violations = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__dialogs.push(name + ":" + args.join(",")); };
}
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


def _playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the message is the point
        pytest.fail("Playwright for Python is missing: pip install -e '.[test]' (the browser tests need it)")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` (.ci/run does), "
            "or point OSHEALTH_CHROMIUM at a Chromium binary; the browser tests cannot run without it"
        )
    return sync_playwright


@dataclass
class Visit:
    """What happened while a page was open."""

    page: Any
    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AuditReport]:
    """The HTML report of a repository whose names carry markup, written to a file."""
    monkey = pytest.MonkeyPatch()
    for key, value in {**GIT_ENV, "SOURCE_DATE_EPOCH": str(BASE_TIME + 365 * DAY)}.items():
        monkey.setenv(key, value)
    try:
        folder = tmp_path_factory.mktemp("browser")
        builder = build_hostile(RepoBuilder(folder / "repo"))
        audit = run_audit(builder.root, display_path=f"repo{SCRIPT}")
    finally:
        monkey.undo()
    target = folder / "report.html"
    target.write_text(html.render(audit), encoding="utf-8")
    return target, audit


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium; Playwright's ``launch`` gives it a fresh temporary ``--user-data-dir`` of its own."""
    sync_playwright = _playwright()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


def open_page(browser: Any, path: Path, *, javascript: bool = True, width: int = 1280) -> Visit:
    """Open ``path`` in a new context, recording every request, console message, error and dialog."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900},
                                  service_workers="block")
    page = context.new_page()
    visit = Visit(page)
    context.on("request", lambda request: visit.requests.append(request.url))
    page.on("console", lambda message: visit.console.append((message.type, message.text)))
    page.on("pageerror", lambda error: visit.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append(f"{dialog.type}:{dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    if javascript:
        page.add_init_script(WATCH)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)  # let anything late (a lazy image, a timer) show itself
    return visit


def visible_rows(page: Any) -> int:
    return int(page.locator("#findings-table tbody tr:visible").count())


def test_page_loads_nothing_and_runs_nothing_of_the_repository(browser: Any, hostile_page: tuple[Path,
                                                                                               AuditReport]) -> None:
    path, _ = hostile_page
    visit = open_page(browser, path)
    page = visit.page
    assert visit.requests == [path.as_uri()]
    assert visit.console == []
    assert visit.errors == []
    assert visit.dialogs == []
    assert page.evaluate("window.__dialogs") == []
    assert page.evaluate("window.__violations") == []
    assert page.evaluate("document.scripts.length") == 1
    assert page.evaluate("document.images.length") == 0
    assert page.evaluate("document.querySelectorAll('[onerror], [onmouseover], [onload]').length") == 0
    assert page.evaluate("[...document.links].every(a => a.getAttribute('href').startsWith('#'))") is True
    # the repository's text shows literally
    body = page.inner_text("body")
    for text in (f"pkg/{IMG}.py", f"pkg/{SCRIPT}.py", f"pkg/{JS_URL}.py", AUTHOR, TAG, f"repo{SCRIPT}"):
        assert text in body, text
    # hovering the author's bar shows the name as a tooltip, nothing more
    page.hover("#chart-authors rect.tf")
    assert visit.dialogs == [] and page.evaluate("window.__dialogs") == []


def test_charts_and_findings_table_are_visible(browser: Any, hostile_page: tuple[Path, AuditReport]) -> None:
    path, audit = hostile_page
    page = open_page(browser, path).page
    for ident in ("overall-ring", "chart-scores", "chart-activity", "chart-complexity-ranks", "chart-complexity-top",
                  "chart-authors", "chart-coverage-packages"):
        chart = page.locator(f"#{ident}")
        assert chart.is_visible(), ident
        box = chart.bounding_box()
        assert box["width"] > 100 and box["height"] > 50, (ident, box)
    assert page.locator("#chart-coverage-modules").is_hidden()  # in a closed <details>
    page.click("text=Docstring coverage by module")
    assert page.locator("#chart-coverage-modules").is_visible()
    total = sum(len(v.findings) for v in audit.checks)
    assert page.locator("#findings-table").is_visible()
    assert page.locator("#findings-controls").is_visible()
    assert visible_rows(page) == total == 36
    assert page.inner_text("#f-count") == f"{total} of {total} findings"


def test_sorting(browser: Any, hostile_page: tuple[Path, AuditReport]) -> None:
    path, _ = hostile_page
    page = open_page(browser, path).page
    header = page.locator("#findings-table th").nth(3)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    locations = page.eval_on_selector_all("#findings-table tbody tr", "rows => rows.map(r => r.cells[3].textContent)")

    def key(text: str) -> tuple[str, int]:
        where, _, line = text.rpartition(":")
        return (where, int(line)) if line.isdigit() else (text, 0)

    assert locations == sorted(locations, key=key)
    assert locations[0] == ""  # repository-wide findings first
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    again = page.eval_on_selector_all("#findings-table tbody tr", "rows => rows.map(r => r.cells[3].textContent)")
    assert [key(t) for t in again] == sorted((key(t) for t in locations), reverse=True)
    severity = page.locator("#findings-table th").nth(0)
    severity.locator("button").click()
    order = page.eval_on_selector_all("#findings-table tbody tr", "rows => rows.map(r => r.cells[0].textContent)")
    ranks = [{"error": 0, "warning": 1, "note": 2}[s] for s in order]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert header.get_attribute("aria-sort") is None


def test_filtering(browser: Any, hostile_page: tuple[Path, AuditReport]) -> None:
    path, audit = hostile_page
    page = open_page(browser, path).page
    page.fill("#f-search", "tangled")
    tangled = [f for v in audit.checks for f in v.findings if "tangled" in f.message]
    assert visible_rows(page) == len(tangled) == 3  # no docstring, too complex, released undocumented
    page.fill("#f-search", SCRIPT)  # searching for markup finds it as text
    marked = [f for v in audit.checks for f in v.findings if SCRIPT in (f.path or "") + f.message]
    assert visible_rows(page) == len(marked) == 4
    page.fill("#f-search", "")
    page.select_option("#f-check", "docstring-style")
    assert visible_rows(page) == 7
    page.select_option("#f-severity", "error")
    errors = [f for v in audit.checks if v.id == "docstring-style" for f in v.findings if f.severity.value == "error"]
    assert visible_rows(page) == len(errors) == 0
    assert page.inner_text("#f-count") == "0 of 36 findings"
    page.select_option("#f-check", "")
    assert visible_rows(page) == sum(1 for v in audit.checks for f in v.findings if f.severity.value == "error") == 2


def test_without_javascript_everything_is_listed(browser: Any, hostile_page: tuple[Path, AuditReport]) -> None:
    path, _ = hostile_page
    visit = open_page(browser, path, javascript=False)
    page = visit.page
    assert visible_rows(page) == 36
    assert page.locator("#findings-controls").is_hidden()
    assert page.locator("#chart-scores").is_visible()
    assert visit.requests == [path.as_uri()]


def test_phone_width_has_no_page_wide_scrolling(browser: Any, hostile_page: tuple[Path, AuditReport]) -> None:
    path, _ = hostile_page
    visit = open_page(browser, path, width=375)
    page = visit.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("#chart-scores").is_visible()
    assert visit.console == [] and visit.errors == []


def test_a_large_audit_lists_the_most_severe_and_counts_every_file(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(html.render(big_audit()), encoding="utf-8")
    visit = open_page(browser, path, width=375)
    page = visit.page
    assert visit.requests == [path.as_uri()] and visit.console == [] and visit.errors == []
    assert visible_rows(page) == 1_002
    assert page.inner_text("#f-count") == "1,002 of 1,002 findings"
    notes = page.locator("#findings p.more")
    assert notes.is_visible() and notes.inner_text().startswith("1,500 more findings not shown: see the JSON")
    page.click("#check-noisy details.check-findings > summary")
    page.click("#check-noisy details.file-counts > summary")
    counts = page.locator("#check-noisy table.counts tbody tr")
    assert counts.count() == 50 and counts.first.is_visible()
    assert page.locator("#check-noisy p.more").is_visible()
    assert page.locator("#check-noisy ul.flist > li > ul > li").count() == 1_000
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the open table fits a phone
    page.select_option("#f-severity", "note")
    assert visible_rows(page) == 1  # the quiet check's note: the noisy check's notes are not listed
