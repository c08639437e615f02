"""Containers: modules that hold other modules.

``Sequential`` chains its layers: the output of one is the input of the next. ``ModuleList`` is a plain list of
modules whose ``forward`` you write yourself; unlike a Python list, it registers them, so their parameters are found.
"""
import operator
from collections import OrderedDict
from itertools import islice

from minigrad.nn.module import Module, _addindent


class _ModuleSequence(Module):
    """What Sequential and ModuleList share: children named "0", "1", ... that you can count, iterate and append to."""

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self


class Sequential(_ModuleSequence):
    """``Sequential(layer0, layer1, ...)``: ``forward(x)`` is ``layer1(layer0(x))``..., children named "0", "1"..."""

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(args):
                self.add_module(str(index), module)

    def _item_by_index(self, items, index):
        size = len(self)
        index = operator.index(index)
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of range")
        return next(islice(items, index % size, None))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        return self._item_by_index(iter(self._modules.values()), index)

    def __setitem__(self, index, module):
        setattr(self, self._item_by_index(iter(self._modules.keys()), index), module)

    def __delitem__(self, index):
        if isinstance(index, slice):
            for name in list(self._modules.keys())[index]:
                delattr(self, name)
        else:
            delattr(self, self._item_by_index(iter(self._modules.keys()), index))
        # renumber, so the names stay "0", "1", ...
        self._modules = OrderedDict((str(i), m) for i, m in enumerate(self._modules.values()))

    def forward(self, input):
        for module in self:
            input = module(input)
        return input


class ModuleList(_ModuleSequence):
    """A list of modules, registered as children ("0", "1", ...); iterate over it in your own ``forward``."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _name_of(self, index):
        index = operator.index(index)
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range")
        return str(index % len(self))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(list(self._modules.values())[index])
        return self._modules[self._name_of(index)]

    def __setitem__(self, index, module):
        setattr(self, self._name_of(index), module)

    def __repr__(self):
        """Like every module's, except that a run of identical layers prints once: ``(0-3): 4 x Linear(...)``."""
        reprs = [repr(module) for module in self]
        if not reprs:
            return type(self).__name__ + "()"
        runs = []  # [first index, last index, repr]
        for index, text in enumerate(reprs):
            if runs and runs[-1][2] == text:
                runs[-1][1] = index
            else:
                runs.append([index, index, text])
        lines = [_addindent(f"({first}): {text}" if first == last else f"({first}-{last}): {last - first + 1} x {text}",
                            2) for first, last, text in runs]
        return type(self).__name__ + "(\n  " + "\n  ".join(lines) + "\n)"
