"""Checks on the project's set-up files.

pyproject.toml (pip) and environment.yml (conda) are two routes to the same
environment, so they must name the same packages with the same version limits.
The nbval sanitize file must make machine-dependent output comparable, and the
committed notebooks must hold the outputs nbval compares against.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent

# conda's `python-graphviz` is PyPI's `graphviz` (the Python package).
# conda's `graphviz` is the Graphviz program itself (`dot`), which PyPI lacks.
CONDA_TO_PYPI = {"python-graphviz": "graphviz"}
CONDA_ONLY = {"graphviz", "python", "pip"}


def normalise(name):
    """PEP 503 name: case and runs of -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_environment_yml(text):
    """Parse the small YAML subset environment.yml uses.

    Top-level `key: value` or `key:` followed by `- item` lines; an item that
    ends in a colon (`- pip:`) opens a nested list of deeper `- item` lines.
    Written by hand so the tests need no YAML library.
    """
    data, key, nested, item_indent = {}, None, None, None
    for raw in text.splitlines():
        line = re.sub(r"(^|\s+)#.*$", "", raw).rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        if indent == 0:
            key, _, value = body.partition(":")
            value = value.strip()
            data[key] = value if value else []
            nested = None
        elif body.startswith("- "):
            item = body[2:].strip()
            if nested is not None and indent > item_indent:
                nested.append(item)
                continue
            item_indent = indent
            if item.endswith(":"):
                nested = []
                data[key].append({item[:-1]: nested})
            else:
                nested = None
                data[key].append(item)
        else:
            raise ValueError(f"unexpected line in environment.yml: {raw!r}")
    return data


def split_conda_spec(spec):
    """'numpy>=2,<3' -> ('numpy', SpecifierSet('>=2,<3'))."""
    match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)", spec)
    assert match, f"cannot read conda spec {spec!r}"
    return match.group(1), SpecifierSet(match.group(2))


@pytest.fixture(scope="module")
def environment():
    return read_environment_yml((ROOT / "environment.yml").read_text())


@pytest.fixture(scope="module")
def pyproject():
    tomllib = pytest.importorskip("tomllib", reason="tomllib arrived in Python 3.11")
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def conda_and_pip_entries(environment):
    conda, pip = [], []
    for item in environment["dependencies"]:
        if isinstance(item, dict):
            pip.extend(item["pip"])
        else:
            conda.append(item)
    return conda, pip


def pypi_requirements(pyproject):
    """Every requirement, runtime and extras, as {normalised name: specifiers}."""
    project = pyproject["project"]
    lines = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        lines.extend(extra)
    found = {}
    for line in lines:
        req = Requirement(line)
        name = normalise(req.name)
        # A package listed in two extras must carry the same limits in both.
        assert found.get(name, req.specifier) == req.specifier, line
        found[name] = req.specifier
    return found


def environment_requirements(environment):
    """The packages environment.yml installs, named as on PyPI."""
    conda, pip = conda_and_pip_entries(environment)
    found = {}
    for spec in conda:
        name, specifier = split_conda_spec(spec)
        if name in CONDA_ONLY:
            continue
        found[normalise(CONDA_TO_PYPI.get(name, name))] = specifier
    for line in pip:
        if line.startswith("-e"):
            continue
        req = Requirement(line)
        found[normalise(req.name)] = req.specifier
    return found


def test_hand_parser_reads_environment_yml_like_yaml_does(environment):
    yaml = pytest.importorskip("yaml")
    assert environment == yaml.safe_load((ROOT / "environment.yml").read_text())


def test_pyproject_and_environment_list_the_same_packages(pyproject, environment):
    pypi = pypi_requirements(pyproject)
    conda = environment_requirements(environment)
    assert sorted(pypi) == sorted(conda)
    for name in pypi:
        assert pypi[name] == conda[name], f"{name}: {pypi[name]} vs {conda[name]}"


def test_numpy_is_held_to_2x_in_both(pyproject, environment):
    # numpy 1.x prints scalars as `1.0`, 2.x as `np.float64(1.0)`: recorded
    # notebook output depends on the major version.
    for spec in (pypi_requirements(pyproject)["numpy"],
                 environment_requirements(environment)["numpy"]):
        assert spec.contains("2.0.0") and spec.contains("2.4.6")
        assert not spec.contains("1.26.4")
        assert not spec.contains("3.0.0")


def test_python_version_limit_matches(pyproject, environment):
    conda, _ = conda_and_pip_entries(environment)
    python = dict(split_conda_spec(spec) for spec in conda)["python"]
    assert python == SpecifierSet(pyproject["project"]["requires-python"])


def test_torch_is_not_a_dependency(pyproject, environment):
    assert "torch" not in pypi_requirements(pyproject)
    assert "torch" not in environment_requirements(environment)


def test_environment_brings_dot_and_installs_the_project(environment):
    conda, pip = conda_and_pip_entries(environment)
    assert "conda-forge" in environment["channels"]
    assert "graphviz" in [split_conda_spec(spec)[0] for spec in conda]
    assert "-e ." in pip


def test_ci_installs_exactly_torch_2_13_0_before_running_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in script.splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert "set -euo pipefail" in lines
    torch_lines = [line for line in lines if "torch" in line]
    assert torch_lines == [".venv/bin/pip install torch==2.13.0"]
    assert lines.index("make venv") < lines.index(torch_lines[0]) < lines.index("make test")


def test_one_sanitize_file_and_the_makefile_uses_it():
    found = [p.relative_to(ROOT).as_posix()
             for p in (ROOT / "notebooks").rglob("*sanitize*")
             if ".ipynb_checkpoints" not in p.parts]
    assert found == ["notebooks/nbval-sanitize.cfg"]
    assert "SANITIZE := notebooks/nbval-sanitize.cfg" in (ROOT / "Makefile").read_text()


def sanitize(text):
    """Apply the sanitize file the way nbval does."""
    plugin = pytest.importorskip("nbval.plugin")
    patterns = plugin.get_sanitize_patterns((ROOT / "notebooks" / "nbval-sanitize.cfg").read_text())
    assert patterns, "nbval found no regex/replace pairs in the sanitize file"
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    return text


def test_sanitize_hides_memory_addresses():
    a = "<minigrad.autograd.function.MulBackward0 object at 0x7f3a2b1c9d00>"
    b = "<minigrad.autograd.function.MulBackward0 object at 0x7fe0004a1e50>"
    assert sanitize(a) == sanitize(b) != a


def test_sanitize_hides_graphviz_svg():
    a = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
         '<!-- Generated by graphviz version 2.43.0 -->\n'
         '<svg width="62pt" height="44pt"><g id="node1" class="node"><title>a</title>'
         '<text x="27" y="-14.3">a</text></g></svg>\n')
    b = ('<svg width="63pt" height="45pt"><g id="node1" class="node"><title>a</title>'
         '<text x="27.5" y="-14.8">a</text></g></svg>')
    assert sanitize(a) == sanitize(b) == "<SVG>"


def test_sanitize_leaves_ordinary_output_alone():
    text = "tensor([1., 2., 3.], dtype=minigrad.float64, grad_fn=<MulBackward0>)\nid 0x1f\n"
    assert sanitize(text) == text


def notebooks():
    return sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_is_committed_executed(path):
    # nbval never compares a cell saved without an execution count, so an
    # unexecuted notebook would pass `make test` having checked nothing.
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    unrun = [i for i, cell in enumerate(cells)
             if cell["cell_type"] == "code" and "".join(cell["source"]).strip()
             and cell.get("execution_count") is None]
    assert unrun == [], f"code cells saved without running: {unrun}"


def test_packages_import_from_this_checkout(tmp_path):
    # Run from an unrelated folder, as a Jupyter kernel in notebooks/ would,
    # so the current directory cannot stand in for the installed package.
    present = [name for name in ("minigrad", "widgets") if (ROOT / name / "__init__.py").exists()]
    if not present:
        pytest.skip("neither minigrad/ nor widgets/ exists yet")
    code = ("import importlib.util, importlib.metadata, sys\n"
            "importlib.metadata.distribution('minigrad-lens')\n"
            "for name in sys.argv[1:]:\n"
            "    print(importlib.util.find_spec(name).origin)\n")
    result = subprocess.run([sys.executable, "-c", code, *present], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, (result.stderr + "\nrun `make test` (or `pip install -e .`) "
                                    "to install this checkout")
    origins = [Path(line).resolve() for line in result.stdout.split()]
    assert origins == [ROOT / name / "__init__.py" for name in present]
