"""Run one piece of tutorial-style code on real PyTorch and on minigrad, and compare.

The code sees the module under test as `torch` (and as `t`, the other common
alias), and `import torch` / `import torch as t` / `from torch import nn` inside
the code resolve to that module too, so snippets stay exactly as a learner would
write them.

What is compared is an `Outcome`: everything printed to stdout, every warning
(category name and message) and the exception that ended the code, if any
(type name and message).

PyTorch's own output is then put in minigrad's spelling by `normalise`:
memory addresses become `0xADDR` on both sides, and on the PyTorch side
`torch.` becomes `minigrad.` (so `torch.float64` must be printed by minigrad as
`minigrad.float64`, and `torch.Size([2, 2])` as `minigrad.Size([2, 2])`) and the
C++ source location that PyTorch appends to some warnings,
` (Triggered internally at ...)`, is dropped.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib.util
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

SNIPPETS = Path(__file__).resolve().parent / "snippets"

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_TORCH_NAME = re.compile(r"\btorch\.")
# PyTorch appends the C++ location to warnings raised from C++ (TORCH_WARN).
_CPP_LOCATION = re.compile(r" \(Triggered internally at [^)]*\)\.?")


def mask_addresses(text: str) -> str:
    """Replace memory addresses such as `0x7f3a5c1d2e90` by `0xADDR`."""
    return _ADDRESS.sub("0xADDR", text)


def normalise(text: str) -> str:
    """Put text printed by PyTorch into the spelling minigrad is expected to use."""
    text = mask_addresses(text)
    text = _CPP_LOCATION.sub("", text)
    return _TORCH_NAME.sub("minigrad.", text)


@dataclass(frozen=True)
class Outcome:
    """What running a piece of code produced."""

    stdout: str = ""
    warnings: tuple[tuple[str, str], ...] = ()
    exception: tuple[str, str] | None = None

    def normalised(self, rename: bool = True) -> "Outcome":
        """Addresses masked; with `rename` also PyTorch's names turned into minigrad's."""
        fix = normalise if rename else mask_addresses
        return Outcome(
            stdout=fix(self.stdout),
            warnings=tuple((category, fix(message)) for category, message in self.warnings),
            exception=None if self.exception is None else (self.exception[0], fix(self.exception[1])),
        )

    def report(self) -> str:
        """A readable dump, used in assertion messages."""
        lines = ["--- stdout ---", self.stdout.rstrip("\n")]
        for category, message in self.warnings:
            lines.append(f"--- warning {category} --- {message}")
        if self.exception is not None:
            lines.append(f"--- exception {self.exception[0]} --- {self.exception[1]}")
        return "\n".join(lines)


def _exception_message(error: BaseException) -> str:
    # KeyError's str() adds quotes around its argument; keep the plain text for all types.
    if isinstance(error, KeyError) and len(error.args) == 1:
        return str(error.args[0])
    return str(error)


def _importer_for(module: ModuleType):
    """An `__import__` that resolves `torch` and `torch.*` to `module` and its submodules."""
    real_import = builtins.__import__
    target = module.__name__

    def redirected_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "torch" or name.startswith("torch.")):
            name = target + name[len("torch"):]
        return real_import(name, globals, locals, fromlist, level)

    return redirected_import


@dataclass
class Session:
    """A namespace that several cells run in one after the other, like a notebook kernel."""

    module: ModuleType
    echo_last: bool = False
    namespace: dict = field(default_factory=dict)

    def __post_init__(self):
        patched = dict(vars(builtins))
        patched["__import__"] = _importer_for(self.module)
        self.namespace.update(
            {"__builtins__": patched, "__name__": "__main__", "torch": self.module, "t": self.module}
        )

    def run(self, code: str) -> Outcome:
        """Execute one cell; with `echo_last` a final bare expression is printed as its repr, as Jupyter does."""
        stdout = io.StringIO()
        error = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with contextlib.redirect_stdout(stdout):
                    self._execute(code)
            except Exception as exc:  # the outcome of the snippet, not a failure of the harness
                error = exc
        self._restore_grad_mode()
        return Outcome(
            stdout=stdout.getvalue(),
            warnings=tuple((w.category.__name__, str(w.message)) for w in caught),
            exception=None if error is None else (type(error).__name__, _exception_message(error)),
        )

    def _execute(self, code: str) -> None:
        tree = ast.parse(code, mode="exec")
        last = tree.body[-1] if tree.body else None
        if self.echo_last and isinstance(last, ast.Expr):
            tree.body.pop()
            exec(compile(tree, "<snippet>", "exec"), self.namespace)
            value = eval(compile(ast.Expression(last.value), "<snippet>", "eval"), self.namespace)
            if value is not None:
                print(repr(value))
        else:
            exec(compile(tree, "<snippet>", "exec"), self.namespace)

    def _restore_grad_mode(self) -> None:
        # A snippet that switched gradient recording off must not leak that into the next test.
        set_enabled = getattr(self.module, "set_grad_enabled", None)
        if set_enabled is not None:
            set_enabled(True)


def run(code: str, module: ModuleType, echo_last: bool = False) -> Outcome:
    """Execute `code` in a fresh namespace with `torch` (and `t`) bound to `module`."""
    return Session(module, echo_last=echo_last).run(code)


def run_cells(cells: list[str], module: ModuleType, echo_last: bool = False) -> list[Outcome]:
    """Execute cells one after the other in one shared namespace; an error ends only its own cell."""
    session = Session(module, echo_last=echo_last)
    return [session.run(cell) for cell in cells]


def assert_same_outcome(code: str, torch_module: ModuleType, minigrad_module: ModuleType, echo_last=False):
    """Run `code` on both libraries and fail with both dumps if the normalised outcomes differ."""
    expected = run(code, torch_module, echo_last).normalised(rename=True)
    actual = run(code, minigrad_module, echo_last).normalised(rename=False)
    assert actual == expected, _difference(code, expected, actual)


def _difference(code: str, expected: Outcome, actual: Outcome) -> str:
    return (
        f"\n=== code ===\n{code}\n"
        f"=== PyTorch (normalised) ===\n{expected.report()}\n"
        f"=== minigrad ===\n{actual.report()}"
    )


def load_snippets(name: str) -> ModuleType:
    """Import a data module from the snippets/ folder (it is not a package)."""
    spec = importlib.util.spec_from_file_location(f"parity_snippets_{name}", SNIPPETS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
