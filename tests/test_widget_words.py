"""Every text the widget shows exists in English and Chinese (widgets/words.py), and nothing bypasses that table.

Two ways a text escapes translation: the front end (static/graph.js) writes an English literal instead of asking
``say(key)``, or the kernel side puts English into a synced trait. The first is found by reading graph.js: no
string literal in its code is a phrase, and every key it asks for is in the table, in both languages. The
second by making Chinese views in every state a lesson shows and reading what they send to the page.
"""
import re
import unicodedata
from pathlib import Path

import minigrad as torch
from widgets import GraphView
from widgets.words import TEXTS, ui_words

GRAPH_JS = Path(__file__).resolve().parents[1] / "widgets" / "static" / "graph.js"


def code_without_comments(js):
    """graph.js with its comments taken out (string literals kept as they are, even with // inside)."""
    kept, i = [], 0
    while i < len(js):
        if js[i] in "\"'`":
            end = i + 1
            while end < len(js) and js[end] != js[i]:
                end += 2 if js[end] == "\\" else 1
            kept.append(js[i:end + 1])
            i = end + 1
        elif js.startswith("//", i):
            i = js.find("\n", i) if "\n" in js[i:] else len(js)
        elif js.startswith("/*", i):
            i = js.index("*/", i) + 2
        else:
            kept.append(js[i])
            i += 1
    return "".join(kept)


CODE = code_without_comments(GRAPH_JS.read_text(encoding="utf-8"))
LITERALS = [next(part for part in found if part) for found in
            re.findall(r'"((?:[^"\\\n]|\\.)+)"|\'((?:[^\'\\\n]|\\.)+)\'|`((?:[^`\\]|\\.)+)`', CODE)]
WORD = re.compile(r"[A-Za-z]+[,.:;!?]?$")


def is_phrase(text):
    """Two plain words in a row (``draw all``, ``could not start``): text for a person, not a key, a class
    name (``mg-bar mg-toolbar``), a selector or an event name (``change:zoom``)."""
    tokens = text.split()
    return any(WORD.match(a) and WORD.match(b) for a, b in zip(tokens, tokens[1:]))


def test_the_front_end_writes_no_phrase_of_its_own():
    phrases = [text for text in LITERALS if is_phrase(text)]
    assert not phrases, f"graph.js shows these without widgets/words.py: {phrases}"


def test_the_phrase_finder_finds_phrases():
    assert is_phrase("draw all {n} nodes") and is_phrase("Lay out every node unfolded")
    assert not is_phrase("mg-bar mg-toolbar") and not is_phrase("change:message change:unfold_offer")
    assert not is_phrase("g.node:not(.legend) text, g.edge text") and not is_phrase("draw_all")


def keys_asked_for():
    """Every key of the ``ui`` table graph.js asks for, by the ways it asks."""
    keys = set(re.findall(r'\bsay\("(\w+)"', CODE))
    keys |= set(re.findall(r'\biconButton\([^,]*, "(\w+)"', CODE))  # its tooltip
    keys |= set(re.findall(r'\}\), "(\w+)"\)', CODE))  # its text, after what it does: () => send({...}), "step")
    for tip, text in re.findall(r'\blabelled\.push\(\[\w+, "(\w+)", (?:"(\w+)"|null)', CODE):
        keys |= {tip, text} - {""}
    toggles = re.search(r"const toggles = \[(.*?)\];", CODE, re.S).group(1)
    for _, key in re.findall(r'\["(\w+)", "(\w+)"\]', toggles):
        keys |= {key, f"{key}_tip"}
    formats = re.search(r'for \(const format of \[(.*?)\]\)', CODE).group(1)
    keys |= {f"{name}_tip" for name in re.findall(r'"(\w+)"', formats)}  # `${format}_tip`
    worded = re.search(r'const worded = \[(.*?)\]\.includes\(failure\.why\)', CODE).group(1)
    keys |= set(re.findall(r'"(\w+)"', worded))  # say(failure.why)
    return keys


def test_every_key_the_front_end_asks_for_is_in_both_languages():
    asked = keys_asked_for()
    assert {"step", "step_tip", "draw_all", "draw_all_tip", "no_engine", "values_tip", "svg_tip"} <= asked
    for lang in ("en", "zh"):
        missing = asked - set(ui_words(lang))
        assert not missing, f"graph.js asks for words that are not in widgets/words.py ({lang}): {missing}"


def test_every_front_end_word_is_used():
    unused = set(ui_words("en")) - keys_asked_for()
    assert not unused, f"ui words graph.js never shows: {unused}"


def test_every_text_has_english_and_chinese_with_the_same_placeholders():
    for key, entry in TEXTS.items():
        assert set(entry) == {"en", "zh"} and all(entry.values()), key
        fields = [sorted(re.findall(r"\{(\w+)\}", text)) for text in entry.values()]
        assert fields[0] == fields[1], key


def test_every_key_the_kernel_side_asks_for_exists():
    asked = set()
    for source in (Path(__file__).resolve().parents[1] / "widgets").glob("*.py"):
        asked |= set(re.findall(r'\bsay\(\s*"([\w.]+)"', source.read_text(encoding="utf-8")))
    assert asked and not asked - set(TEXTS), asked - set(TEXTS)


def chinese(text):
    return any(unicodedata.east_asian_width(c) == "W" for c in text)


def pytorch_name(key, obj):
    """``dtype``, ``grad_fn``, ``next_functions``, ``name()``: an attribute of a tensor or of a node, which
    PyTorch's users know by that name in every language."""
    first = key.split(".")[0].removesuffix("()")
    return first.isidentifier() and (hasattr(obj, first) or hasattr(torch.Tensor, first))


def seed_000():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    return x, z.mean()


def test_a_chinese_view_sends_chinese_in_every_state():
    x, out = seed_000()
    view = GraphView(out, lang="zh", names={"x": x, "out": out})
    shown = [view.step_status]  # ready
    view.step()
    shown.append(view.step_status)  # running
    view.run_to_end()
    shown.append(view.step_status)  # finished
    shown += [words for _, words, _, _ in view.legend] + [short for *_, short in view.legend]
    for node in (x, out.grad_fn):
        details = view.select(node)  # row names stay PyTorch's where they are its attributes (dtype, grad_fn)
        shown += [details["kind_words"]] + [key for key, _ in details["rows"] if not pytorch_name(key, node)]
    out.backward()
    shown.append(GraphView(out, lang="zh").step_status)  # made after backward(): cannot step, and why
    vector = torch.ones(3, requires_grad=True) * 2
    shown.append(GraphView(vector, lang="zh").step_status)  # needs a gradient
    h = torch.ones(2, requires_grad=True) * 3
    h.register_hook(lambda grad: grad * 0)
    shown.append(GraphView((h * h).sum(), lang="zh", names={"h": h}).message)  # hooks do not run in the walk
    big = torch.ones(1, requires_grad=True)
    for _ in range(1100):
        big = big * 1.0
    shown.append(GraphView(big, collapse=False, lang="zh").message)  # asked to draw 2000 nodes: folded first
    english = [text for text in shown if not chinese(text)]
    assert not english, f"English in a Chinese view: {english}"


def test_the_front_ends_chinese_words_are_chinese():
    zh, en = ui_words("zh"), ui_words("en")
    assert not [key for key, text in zh.items() if not chinese(text)]
    assert not [key for key, text in en.items() if chinese(text)]
