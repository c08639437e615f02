"""The top-level namespace: every public name on ``minigrad`` is one PyTorch has on ``torch``, so a learner who
tab-completes ``minigrad.`` finds nothing PyTorch lacks (the helpers Tensor's methods call stay in minigrad.ops).
The few minigrad-only names are listed here and in README's "How close to PyTorch"."""
import types

import pytest

pytest.importorskip("torch")

MINIGRAD_ONLY = {"get_printoptions"}  # torch keeps it private (torch._tensor_str.get_printoptions)


def _public(module):
    return {name for name in dir(module) if not name.startswith("_")}


def test_every_public_name_exists_in_torch(torch_module, minigrad_module):
    own_modules = {name for name in _public(minigrad_module)
                   if isinstance(getattr(minigrad_module, name), types.ModuleType)
                   and getattr(minigrad_module, name).__name__ == f"minigrad.{name}"}  # minigrad's own files
    extra = _public(minigrad_module) - own_modules - MINIGRAD_ONLY - _public(torch_module)
    assert not extra, f"on minigrad but not on torch: {sorted(extra)}"


def test_no_module_arrives_from_inside_the_ops_package(minigrad_module):
    leaked = [name for name in _public(minigrad_module)
              if isinstance(getattr(minigrad_module, name), types.ModuleType)
              and getattr(minigrad_module, name).__name__ != f"minigrad.{name}"]
    assert not leaked, leaked


def test_the_allow_list_is_current(torch_module, minigrad_module):
    for name in MINIGRAD_ONLY:
        assert hasattr(minigrad_module, name) and not hasattr(torch_module, name), name


def test_ops_public_functions_are_all_there(torch_module, minigrad_module):
    """__all__ names only PyTorch's functions, and each one is reachable from the top level."""
    for name in minigrad_module.ops.__all__:
        assert hasattr(torch_module, name) and callable(getattr(minigrad_module, name)), name
