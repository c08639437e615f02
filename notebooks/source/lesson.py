"""Cells of a lesson, written once and rendered in English and in Chinese.

A lesson is a module `NN_slug.py` in this folder with three names:

    TITLE = {"en": "...", "zh": "..."}
    SEED_CELLS = [(seed_file, snippet, where), ...]   # for the README's mapping table
    CELLS = [md(en=..., zh=...), code("..."), ...]

Markdown cells carry both languages; code cells carry one source shared by both
notebooks, so a learner switching language runs exactly the same code.
`notebooks/build.py` turns the modules into notebooks/en/*.ipynb and
notebooks/zh/*.ipynb.
"""

from dataclasses import dataclass
import re
from textwrap import dedent

LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Markdown:
    """Prose: one text per language."""

    text: dict

    def source(self, language):
        return self.text[language]


@dataclass(frozen=True)
class Code:
    """Code: the same source in every language."""

    text: str

    def source(self, language):
        return self.text


# A line break inside a Markdown paragraph shows as a space: right between two Chinese characters (or Chinese
# punctuation) that space is a visible gap, so the Chinese text is joined there.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_LINE_BREAK = re.compile(f"(?<=[{_CJK}])\n(?=[{_CJK}])")


def md(en, zh):
    """A markdown cell. Both texts are dedented, so they can be indented like code."""
    return Markdown({"en": dedent(en).strip("\n"), "zh": _CJK_LINE_BREAK.sub("", dedent(zh).strip("\n"))})


def code(source):
    """A code cell. Write the source flush left: it is kept as written (seed code
    must stay character for character), only blank lines at both ends go."""
    return Code(source.strip("\n"))


# The same headings in every lesson, so learners and presenters know where they are.
_SECTIONS = {
    "goal": ("Goal", "本课目标"),
    "code": ("The tutorial's code", "教程里的代码"),
    "example": ("Example", "示例"),  # code of our own, where a lesson goes beyond the tutorials
    "graph": ("The graph", "计算图"),
    "why": ("What happened, and why", "发生了什么？为什么？"),
    "try": ("Try it yourself", "动手试一试"),
    "recap": ("Recap", "小结"),
}


# Before a subtitle a long heading reads badly ("发生了什么？为什么？：..."), so some kinds shorten.
_BEFORE_SUBTITLE = {
    "why": ("Why", "原理"),
}


def section(kind, en="", zh=""):
    """A section heading from the shared template, with an optional subtitle.

    section("try") gives "## Try it yourself"; section("code", "a graph by hand",
    "手工搭一张图") gives "## The tutorial's code: a graph by hand"; section("why",
    "leaves", "叶子节点") gives "## Why: leaves" / "## 原理：叶子节点".

    Every lesson uses them in the same order: goal; then its parts, each some
    code ("code" or "example"), "graph" and "why"; then "try" and "recap".
    tests/test_notebooks.py checks it.
    """
    if not (en or zh):
        title_en, title_zh = _SECTIONS[kind]
        return md(f"## {title_en}", f"## {title_zh}")
    title_en, title_zh = _BEFORE_SUBTITLE.get(kind, _SECTIONS[kind])
    return md(f"## {title_en}: {en}", f"## {title_zh}：{zh}")


def selfcheck():
    """The code cell that loads `check`, the self-check used by the exercises, and shows it at work.

    `check(answer, expected)` prints "✓" when the two agree (numbers and tensors
    up to rounding) and a nudge otherwise, in the notebook's language (selfcheck.py
    sits next to each notebook; build.py copies it there).
    """
    return code("from selfcheck import check\ncheck(1 + 1, 2)")
