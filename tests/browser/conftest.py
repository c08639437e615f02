"""Fixtures for the browser tests: our own JupyterLab servers (one as usual, one with Graphviz's `dot` taken off
PATH), a Jupyter Notebook 7 server, and Debian's Chromium driven by Playwright.

The tests skip (and say why) when /usr/bin/chromium or the playwright package is missing: `make test` installs
Chromium only when it runs as root. Never `playwright install`: it downloads a browser of its own.

On a failure the page is saved as a screenshot under test-artifacts/browser/; the report prints its path, the
end of the server's log, and the browser console's errors. Any console error fails the test (the widget must
not raise any), as does a page error. Not test-results/: pytest-playwright empties that
folder at the start of every pytest run, so `make test`'s second run (nbval) would delete the screenshots.
"""
import re
import shutil
import sys
from pathlib import Path
from typing import NamedTuple, Optional

import pytest

# The helper modules sit next to this file; import them whatever pytest's import mode.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from labserver import REPO, LabServer  # noqa: E402
from chain_notebook import LAYOUT, WRITTEN, pick_lesson, write_chain_notebook, write_layout_notebook  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
# Flags that keep Debian's Chromium quiet and offline in a container (see the project's toolchain notes).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts" / "browser"
VIEWPORT = {"width": 1400, "height": 1000}


def require_browser():
    """Skip, saying what is missing, unless Debian's Chromium and the playwright package are both here."""
    if not CHROMIUM.exists():
        pytest.skip(f"no {CHROMIUM}: the browser tests need Debian's Chromium (sudo apt-get install chromium)")
    return pytest.importorskip("playwright.sync_api",
                               reason="the browser tests need the playwright package (pip install playwright)")


class Notebooks(NamedTuple):
    root: Path  # what lab serves
    lesson: Optional[str]  # lesson 03, relative to root, when it exists and draws seed 000's chain
    written: str  # the small notebook written by the test
    layout: str  # the notebook of pictures that stress the layout


@pytest.fixture(scope="session")
def notebooks(tmp_path_factory):
    """A copy of notebooks/ for lab to serve (lab writes checkpoints next to what it opens), with the small
    chain and layout notebooks added at its top."""
    root = tmp_path_factory.mktemp("lab") / "notebooks"
    shutil.copytree(REPO / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    lesson = pick_lesson(root)
    write_chain_notebook(root / WRITTEN)
    write_layout_notebook(root / LAYOUT)
    return Notebooks(root, lesson and lesson.relative_to(root).as_posix(), WRITTEN, LAYOUT)


@pytest.fixture(scope="session")
def lab(notebooks, tmp_path_factory):
    """A JupyterLab serving ``notebooks.root``. Launched first: it imports for seconds while Chromium starts."""
    require_browser()  # nothing to start when the browser tests cannot run
    server = LabServer(notebooks.root, tmp_path_factory.mktemp("jupyter-home")).launch()
    try:
        python3 = server.kernelspecs().get("python3")
        assert python3, "no python3 kernelspec under the test's own Jupyter folders"
        # The kernelspec must come with the environment running the tests, not from a user-wide folder.
        assert Path(python3["resource_dir"]).resolve().is_relative_to(Path(sys.prefix).resolve()), python3
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium (Debian's), or a skip saying what is missing."""
    sync_api = require_browser()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def launch_server(root, home, **options):
    require_browser()
    return LabServer(root, home, **options).launch()


@pytest.fixture(scope="session")
def lab_without_dot(notebooks, tmp_path_factory):
    """A JupyterLab whose kernels cannot find Graphviz's `dot` (a machine where only pip was used)."""
    server = launch_server(notebooks.root, tmp_path_factory.mktemp("jupyter-home-no-dot"), hidden=("dot",))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def notebook7(notebooks, tmp_path_factory):
    """Jupyter Notebook 7 serving the same notebooks."""
    pytest.importorskip("notebook", reason="the Notebook 7 test needs the notebook package (the test extra has it)")
    server = launch_server(notebooks.root, tmp_path_factory.mktemp("jupyter-home-nb7"), app="notebook")
    try:
        yield server
    finally:
        server.stop()


def new_page(chromium):
    """A fresh browser page. Console errors are kept (they fail the test); a test may set ``page.watched`` to the
    element it is looking at, to get a picture of that too when it fails."""
    context = chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.watched = None
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}\n{error.stack}"))
    return page


# Errors the Jupyter front ends raise by themselves, on a page without any widget (checked on a notebook holding
# only print(1)): (text, where the stack says it comes from). Nothing else is tolerated.
FRONT_END_NOISE = [
    # Notebook 7.6 loading its settings
    (re.compile(r"reading 'schema'"), re.compile(r"/static/notebook/notebook_core\.")),
]


def widget_errors(errors):
    return [e for e in errors if not any(text.search(e) and where.search(e) for text, where in FRONT_END_NOISE)]


def close_page(page):
    errors = widget_errors(page.console_errors)
    page.context.close()
    assert not errors, "the browser console reported errors:\n" + "\n".join(errors[-30:])


@pytest.fixture
def lab_page(lab, chromium):
    """A fresh browser page on a ready JupyterLab."""
    lab.wait_ready()
    page = new_page(chromium)
    yield page
    close_page(page)


@pytest.fixture
def page_without_dot(lab_without_dot, chromium):
    """A fresh browser page on the JupyterLab without `dot`."""
    lab_without_dot.wait_ready()
    page = new_page(chromium)
    yield page
    close_page(page)


@pytest.fixture
def notebook7_page(notebook7, chromium):
    """A fresh browser page on Jupyter Notebook 7."""
    notebook7.wait_ready()
    page = new_page(chromium)
    yield page
    close_page(page)


@pytest.fixture(scope="session", autouse=True)
def fresh_artifacts():
    """Screenshots of an earlier run are deleted, so every picture in the folder is from this run."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)


def artifact_path(name):
    """A path for a screenshot under test-artifacts/browser/; the folder keeps itself out of git."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ignore = ARTIFACTS.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# screenshots of the browser tests, made anew on every run\n*\n")
    return ARTIFACTS / name


@pytest.fixture
def screenshot():
    """``screenshot(element_or_page, "name.png")`` saves a picture under test-artifacts/browser/ and prints where."""
    def save(target, name):
        path = artifact_path(name)
        target.screenshot(path=str(path))
        print(f"screenshot: {path}")
        return path
    return save


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, save what the browser showed and attach the server's log to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    pages = [value for value in item.funcargs.values() if hasattr(value, "console_errors")]
    for page in pages:
        path = artifact_path(f"{item.name}-failure.png")
        try:
            page.screenshot(path=str(path), full_page=True)
            report.sections.append(("browser screenshot", f"saved to {path}"))
        except Exception as exc:  # a crashed page must not hide the original failure
            report.sections.append(("browser screenshot", f"could not be taken: {exc}"))
        if page.watched is not None:
            path = artifact_path(f"{item.name}-failure-watched.png")
            try:
                page.watched.screenshot(path=str(path), timeout=5000)
                report.sections.append(("screenshot of the element under test", f"saved to {path}"))
            except Exception as exc:
                report.sections.append(("screenshot of the element under test", f"could not be taken: {exc}"))
        if page.console_errors:
            report.sections.append(("browser console errors", "\n".join(page.console_errors[-30:])))
    for server in [value for value in item.funcargs.values() if isinstance(value, LabServer)]:
        report.sections.append((f"jupyter {server.app} log (last 60 lines)",
                                "\n".join(server.log().splitlines()[-60:])))
