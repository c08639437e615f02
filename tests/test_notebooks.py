"""The lesson notebooks: built from their sources, executed, bilingual, complete.

nbval (run by `make test`) replays the notebooks and compares outputs; these
tests check what nbval cannot see: that the committed notebooks are the ones
notebooks/build.py makes from notebooks/source/, that every code cell was run
and shows something, that English and Chinese share their code, that every
code cell of the seed tutorials (tests/seed_cells.py) lives in a lesson, and that
every exercise ships open and teaches: its solution passes, its anticipated
mistakes get their messages.
"""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SEEDS_ON_DISK = Path("/work/shared/seeds")


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = load(NOTEBOOKS / "build.py", "notebooks_build")
lesson_template = sys.modules["lesson"]  # notebooks/source/lesson.py, imported by build.py
SEED_CELLS = load(Path(__file__).with_name("seed_cells.py"), "seed_cells").SEED_CELLS
LESSONS = [build.load_lesson(path) for path in build.lesson_files()]
SELFCHECK = {language: load(NOTEBOOKS / language / "selfcheck.py", f"selfcheck_{language}")
             for language in build.LANGUAGES}


def read(language, lesson):
    path = NOTEBOOKS / language / f"{lesson.slug}.ipynb"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run python notebooks/build.py --execute"
    return nbformat.read(path, as_version=4)


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def as_lesson_code(seed_code):
    """A seed cell as it appears in a lesson: `torch` (or `t`) is minigrad."""
    seed_code = re.sub(r"(?m)^import torch as t[ \t]*$", "import minigrad as t", seed_code)
    return re.sub(r"(?m)^import torch[ \t]*$", "import minigrad as torch", seed_code)


def lines(code):
    """Non-blank lines without their indentation, to compare code that may sit inside a try block."""
    return [line.strip() for line in code.splitlines() if line.strip()]


def contains(cell_code, seed_code):
    """Whether the seed's lines occur, consecutive and in order, in the cell's lines."""
    cell, seed = lines(cell_code), lines(seed_code)
    return any(cell[i:i + len(seed)] == seed for i in range(len(cell) - len(seed) + 1))


def test_there_are_lessons_in_both_languages():
    assert LESSONS
    for language in build.LANGUAGES:
        on_disk = sorted(p.stem for p in (NOTEBOOKS / language).glob("*.ipynb"))
        assert on_disk == [lesson.slug for lesson in LESSONS], \
            f"notebooks/{language} and notebooks/source disagree"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_notebooks_are_built_from_their_source(lesson):
    index = LESSONS.index(lesson)
    for language in build.LANGUAGES:
        fresh = build.make_notebook(LESSONS, index, language)
        committed = read(language, lesson)
        assert [(c.cell_type, c.source) for c in committed.cells] == \
               [(c.cell_type, c.source) for c in fresh.cells], \
            f"{language}/{lesson.slug}.ipynb is stale: run python notebooks/build.py --execute {lesson.number}"
        assert committed.metadata.kernelspec.name == "python3"


def test_selfcheck_module_sits_next_to_the_notebooks():
    source = (NOTEBOOKS / "source" / "selfcheck.py").read_text()
    for language in build.LANGUAGES:
        assert (NOTEBOOKS / language / "selfcheck.py").read_text() == source


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_code_is_the_same_in_english_and_chinese(lesson):
    english, chinese = (code_cells(read(language, lesson)) for language in ("en", "zh"))
    assert [c.source for c in english] == [c.source for c in chinese]


@pytest.mark.parametrize("language", build.LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_code_cell_ran_in_order_and_shows_something(lesson, language):
    cells = code_cells(read(language, lesson))
    counts = [cell.execution_count for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), \
        f"{language}/{lesson.slug}: not run top to bottom in one fresh kernel (execution counts {counts})"
    for number, cell in enumerate(cells, 1):
        assert cell.outputs, f"{language}/{lesson.slug}, code cell {number} has no output:\n{cell.source}"
        errors = [out for out in cell.outputs if out.output_type == "error"]
        assert not errors, f"{language}/{lesson.slug}, code cell {number} raised {errors[0].ename}"


def text_of(outputs):
    parts = []
    for out in outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out:
            parts.append(out.data.get("text/plain", ""))
    return "".join(parts)


def heading_kinds(lesson, language):
    """The template kind of every `## ` heading of a lesson ("goal", "code", "graph", ...), or the
    heading itself when it is not one of the template's (see notebooks/source/lesson.py)."""
    index = {"en": 0, "zh": 1}[language]
    kinds = []
    for cell in lesson.CELLS:
        if not isinstance(cell, build.Markdown):
            continue
        for line in (cell.text[language] or "").splitlines():
            if not line.startswith("## "):
                continue
            title = line[3:]
            kind = title
            for name, titles in lesson_template._SECTIONS.items():
                short = lesson_template._BEFORE_SUBTITLE.get(name, titles)[index]
                separator = ": " if language == "en" else "："
                if title == titles[index] or title.startswith(short + separator):
                    kind = name
            kinds.append(kind)
    return kinds


@pytest.mark.parametrize("language", build.LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_each_lesson_follows_the_template(lesson, language):
    """Goal first; then code, its graph and why; then exercises with a self-check that passes on the
    worked answers, and a recap last. Every heading comes from the template."""
    kinds = heading_kinds(lesson, language)
    strays = [kind for kind in kinds if kind not in lesson_template._SECTIONS]
    assert not strays, f"{language}/{lesson.slug}: headings outside the template: {strays}"
    assert kinds[0] == "goal" and kinds[-2:] == ["try", "recap"], f"{language}/{lesson.slug}: {kinds}"
    middle = kinds[1:-2]
    assert {"graph", "why"} <= set(middle) and {"code", "example"} & set(middle), \
        f"{language}/{lesson.slug} lacks code, graph or why: {kinds}"
    assert middle[0] in ("code", "example"), f"{language}/{lesson.slug}: code comes right after the goal"
    checks = [cell for cell in code_cells(read(language, lesson)) if is_self_check(cell.source)]
    assert checks, f"{lesson.slug}: no self-check cell"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_tutorial_code_sections_hold_the_tutorials_cells(lesson):
    """A "The tutorial's code" section shows at least one seed cell (as mapped in the README); code of
    our own goes under "Example"."""
    mapped = {cell for _file, _snippet, row_lesson, cell, _where in build.seed_table_rows(LESSONS)
              if row_lesson is lesson}
    kinds = iter(heading_kinds(lesson, "en"))
    sections, number = [], 0  # [kind, title, code cell numbers]
    for cell in lesson.CELLS:
        if isinstance(cell, build.Markdown):
            for line in cell.text["en"].splitlines():
                if line.startswith("## "):
                    sections.append([next(kinds), line, set()])
        else:
            number += 1
            sections[-1][2].add(number)
    for kind, title, numbers in sections:
        if kind == "code":
            assert numbers & mapped, f"{lesson.slug}: '{title}' holds no seed cell; call it an example"
        if kind == "example":
            assert not numbers & mapped, f"{lesson.slug}: '{title}' holds seed cells {sorted(numbers & mapped)}"


def is_self_check(source):
    """A call of `check(` of its own, not the end of `gradcheck(`."""
    return re.search(r"(?<![\w.])check\(", source) is not None


# Runs a lesson's code cells in a fresh interpreter (the widgets work without a notebook front end); each
# exercise three ways: as shipped (open), with each anticipated mistake as the answer given to `check`, and
# with its solution, which the rest of the lesson then builds on. Prints one JSON line per exercise with what
# the self-check said, in English and in Chinese.
EXERCISE_RUNNER = r"""
import contextlib, importlib.util, io, json, sys
folder, zh_folder = sys.argv[1], sys.argv[2]
sys.path.insert(0, folder)
import selfcheck as english
spec = importlib.util.spec_from_file_location("selfcheck_zh", zh_folder + "/selfcheck.py")
chinese = importlib.util.module_from_spec(spec)
spec.loader.exec_module(chinese)
cells = json.load(sys.stdin)
namespace = {"__name__": "__main__"}

def run(source, space):
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(source, "<cell>", "exec"), space)
    return output.getvalue().strip().splitlines()[-1:]

for cell in cells:
    if cell["exercise"] is None:
        run(cell["source"], namespace)
        continue
    name = cell["exercise"]["name"]
    shipped = run(cell["source"], dict(namespace))
    calls = []
    def recording_check(answer, expected, exercise=None, real=namespace["check"]):
        calls.append((answer, expected, exercise))
        return real(answer, expected, exercise)
    solved_space = dict(namespace, check=recording_check)
    solved = run(cell["solved"], solved_space)
    namespace.update({key: value for key, value in solved_space.items() if key != "check"})
    (answer, expected, called_as), = calls
    mistakes = [[english.verdict(value, expected, name), chinese.verdict(value, expected, name)]
                for value in cell["exercise"]["mistakes"]]
    print(json.dumps({"name": name, "called_as": called_as, "shipped": shipped, "solved": solved,
                      "solved_zh": chinese.verdict(answer, expected, name), "mistakes": mistakes},
                     ensure_ascii=False))
"""


def run_exercises(lesson):
    import json
    import subprocess

    cells = []
    for cell in lesson.CELLS:
        if isinstance(cell, lesson_template.Exercise):
            cells.append({"source": cell.text, "solved": lesson_template.with_solution(cell.text, cell.solution),
                          "exercise": {"name": cell.name,
                                       "mistakes": [lesson_template.json_value(m.value) for m in cell.mistakes]}})
        elif isinstance(cell, build.Code):
            cells.append({"source": cell.text, "exercise": None})
    done = subprocess.run([sys.executable, "-c", EXERCISE_RUNNER, str(NOTEBOOKS / "en"), str(NOTEBOOKS / "zh")],
                          input=json.dumps(cells), capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return {result["name"]: result for result in map(json.loads, done.stdout.splitlines()) if result}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_exercises_open_solved_and_mistaken(lesson):
    """Every exercise asks for an answer as shipped, says ✓ to its solution (in both languages) and
    tells each anticipated mistake what it means (in both languages)."""
    exercises = lesson_template.exercises_of(lesson.CELLS)
    results = run_exercises(lesson)
    assert sorted(results) == sorted(cell.name for cell in exercises), "every exercise calls check() once"
    for cell in exercises:
        result = results[cell.name]
        assert result["called_as"] == cell.name, f"{cell.name}: check(..., {result['called_as']!r})"
        assert result["shipped"] and result["shipped"][0].startswith("…"), (cell.name, result["shipped"])
        assert result["solved"] and result["solved"][0] == SELFCHECK["en"].MESSAGES["en"]["right"], \
            f"{lesson.slug}, {cell.name}: the solution fails its check: {result['solved']}"
        assert result["solved_zh"] == SELFCHECK["zh"].MESSAGES["zh"]["right"]
        for mistake, said in zip(cell.mistakes, result["mistakes"]):
            for language, line in zip(build.LANGUAGES, said):
                wanted = SELFCHECK[language].MESSAGES[language]["mistake"].format(message=mistake.text[language])
                assert line == wanted, f"{lesson.slug}, {cell.name}: answer {mistake.value!r} gets {line!r}"


def assigned_answers(source):
    """(name, is `...`) for each assignment to a name starting with `answer` in a code cell."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id.startswith("answer"):
                    is_open = isinstance(node.value, ast.Constant) and node.value.value is Ellipsis
                    found.append((target.id, is_open and not isinstance(node, ast.AugAssign)))
    return found


@pytest.mark.parametrize("language", build.LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_exercises_ship_open(lesson, language):
    """No code cell gives an answer away, and the executed notebook shows each exercise asking for one."""
    cells = code_cells(read(language, lesson))
    for cell in cells:
        given = [name for name, is_open in assigned_answers(cell.source) if not is_open]
        assert not given, f"{language}/{lesson.slug}: a code cell assigns {given} something other than `...`"
    say = SELFCHECK[language].MESSAGES[language]
    open_sources = {cell.text for cell in lesson_template.exercises_of(lesson.CELLS)}
    for cell in cells:
        shown = text_of(cell.outputs).strip().splitlines()[-1:]
        if cell.source in open_sources:
            assert shown in ([say["empty"]], [say["empty_code"]]), f"{language}/{lesson.slug}: {shown}"
        elif is_self_check(cell.source):
            assert cell.source == lesson_template.selfcheck().text, \
                f"{lesson.slug}: a self-check outside exercise(...):\n{cell.source}"
            assert shown == [say["right"]]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_each_lesson_has_every_kind_of_exercise(lesson):
    """Numeric or named answers, at least one predict-then-run, at least one investigate task; every
    exercise anticipates a mistake; solutions follow right after their exercise."""
    exercises = lesson_template.exercises_of(lesson.CELLS)
    assert exercises, f"{lesson.slug}: no exercise"
    assert any(cell.predict for cell in exercises), f"{lesson.slug}: no predict-then-run exercise"
    assert any(isinstance(cell, lesson_template.Investigation) for cell in lesson.CELLS), \
        f"{lesson.slug}: no investigate task"
    for cell in exercises:
        assert cell.mistakes, f"{lesson.slug}, {cell.name}: name at least one likely wrong answer"
        after = lesson.CELLS[lesson.CELLS.index(cell) + 1]
        assert isinstance(after, lesson_template.Solution) and cell.solution in after.text["en"]
        for language in build.LANGUAGES:
            assert after.text[language].startswith("<details>"), "the solution is collapsed"


def test_exercise_feedback_files_are_up_to_date():
    for language in build.LANGUAGES:
        assert (NOTEBOOKS / language / "exercises.json").read_text(encoding="utf-8") == \
               build.exercise_feedback(LESSONS, language), "exercises.json is stale: run python notebooks/build.py"


def test_chinese_lines_are_joined_where_a_break_would_show_as_a_space():
    cell = lesson_template.md(en="", zh="""
        这是“计算图”
        的例子：
        * 一个列表项里
          换行了，**累积**
          **加粗**也一样
        * 下一项

        中文后面接
        `code`，句号之后也一样。
        `model.eval()` 接在句号后，
        PyTorch 接在逗号后：
        * 列表项照旧另起一行
        """)
    assert cell.text["zh"] == ("这是“计算图”的例子：\n* 一个列表项里换行了，**累积****加粗**也一样\n* 下一项\n\n中文后面接\n"
                               "`code`，句号之后也一样。`model.eval()` 接在句号后，PyTorch 接在逗号后：\n* 列表项照旧另起一行")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_no_stray_space_between_chinese_characters(lesson):
    """In the Chinese notebooks no line break (which Markdown shows as a space) sits between two Chinese
    characters, outside code blocks."""
    cjk = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018\u2019\u201c\u201d"
    pattern = re.compile(f"[{cjk}](\\*\\*)?\\n[ \\t]*(\\*\\*)?[{cjk}]")
    for cell in read("zh", lesson).cells:
        if cell.cell_type != "markdown":
            continue
        prose = re.sub(r"(?s)```.*?```", "", cell.source)
        assert not pattern.search(prose), f"zh/{lesson.slug}: a line break shows as a space in:\n{cell.source}"


def test_readme_is_up_to_date():
    assert (NOTEBOOKS / "README.md").read_text(encoding="utf-8") == build.readme(LESSONS), \
        "notebooks/README.md is stale: run python notebooks/build.py"


SEED_IDS = [(name, number) for name, cells in SEED_CELLS.items() for number in range(len(cells))]


@pytest.mark.parametrize("seed_file, number", SEED_IDS, ids=[f"{n[:3]}-cell{i + 1}" for n, i in SEED_IDS])
def test_every_seed_cell_is_in_a_lesson_and_in_the_readme_map(seed_file, number):
    """Some README row for this seed file names a snippet of this cell, and the
    lesson cell it points to holds the whole cell."""
    seed_code = as_lesson_code(SEED_CELLS[seed_file][number])
    mapped = []
    for row_file, snippet, lesson, cell_number, _where in build.seed_table_rows(LESSONS):
        if row_file != seed_file or snippet not in seed_code:
            continue
        cell = [c for c in lesson.CELLS if isinstance(c, build.Code)][cell_number - 1]
        if contains(cell.text, seed_code):
            mapped.append((lesson.slug, cell_number))
    assert mapped, f"{seed_file}, code cell {number + 1} is in no lesson (or not in the README map):\n{seed_code}"


@pytest.mark.skipif(not SEEDS_ON_DISK.is_dir(), reason="the seed tutorials are not on this machine")
@pytest.mark.parametrize("seed_file", sorted(SEED_CELLS))
def test_seed_cells_are_copied_from_the_tutorials(seed_file):
    text = (SEEDS_ON_DISK / seed_file).read_text(encoding="utf-8")
    for number, cell in enumerate(SEED_CELLS[seed_file], 1):
        assert contains(text, cell), f"{seed_file}, cell {number} is not in the tutorial"
    assert sorted(p.name for p in SEEDS_ON_DISK.glob("*.txt")) == sorted(SEED_CELLS)


def chinese_prose(lesson):
    """The Chinese text of a lesson (markdown cells and the self-check's messages), without code."""
    texts = [cell.text["zh"] for cell in lesson.CELLS if isinstance(cell, build.Markdown) and cell.text["zh"]]
    texts += [m.text["zh"] for cell in lesson_template.exercises_of(lesson.CELLS) for m in cell.mistakes]
    return [re.sub(r"`[^`]*`", "", re.sub(r"(?s)```.*?```", "", text)) for text in texts]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_chinese_lessons_use_one_term_per_idea(lesson):
    """The glossary's terms, not their variants (叶子张量, not 叶子节点; 累积, not 累加)."""
    for text in chinese_prose(lesson):
        for english, chinese, avoided in lesson_template.GLOSSARY:
            for variant in avoided:
                assert variant not in text, f"{lesson.slug}: {variant} for '{english}'; the glossary says {chinese}"


@pytest.mark.parametrize("language", build.LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_outputs_name_no_kernel_temp_files(lesson, language):
    """A warning printed with the kernel's temporary cell file (/tmp/ipykernel_…/….py:3:) means nothing to a
    learner and differs on every machine."""
    for number, cell in enumerate(code_cells(read(language, lesson)), 1):
        assert "ipykernel_" not in text_of(cell.outputs) + "".join(
            out.get("text", "") for out in cell.outputs if out.output_type == "stream"), \
            f"{language}/{lesson.slug}, code cell {number} prints a kernel file path"


# Runs a lesson's code cells in order, each one twice in a row (a presenter runs a cell again), and prints one
# JSON line per cell whose second run raised.
RERUN_RUNNER = r"""
import contextlib, io, json, sys
sys.path.insert(0, sys.argv[1])
cells = json.load(sys.stdin)
namespace = {"__name__": "__main__"}
for number, source in enumerate(cells, 1):
    for run in (1, 2):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, "<cell>", "exec"), namespace)
        except Exception as error:
            print(json.dumps({"cell": number, "run": run, "error": f"{type(error).__name__}: {error}"}))
"""


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_cell_can_run_again(lesson):
    """Safe for a live class: running a cell a second time raises nothing, except a tutorial cell that runs
    backward through a graph built by the cells above, which says so right below it (runs_once())."""
    import json
    import subprocess

    codes, runs_once = [], set()
    for index, cell in enumerate(lesson.CELLS):
        if isinstance(cell, build.Code):
            codes.append(cell.text)
            following = [c for c in lesson.CELLS[index + 1:index + 3] if not isinstance(c, build.Code)]
            if any(isinstance(c, lesson_template.RunsOnce) for c in following):
                runs_once.add(len(codes))
    done = subprocess.run([sys.executable, "-c", RERUN_RUNNER, str(NOTEBOOKS / "en")], input=json.dumps(codes),
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    failures = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    unexpected = [f for f in failures if f["run"] == 1 or f["cell"] not in runs_once]
    assert not unexpected, f"{lesson.slug}: {unexpected}"
    for number in runs_once:
        assert any(f["cell"] == number for f in failures), \
            f"{lesson.slug}, code cell {number} runs again without error: drop its runs_once() note"
