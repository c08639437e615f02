"""Every name reaches the picture as written, and ``dot`` is a child process that cannot hang or outlive the kernel.

- any name a learner can give (arbitrary Unicode, control characters, quotes, ``<>&{}``, ``->``, tabs, newlines,
  梯度, a lone surrogate): the DOT parses, the SVG is well-formed XML, and its title and tooltip show the name
  as written, with what no picture can show spelt as Python spells it (a tab as ``\\t``);
- ``dot`` runs with a time budget, its failures are readable RuntimeErrors (not bytes, not BrokenPipeError, not
  UnicodeDecodeError), and on Linux it dies with the process that started it.
"""
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minigrad as torch
from widgets import GraphView, draw
from widgets import dot as dot_stage
from widgets.names import visible

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

HARD = ["]", "]]", "\n", "\t", "a\\", "\\", "\\N", "\\G", "\\E", "\\l", "\x00", "\x01", "\x1f", "\x7f", "\x85",
        "\ud800", "\udfff", "\ufffe", "<script>alert(1)</script>", 'a"b', "a'b", "{x}", "->", "a -> b", "a;b",
        "&amp;", "&#60;", "梯度", "x\ty", " lead", "trail ", "two  spaces", "\u2028", "\u200b", "é", "🙂"]


def drawn_leaf(name):
    """The SVG of ``(x * 2).sum()`` with the leaf ``x`` named ``name``, parsed; and the leaf's <g> element."""
    x = torch.ones(2, requires_grad=True)
    out = (x * 2).sum()
    svg = dot_stage.render(draw(out, names={name: x}, legend=False))
    root = ElementTree.fromstring(svg)  # well-formed XML, or this raises
    assert not list(root.iter(SVG + "script"))  # a name is text, never an element
    leaf = next(g for g in root.iter(SVG + "g") if "leaf" in (g.get("class") or "").split())
    return leaf


def texts(element):
    return ["".join(t.itertext()).replace("\xa0", " ") for t in element.iter(SVG + "text")]


def assert_shown_as_written(name):
    leaf = drawn_leaf(name)
    written = visible(name).replace("\xa0", " ")  # (the picture keeps runs of spaces as no-break spaces)
    assert texts(leaf)[0] == written  # the title, first line of the node
    assert written in [a.get(XLINK + "title").replace("\xa0", " ") for a in leaf.iter(SVG + "a")]  # its tooltip


@needs_dot
@pytest.mark.parametrize("name", HARD, ids=[ascii(n) for n in HARD])
def test_hard_names_are_drawn_as_written(name):
    assert_shown_as_written(name)


@needs_dot
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.text(st.characters(exclude_categories=()), min_size=1, max_size=12),  # any code point, surrogates too
    st.text(st.sampled_from(list("\t\n\r\x00\x0b\x1b\x7f\ud800<>&{}[]\"';-> \\NG梯度")), min_size=1, max_size=8),
))
def test_any_name_parses_as_dot_and_is_drawn_as_written_in_well_formed_svg(name):
    if not visible(name).strip(" "):
        return  # only spaces: nothing a reader could compare (the title is still drawn, checked in HARD)
    assert_shown_as_written(name)


def test_visible_spells_only_what_cannot_be_shown():
    assert visible("梯度 x->y <b>") == "梯度 x->y <b>"
    assert visible("a\tb\nc\x00\x7f\ud800\ufffe") == "a\\tb\\nc\\x00\\x7f\\ud800\\ufffe"


def test_a_view_with_an_unencodable_name_still_syncs():
    import json

    x = torch.ones(2, requires_grad=True)
    out = (x * 2).sum()
    view = GraphView(out, names={"bad\ud800": x, "out\t": out})
    view.select(x)
    state = view.get_state()
    json.dumps(state, ensure_ascii=False).encode("utf-8")  # what the comm sends: no UnicodeEncodeError
    assert view.label == "out\\t" and view.details["title"] == "bad\\ud800"
    assert "<B>bad\\\\ud800</B>" in view.dot_source  # (a backslash doubled for Graphviz)


# ----- dot as a child process -------------------------------------------------------------------------------------

@pytest.fixture
def fake_dot(tmp_path, monkeypatch):
    """Put a ``dot`` of our own first on PATH: ``fake_dot(script)`` writes its shell script."""
    def install(script):
        program = tmp_path / "dot"
        program.write_text("#!/bin/sh\n" + textwrap.dedent(script))
        program.chmod(0o755)
        monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
        return tmp_path

    return install


def seed_picture():
    x = torch.ones(2, 2, requires_grad=True)
    out = ((x + 2) * 3).mean()
    return out, draw(out)


def test_a_dot_that_never_finishes_is_stopped_with_a_clear_message(fake_dot):
    folder = fake_dot("echo $$ > \"$(dirname \"$0\")/pid\"\nexec sleep 60\n")
    _, picture = seed_picture()
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"took more than 0.5 s to lay out this graph and was stopped"):
        dot_stage.render(picture, timeout=0.5)
    assert time.monotonic() - started < 5
    pid = int((folder / "pid").read_text())
    assert not process_alive(pid)


def test_a_view_is_displayed_even_when_dot_hangs(fake_dot, monkeypatch):
    fake_dot("exec sleep 60\n")
    monkeypatch.setattr(dot_stage, "DOT_SECONDS", 0.5)
    out, _ = seed_picture()
    started = time.monotonic()
    view = GraphView(out)
    data, _ = view._repr_mimebundle_()
    assert time.monotonic() - started < 5
    # no picture, but a note in its place (the same output kinds as with a working dot, for nbval)
    assert "application/vnd.jupyter.widget-view+json" in data and "image/png" not in data
    assert "no static picture" in data["image/svg+xml"] and "stopped" in data["image/svg+xml"]


def test_dot_failures_read_as_text(fake_dot):
    fake_dot("cat > /dev/null\necho 'Error: syntax error in line 1' >&2\nexit 1\n")
    _, picture = seed_picture()
    with pytest.raises(RuntimeError) as failure:
        dot_stage.render(picture)
    assert str(failure.value) == "Graphviz's dot could not draw this graph: Error: syntax error in line 1"


def test_non_utf8_output_from_dot_does_not_crash(fake_dot):
    fake_dot("cat > /dev/null\nprintf '<svg><text>caf\\351</text></svg>'\n")  # Latin-1 é
    _, picture = seed_picture()
    assert dot_stage.render(picture) == "<svg xml:space=\"preserve\"><text>caf\ufffd</text></svg>"  # spaces kept


def test_a_dot_that_quits_without_reading_is_a_runtime_error_not_a_broken_pipe(fake_dot, tmp_path):
    fake_dot("exit 3\n")
    out, picture = seed_picture()
    big = torch.ones(3000, requires_grad=True)
    y = big
    for _ in range(300):
        y = y * 1.0001
    with pytest.raises(RuntimeError):
        dot_stage.render(draw(y.sum(), collapse=False))  # a DOT of several MB: the pipe breaks while we write
    view = GraphView(out)
    assert view.step() is not None  # stepping needs no dot
    with pytest.raises(RuntimeError):
        view.export(tmp_path / "graph.svg")
    assert view.export(tmp_path / "graph.dot").read_text().startswith("digraph")


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie (dead, not yet reaped by init) counts as gone
        return stat.read().split(")")[-1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's parent-death signal")
def test_dot_dies_with_the_kernel_that_started_it(fake_dot):
    folder = fake_dot("echo $$ > \"$(dirname \"$0\")/pid\"\nexec sleep 60\n")
    kernel = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import minigrad as torch
        from widgets import draw
        from widgets import dot
        x = torch.ones(2, requires_grad=True)
        dot.render(draw((x * 2).sum()), timeout=120)
    """)], env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    pid_file = folder / "pid"
    deadline = time.monotonic() + 30
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    pid = int(pid_file.read_text())
    assert process_alive(pid)
    kernel.send_signal(signal.SIGKILL)  # the kernel dies without cleaning up
    kernel.wait()
    deadline = time.monotonic() + 5
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not process_alive(pid)
