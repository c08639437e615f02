"""The widget looks into minigrad through public names only (minigrad.autograd.graph and the PyTorch API).

An underscore name is minigrad's own business: the engine may change it at any time, and a learner reading the
widget should not need to know it. The widget's source is parsed; any of these fails the test:

- ``from minigrad... import _name`` (or ``import minigrad._name``);
- an attribute ``something._name`` where ``_name`` is a private name minigrad defines (an attribute it sets, a
  class attribute, a method or function, a ``__slots__`` entry), on anything but the widget's own ``self``/``cls``;
- the same name as a string: ``getattr(node, "_saved")``, ``node.__dict__.get("_saved")``.
"""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _sources(folder):
    for path in sorted((ROOT / folder).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def minigrad_private_names():
    """Every private name minigrad's source defines."""
    names = set()
    for _, tree in _sources("minigrad"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__slots__" for t in node.targets):
                names.update(e.value for e in ast.walk(node.value) if isinstance(e, ast.Constant)
                             and isinstance(e.value, str))
    return {name for name in names if _private(name)}


def private_uses(tree, where, private):
    """``(where:line, text)`` for each use of a name in ``private`` (minigrad's) in the parsed module ``tree``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "minigrad":
            found += [(f"{where}:{node.lineno}", f"from {node.module} import {alias.name}")
                      for alias in node.names if _private(alias.name)]
        elif isinstance(node, ast.Import):
            found += [(f"{where}:{node.lineno}", f"import {alias.name}") for alias in node.names
                      if alias.name.split(".")[0] == "minigrad" and any(map(_private, alias.name.split(".")))]
        elif isinstance(node, ast.Attribute) and node.attr in private:
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue  # the widget's own attribute (one of its classes), not minigrad's
            found.append((f"{where}:{node.lineno}", f"{ast.unparse(owner)}.{node.attr}"))
        elif isinstance(node, ast.Call) and _reads_by_name(node.func):
            found += [(f"{where}:{node.lineno}", ast.unparse(node)) for arg in node.args[:2]
                      if isinstance(arg, ast.Constant) and arg.value in private]
    return found


def _reads_by_name(func):
    """``getattr``/``hasattr``/``setattr``/``delattr``, or ``something.__dict__.get``/``setdefault``/``pop``."""
    if isinstance(func, ast.Name):
        return func.id in ("getattr", "hasattr", "setattr", "delattr")
    return (isinstance(func, ast.Attribute) and func.attr in ("get", "setdefault", "pop")
            and isinstance(func.value, ast.Attribute) and func.value.attr == "__dict__")


def test_the_checker_sees_what_it_must():
    private = minigrad_private_names()
    assert {"_data", "_grad", "_saved", "_sequence_nr", "_unpack_output", "_FREED", "_version_counter"} <= private
    assert not {"grad_fn", "next_functions", "saved_tensors", "__init__", "__slots__"} & private
    code = ("from minigrad.autograd.function import _FREED, AccumulateGrad\nimport minigrad._private\n"
            "x = node._saved\ny = self._saved\nz = tensor.grad_fn\nw = view._own_thing\n"
            "v = node.__dict__.get('_saved')\nu = getattr(tensor, '_grad', None)\nt = getattr(view, '_own', 0)\n")
    uses = [text for _, text in private_uses(ast.parse(code), "probe", private)]
    assert uses == ["from minigrad.autograd.function import _FREED", "import minigrad._private", "node._saved",
                    "node.__dict__.get('_saved')", "getattr(tensor, '_grad', None)"]


def test_widgets_use_only_public_minigrad_names():
    private = minigrad_private_names()
    uses = [use for path, tree in _sources("widgets") for use in private_uses(tree, path.relative_to(ROOT), private)]
    assert not uses, "widgets/ uses minigrad's private names:\n" + "\n".join(f"{w}: {t}" for w, t in uses)
