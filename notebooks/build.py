"""Build the lesson notebooks from notebooks/source/.

    python notebooks/build.py                 write every lesson, in English and Chinese
    python notebooks/build.py 00 03           only lessons 00 and 03
    python notebooks/build.py --execute 03    write lesson 03 and run it (both languages)

Each lesson `source/NN_slug.py` becomes `en/NN_slug.ipynb` and `zh/NN_slug.ipynb`.
Without --execute, a notebook whose code cells did not change keeps the outputs
it already has (so editing prose needs no re-run); otherwise it is written
without outputs and must be run before it is committed. README.md (the lesson
list and the map from seed tutorial cells to lesson cells) and exercises.json
(each exercise's anticipated mistakes, read by selfcheck.py) are always
rewritten from all lessons.
"""

import argparse
import importlib.util
import json
import re
import shutil
import sys
import uuid
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
sys.path.insert(0, str(SOURCE))

from lesson import GLOSSARY, LANGUAGES, Code, Markdown, exercises_of, json_value  # noqa: E402

KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
NAV = {
    "en": {"previous": "Previous: ", "next": "Next: ", "list": "All lessons"},
    "zh": {"previous": "上一课：", "next": "下一课：", "list": "课程目录"},
}


def lesson_files():
    return sorted(SOURCE.glob("[0-9][0-9]_*.py"))


def load_lesson(path):
    """Import source/NN_slug.py and check that it has what a lesson needs."""
    spec = importlib.util.spec_from_file_location(f"lesson_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("TITLE", "SEED_CELLS", "CELLS"):
        if not hasattr(module, name):
            raise SystemExit(f"{path.name}: missing {name}")
    for cell in module.CELLS:
        if not isinstance(cell, (Markdown, Code)):
            raise SystemExit(f"{path.name}: CELLS holds {cell!r}; use md(...) or code(...)")
    module.number, module.slug = path.stem[:2], path.stem
    return module


def heading(lesson, language):
    return f"# {lesson.number} · {lesson.TITLE[language]}"


def navigation(lessons, index, language):
    """Links to the previous and next lessons and to the list, for the last cell."""
    words, parts = NAV[language], []
    if index > 0:
        before = lessons[index - 1]
        parts.append(f"← {words['previous']}[{before.TITLE[language]}]({before.slug}.ipynb)")
    parts.append(f"[{words['list']}](../README.md)")
    if index + 1 < len(lessons):
        after = lessons[index + 1]
        parts.append(f"{words['next']}[{after.TITLE[language]}]({after.slug}.ipynb) →")
    return "---\n" + " · ".join(parts)


def make_notebook(lessons, index, language):
    """The notebook of one lesson in one language, without outputs."""
    lesson = lessons[index]
    cells = [nbformat.v4.new_markdown_cell(heading(lesson, language))]
    for cell in lesson.CELLS:
        if isinstance(cell, Code):
            cells.append(nbformat.v4.new_code_cell(cell.source(language)))
        elif cell.source(language) is not None:  # a note for one language only has no text in the other
            cells.append(nbformat.v4.new_markdown_cell(cell.source(language)))
    cells.append(nbformat.v4.new_markdown_cell(navigation(lessons, index, language)))
    # Stable ids keep diffs small when a lesson is rebuilt.
    for number, cell in enumerate(cells):
        cell.id = f"{lesson.number}-{number:03d}"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": KERNEL,
        "language_info": {"name": "python"},
    }
    return notebook


def code_sources(notebook):
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def keep_outputs(fresh, path):
    """Copy outputs from the notebook at `path` if its code cells are the same as fresh's."""
    if not path.exists():
        return False
    old = nbformat.read(path, as_version=4)
    if code_sources(old) != code_sources(fresh):
        return False
    old_code = [cell for cell in old.cells if cell.cell_type == "code"]
    new_code = [cell for cell in fresh.cells if cell.cell_type == "code"]
    for before, after in zip(old_code, new_code):
        after.outputs, after.execution_count = before.outputs, before.execution_count
    for key in ("widgets", "language_info"):  # what the run wrote: the saved views, the kernel's Python
        if key in old.metadata:
            fresh.metadata[key] = old.metadata[key]
    return True


def execute(notebook, folder, name):
    """Run every cell in a fresh kernel started in `folder` (as JupyterLab would)."""
    from nbclient import NotebookClient

    # The widget state is kept: a lesson opened later draws its saved graphs (the views' DOT, and the
    # browser's Graphviz once per notebook), with no kernel and with no "model not found" after trusting it.
    client = NotebookClient(notebook, timeout=120, kernel_name=KERNEL["name"], coalesce_streams=True,
                            store_widget_state=True, resources={"metadata": {"path": str(folder)}})
    client.execute()
    stable_widget_ids(notebook, f"{folder.name}/{name}")
    for cell in notebook.cells:  # execution timestamps change on every run and mean nothing to a learner
        cell.metadata.pop("execution", None)


def stable_widget_ids(notebook, seed):
    """Give the widget models ids that depend on the notebook and their order, not on chance, so that running
    a lesson again changes its file only where its outputs changed."""
    state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = state.get("state", {})
    renames = {old: uuid.uuid5(uuid.NAMESPACE_URL, f"minigrad-lesson:{seed}:{number}").hex
               for number, old in enumerate(models)}
    if not renames:
        return
    text = json.dumps(nbformat.from_dict(notebook))
    pattern = re.compile("|".join(re.escape(old) for old in renames))
    renamed = nbformat.from_dict(json.loads(pattern.sub(lambda match: renames[match.group()], text)))
    notebook.clear()
    notebook.update(renamed)


def exercise_feedback(lessons, language):
    """exercises.json for one language: {exercise name: {"mistakes": [[value, message], ...], "predict": bool}}."""
    feedback = {}
    for lesson in lessons:
        for cell in exercises_of(lesson.CELLS):
            if cell.name in feedback:
                raise SystemExit(f"{lesson.slug}: exercise name {cell.name!r} is used twice in the course")
            feedback[cell.name] = {"mistakes": [[json_value(m.value), m.text[language]] for m in cell.mistakes],
                                   "predict": cell.predict}
    return json.dumps(feedback, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def seed_table_rows(lessons):
    """(seed file, snippet, lesson, code cell number, where) for every SEED_CELLS entry.

    SEED_CELLS lists the seed cells in the order they appear in the lesson; each
    snippet is looked up in the code cells after the one the previous entry
    matched, so a cell that repeats earlier code (a tutorial's "whole program")
    is told apart from the earlier cells. Cells are counted from 1 among the
    code cells, which is the `In [n]` a learner sees after Run All.
    """
    rows = []
    for lesson in lessons:
        sources = [cell.text for cell in lesson.CELLS if isinstance(cell, Code)]
        previous = 0
        for seed_file, snippet, where in lesson.SEED_CELLS:
            found = [n for n, text in enumerate(sources, 1) if n > previous and snippet in text]
            if not found:
                raise SystemExit(f"{lesson.slug}: snippet {snippet!r} of {seed_file} is in no code cell "
                                 f"after cell {previous} (list SEED_CELLS in lesson order)")
            previous = found[0]
            rows.append((seed_file, snippet, lesson, previous, where))
    return sorted(rows, key=lambda row: (row[0], row[2].number, row[3]))


def escape(text):
    """Text for a markdown table cell, shown as code."""
    text = text.replace("|", "\\|").replace("\n", " ⏎ ")
    return f"`{text}`" if "`" not in text else f"``{text}``"


def readme(lessons):
    lines = [
        "# Lessons",
        "",
        "Generated by `python notebooks/build.py` from `notebooks/source/`; edit the sources, not this file.",
        "",
        "Each lesson comes in English (`en/`) and Chinese (`zh/`), with the same code cells. Open them with",
        "`make lab` and run them top to bottom; the graph widget draws each computation as it happens.",
        "",
        "| # | English | 中文 |",
        "| --- | --- | --- |",
    ]
    for lesson in lessons:
        lines.append(f"| {lesson.number} | [{lesson.TITLE['en']}](en/{lesson.slug}.ipynb) "
                     f"| [{lesson.TITLE['zh']}](zh/{lesson.slug}.ipynb) |")
    lines += [
        "",
        "Each lesson ends with exercises: a cell with `answer = ...` (or code with a `...` to fill in) for you to",
        "complete, a self-check (`check`, in `selfcheck.py`) that tells you what a wrong answer suggests, and a",
        "worked solution folded up under each exercise. Some ask you to predict what a cell will show before",
        "running it; one in each lesson asks you to change some code and explain what changed.",
        "",
        "## Glossary · 术语对照",
        "",
        "The Chinese lessons use one term per idea, following d2l-zh (《动手学深度学习》) where it has one.",
        "",
        "| English | 中文 | not used |",
        "| --- | --- | --- |",
    ]
    for english, chinese, avoided in GLOSSARY:
        lines.append(f"| {english} | {chinese} | {'、'.join(avoided)} |")
    lines += [
        "",
        "## Where each cell of the seed tutorials went",
        "",
        "The lessons recreate every code cell of the five tutorials they grew from, running on minigrad",
        "(`import minigrad as torch`). *Cell* counts the code cells of the lesson from 1 (the `In [n]` after Run All).",
        "",
        "| seed tutorial | code (first line or key line) | lesson | cell | where |",
        "| --- | --- | --- | --- | --- |",
    ]
    for seed_file, snippet, lesson, cell, where in seed_table_rows(lessons):
        lines.append(f"| {seed_file} | {escape(snippet)} | [{lesson.number}](en/{lesson.slug}.ipynb) "
                     f"| {cell} | {where} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers to build (default: all)")
    parser.add_argument("--execute", action="store_true", help="run the notebooks after writing them")
    args = parser.parse_args(argv)

    lessons = [load_lesson(path) for path in lesson_files()]
    chosen = [lesson for lesson in lessons if not args.lessons or lesson.number in args.lessons]
    unknown = set(args.lessons) - {lesson.number for lesson in lessons}
    if unknown:
        raise SystemExit(f"no lesson numbered {', '.join(sorted(unknown))}")

    for language in LANGUAGES:
        folder = HERE / language
        folder.mkdir(exist_ok=True)
        shutil.copyfile(SOURCE / "selfcheck.py", folder / "selfcheck.py")
        (folder / "exercises.json").write_text(exercise_feedback(lessons, language), encoding="utf-8")
        for lesson in chosen:
            index = lessons.index(lesson)
            notebook = make_notebook(lessons, index, language)
            path = folder / f"{lesson.slug}.ipynb"
            if args.execute:
                print(f"running {path.relative_to(HERE)}", flush=True)
                execute(notebook, folder, path.name)
                state = "executed"
            else:
                state = "kept outputs" if keep_outputs(notebook, path) else "NOT EXECUTED"
            nbformat.validate(notebook)
            nbformat.write(notebook, path)
            print(f"wrote {path.relative_to(HERE)} ({state})")
    (HERE / "README.md").write_text(readme(lessons), encoding="utf-8")
    print("wrote README.md")


if __name__ == "__main__":
    main()
