"""Cells of a lesson, written once and rendered in English and in Chinese.

A lesson is a module `NN_slug.py` in this folder with three names:

    TITLE = {"en": "...", "zh": "..."}
    SEED_CELLS = [(seed_file, snippet, where), ...]   # for the README's mapping table
    CELLS = [md(en=..., zh=...), code("..."), ..., *exercise(...), *investigate(...)]

Markdown cells carry both languages; code cells carry one source shared by both
notebooks, so a learner switching language runs exactly the same code.
`notebooks/build.py` turns the modules into notebooks/en/*.ipynb and
notebooks/zh/*.ipynb.
"""

import ast
from dataclasses import dataclass
import json
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
# punctuation and quotes, such as ”) that space is a visible gap, so the Chinese text is joined there, also
# across the indentation of a wrapped list item and around bold markers (**累积**).
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018\u2019\u201c\u201d"
_CJK_LINE_BREAK = re.compile(f"(?:(?<=[{_CJK}])|(?<=[{_CJK}]\\*\\*))\n[ \t]*(?=(?:\\*\\*)?[{_CJK}])")


# After Chinese punctuation that ends a clause (。，：…) the space is a gap whatever follows, `code` or a Latin
# word; the break stays where the next line starts a Markdown block (a list item, a table row, $$, HTML).
_CJK_CLAUSE_END = "\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff09\u201d"
_BREAK_AFTER_CLAUSE = re.compile(
    f"(?<=[{_CJK_CLAUSE_END}])\n[ \t]*(?!(?:[*+-] |\\d+[.)] |[|#>]|\\$\\$|<|\\n|$))")


def _join_chinese_lines(text):
    return _BREAK_AFTER_CLAUSE.sub("", _CJK_LINE_BREAK.sub("", text))


def md(en, zh):
    """A markdown cell. Both texts are dedented, so they can be indented like code."""
    return Markdown({"en": dedent(en).strip("\n"), "zh": _join_chinese_lines(dedent(zh).strip("\n"))})


def comments_in_english(text):
    """A note for the English notebook only, right below a seed cell whose comments are in Chinese: the
    seed code stays character for character, and this renders its comments in English."""
    return Markdown({"en": "*In English:*\n\n" + dedent(text).strip("\n"), "zh": None})


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


# --- Exercises ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mistake:
    """An anticipated wrong answer and what it means, in both languages."""

    value: object
    text: dict


def mistake(value, en, zh):
    """A likely wrong answer of an exercise: mistake(4.5, en="4.5 is one backward pass; ...", zh="...").

    `value` is what the learner would type: a number, a list of numbers, True/False, a string, None,
    a set of strings, or a dtype written as its name ("torch.float32"). The self-check prints the message when the
    answer matches it (numbers up to the same rounding as right answers).
    """
    json.dumps(json_value(value))  # exercises.json carries it to the notebooks
    # The self-check prints it on one line.
    return Mistake(value, {"en": " ".join(en.split()), "zh": " ".join(_join_chinese_lines(dedent(zh).strip()).split())})


def json_value(value):
    """A mistake's value as exercises.json holds it: a set of names becomes a sorted list."""
    return sorted(value) if isinstance(value, (set, frozenset)) else value


@dataclass(frozen=True)
class Exercise(Code):
    """The code cell of an exercise: open (`answer = ...`), with its solution and anticipated mistakes."""

    name: str = ""
    solution: str = ""
    mistakes: tuple = ()
    predict: bool = False


@dataclass(frozen=True)
class Solution(Markdown):
    """The collapsed block after an exercise or an investigation."""


@dataclass(frozen=True)
class Investigation(Markdown):
    """The text of an investigate task: change some code, run it, explain what changed."""


SOLUTION_SUMMARY = {"en": "Solution", "zh": "参考答案"}
OBSERVATION_SUMMARY = {"en": "What you should see, and why", "zh": "你应该看到什么？为什么？"}


def _details(summary, body):
    # Blank lines around the body let Markdown (code fences, lists) render inside the HTML block.
    return f"<details><summary>{summary}</summary>\n\n{body}\n\n</details>"


def open_parts(source):
    """The top-level statements of `source` that hold a `...` for the learner to replace, as
    (first line, last line) pairs counted from 1: `answer = ...`, or a class or function with a `...`."""
    parts = []
    for statement in ast.parse(source).body:
        if any(isinstance(node, ast.Constant) and node.value is Ellipsis for node in ast.walk(statement)):
            parts.append((statement.lineno, statement.end_lineno))
    return parts


def with_solution(source, solution):
    """The exercise's code with `solution` run right after its last open part (so `answer = 13.5`
    overrides `answer = ...`, and a finished class replaces the open one before it is used)."""
    lines = source.splitlines()
    end = open_parts(source)[-1][1]
    return "\n".join(lines[:end] + solution.splitlines() + lines[end:])


def exercise(name, *, task, code, solution, explain, mistakes=(), predict=False):
    """An exercise: its task, its open code cell and a collapsed worked solution. Spread it into CELLS.

    name      an id unique in the course, passed to check() at the end of the code
    task      md(en=..., zh=...): the question, with hints that do not give the answer away
    code      the cell the learner fills in: `answer = ...` (or a function body with `...`); it
              ends with check(answer, expected, "name")
    solution  the code that fills it in: "answer = 13.5", or the finished class
    explain   md(en=..., zh=...): why the solution is right, shown under it
    mistakes  [mistake(value, en=..., zh=...), ...]: likely wrong answers and what they mean
    predict   True for a predict-then-run exercise (the answer is what the cell is about to show)

    For example:

        *exercise(
            "grad-accumulates",
            task=md(en="**1.** ...", zh="**1.** ..."),
            code=\"\"\"
        answer = ...

        x = torch.ones(2, 2, requires_grad=True)
        ...
        check(answer, x.grad, "grad-accumulates")
        \"\"\",
            solution="answer = 13.5",
            explain=md(en="Three passes, each adding ...", zh="..."),
            mistakes=[mistake(4.5, en="4.5 is one backward pass; .grad accumulates across passes.",
                              zh="4.5 只是一次反向传播的结果；.grad 会在多次反向传播之间累积。")],
        ),

    tests/test_notebooks.py runs every exercise three ways: as shipped (the self-check asks for an
    answer), with the solution (✓), and with each mistake (its message).
    """
    cell = Exercise(code.strip("\n"), name=name, solution=solution.strip("\n"), mistakes=tuple(mistakes),
                    predict=predict)
    if not open_parts(cell.text):
        raise ValueError(f"exercise {name!r}: the code has no `...` for the learner to replace")
    if open_parts(cell.solution):
        raise ValueError(f"exercise {name!r}: the solution still holds a `...`")
    if not re.search(rf"(?<![\w.])check\(.*[\"']{re.escape(name)}[\"']\)\s*$", cell.text, re.S):
        raise ValueError(f'exercise {name!r}: the code must end with check(answer, expected, "{name}")')
    answer_block = {language: _details(SOLUTION_SUMMARY[language],
                                       f"```python\n{cell.solution}\n```\n\n{explain.text[language]}")
                    for language in LANGUAGES}
    return [task, cell, Solution(answer_block)]


def investigate(*, task, explain, code=None):
    """An investigate task: the learner changes some code (in `code`, a cell that runs as given, or in
    a cell above), runs it and explains what changed; `explain`, collapsed, is what they should find."""
    cells = [Investigation(task.text)]
    if code is not None:
        cells.append(Code(code.strip("\n")))
    cells.append(Solution({language: _details(OBSERVATION_SUMMARY[language], explain.text[language])
                           for language in LANGUAGES}))
    return cells


def selfcheck():
    """The code cell that loads `check`, the self-check used by the exercises, and shows it at work.

    `check(answer, expected, exercise)` prints "✓" when the two agree (numbers and
    tensors up to rounding) and otherwise says what the answer suggests, in the
    notebook's language (selfcheck.py and exercises.json sit next to each notebook;
    build.py writes them there). Exercises come from exercise(...) above.
    """
    return code("from selfcheck import check\ncheck(1 + 1, 2)")


def exercises_of(cells):
    """The Exercise cells among a lesson's cells."""
    return [cell for cell in cells if isinstance(cell, Exercise)]


def exercises_intro():
    """The paragraph that opens every "Try it yourself" section; the selfcheck() cell follows it."""
    return md(
        en="""
        Each exercise has a cell that starts with `answer = ...` (or code with a `...` to fill in). Work the
        answer out first, on paper or in your head; then replace the `...` and run the cell. `check` tells
        you whether you are right and, if not, what your answer suggests. The worked solution is folded up
        under each exercise: open it once you have tried. The next cell loads `check` and tries it on 1 + 1.
        """,
        zh="""
        每道练习都有一个以 `answer = ...` 开头的单元格（或者一段留有 `...` 待你补全的代码）。先在纸上或心里
        把答案想出来，再把 `...` 换成你的答案，运行单元格。`check` 会告诉你答得对不对；如果不对，
        还会告诉你这个答案说明了什么。每道题下面都折叠着参考答案，自己试过之后再打开。
        下一个单元格导入 `check`，拿 1 + 1 试一下。
        """,
    )


# One Chinese term per idea, following d2l-zh (《动手学深度学习》) where it has one. notebooks/README.md shows
# the table; tests/test_notebooks.py checks that the Chinese lessons avoid the variants in the last column.
GLOSSARY = [
    # (English, 中文, variants the lessons avoid)
    ("automatic differentiation (autograd)", "自动微分", ("自动求导",)),
    ("computation graph", "计算图", ()),
    ("forward pass", "前向计算", ("前向传播",)),
    ("backward pass, backpropagation", "反向传播", ()),
    ("leaf tensor (created by you, not the result of an operation)", "叶子张量", ("叶子节点",)),
    ("node (a `grad_fn` object)", "节点", ()),
    ("edge", "边", ()),
    ("requires grad (`requires_grad=True`)", "需要梯度", ("要求梯度", "开启梯度")),
    ("gradient", "梯度", ()),
    ("accumulate (gradients add up in `.grad`)", "累积", ("累加",)),
    ("chain rule", "链式法则", ()),
    ("scalar", "标量", ()),
    ("Jacobian (matrix)", "雅可比矩阵", ()),
    ("vector–Jacobian product", "向量–雅可比积", ()),
    ("grad mode", "梯度模式", ()),
    ("detach", "分离", ()),
    ("in-place operation", "原地操作", ("原地运算",)),
    ("version counter", "版本计数器", ()),
    ("saved tensor", "保存的张量", ()),
    ("higher-order derivative", "高阶导数", ()),
    ("finite differences", "有限差分", ("数值微分",)),
    ("norm (of a vector)", "范数（模长）", ()),
    ("hook", "钩子", ()),
    ("loss", "损失", ()),
    ("learning rate", "学习率", ()),
    ("optimizer", "优化器", ()),
]


@dataclass(frozen=True)
class RunsOnce(Markdown):
    """The note after a tutorial cell that can run only once in a row (it runs backward through a graph
    that earlier cells built): running it again raises, and a presenter should know before doing it."""


def runs_once(explained="lesson 03"):
    """The note for the cell above: rerunning it raises, and how to run it again.
    tests/test_notebooks.py runs every code cell twice in a row; only cells followed by this note may fail."""
    where = {"en": f"{explained} explains why", "zh": f"原因见第 {explained.split()[-1]} 课"}
    if explained == "this lesson":
        where = {"en": "this lesson explains why", "zh": "本课会解释原因"}
    return RunsOnce({
        "en": "*This cell runs backward through the graph the cells above built, so it runs once: running it "
              "again raises \"Trying to backward through the graph a second time\" (" + where["en"] + "). "
              "To run it again, first run the cells that build the graph.*",
        "zh": "*这个单元格对上面几个单元格建好的计算图做反向传播，所以只能运行一次：再运行一次会报 "
              "“Trying to backward through the graph a second time”（" + where["zh"] + "）。想再运行它，"
              "先把建图的单元格重新运行一遍。*",
    })
