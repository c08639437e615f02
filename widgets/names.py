"""Names for tensors, found where the learner wrote them: the notebook's variables.

``x = minigrad.ones(2, 2, requires_grad=True)`` binds the tensor to ``x``, so the picture labels it ``x``. The
graph itself does not know that name (a tensor has no name), so we look it up: in the notebook's namespace
(IPython's ``user_ns``) when there is one, otherwise in the variables of the code that made the view. Model
parameters get dotted names (``model.fc.weight``). Names given explicitly (``names=``) win over all of these.

A view remembers the names it has shown (``NameMemory``): once its picture calls a tensor ``x``, a later cell
that binds ``x`` to a new tensor does not rename it, and a view of another graph cannot take the name away.
"""
import sys
import unicodedata
import weakref

from minigrad.tensor import Tensor

# IPython keeps its own bookkeeping in the user namespace; those are never the learner's names.
_IGNORED = {"In", "Out", "get_ipython", "exit", "quit", "open"}


class Namespace:
    """Where names are looked up: live dicts (a notebook's globals) and a fixed copy of some local variables.

    Dicts are kept by reference, so a name bound in a later cell is found at the next refresh. Local variables
    (a view made inside a function) are copied once, holding tensors weakly so the view keeps nothing alive.
    """

    def __init__(self, live=(), fixed=None):
        self.live = list(live)
        self.fixed = {name: weakref.ref(value) for name, value in (fixed or {}).items() if _is_tensor_like(value)}

    def items(self):
        """``(name, value)`` pairs, the fixed (local) ones first: they shadow globals as Python's lookup does."""
        for name, ref in self.fixed.items():
            value = ref()
            if value is not None:
                yield name, value
        for mapping in self.live:
            for name, value in list(mapping.items()):  # a copy: a timer thread may read while a cell assigns
                if isinstance(name, str) and not name.startswith("_") and name not in _IGNORED:
                    yield name, value


def caller_namespace(depth=1):
    """The namespace of the code ``depth`` frames above the caller of this function.

    In a notebook cell that is IPython's ``user_ns`` (kept live). Inside a function it is the function's local
    variables (copied) plus its module's globals (live).
    """
    frame = sys._getframe(depth + 1)
    shell = _ipython_shell()
    user_ns = getattr(shell, "user_ns", None)
    try:
        if frame.f_globals is user_ns and frame.f_locals is user_ns:
            return Namespace(live=[user_ns])
        if frame.f_locals is frame.f_globals:
            return Namespace(live=[frame.f_globals])
        local_variables = frame.f_locals
        namespace = Namespace(live=[frame.f_globals], fixed=dict(local_variables))
        if sys.version_info < (3, 13):
            # before Python 3.13, reading f_locals leaves a copy of every local on the frame until the function
            # returns: a tensor the function then deletes would stay alive (so would the graph behind it).
            # Emptying that copy changes no variable (a tracer refills it before it looks).
            local_variables.clear()
        return namespace
    finally:
        del frame  # frames hold every local alive; drop ours at once


def _ipython_shell():
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    try:
        return ipython.get_ipython()
    except Exception:  # an IPython without a running shell
        return None


def _is_tensor_like(value):
    return isinstance(value, Tensor) or _is_module(value)


def _is_module(value):
    nn = sys.modules.get("minigrad.nn")
    module_class = getattr(nn, "Module", None)
    return module_class is not None and isinstance(value, module_class)


def visible(text):
    """``text`` with what no picture can show spelt as Python spells it in a string literal: control characters
    (a tab is ``\\t``, a newline ``\\n``, others ``\\x01``), lone surrogates (``\\ud800``) and the two
    non-characters XML forbids (``\\ufffe``, ``\\uffff``). Everything else is kept as written (梯度 is 梯度)."""
    if text.isprintable():
        return text
    return "".join(repr(c)[1:-1] if _unshowable(c) else c for c in text)


def _unshowable(character):
    return unicodedata.category(character) in ("Cc", "Cs") or character in "\ufffe\uffff"


class NameMemory:
    """The names one view has shown, so they stick: first name found, kept for as long as the view lives.

    It holds the named tensors (the picture shows them): an intermediate ``y`` stays drawn, and named, after a
    later cell rebinds ``y`` and nothing else refers to the old tensor. Each view has its own memory, so two views
    of different graphs never take names from each other.
    """

    def __init__(self):
        self._named = {}  # id(tensor) -> (tensor, name); the tensor keeps the id valid
        self.constants = weakref.WeakKeyDictionary()  # grad_fn node -> names of its inputs that need no grad

    def remember(self, tensor, name):
        if id(tensor) not in self._named:
            self._named[id(tensor)] = (tensor, name)

    def items(self):
        """``(name, tensor)`` pairs, in the order they were first found."""
        return [(name, tensor) for tensor, name in self._named.values()]

    def __len__(self):
        return len(self._named)


class Names:
    """The name of each tensor: explicit names first, then remembered ones, then the namespace, then nothing
    (the caller falls back to ``leaf0``, ``output``)."""

    def __init__(self, namespace=None, explicit=None, memory=None):
        self.by_id = {}  # id(tensor) -> name
        self.all_names = {}  # id(tensor) -> every name it is bound to (shown in the details panel)
        self.tensors = {}  # id(tensor) -> tensor, so the ids stay valid while this object lives
        self.memory = memory
        for name, tensor in (explicit or {}).items():
            self._add(name, tensor, explicit=True)
        for name, tensor in (memory.items() if memory is not None else ()):
            self._add(name, tensor)
        if namespace is not None:
            for name, value in namespace.items():
                if isinstance(value, Tensor):
                    self._add(name, value)
                elif _is_module(value):
                    for parameter_name, parameter in value.named_parameters():
                        self._add(f"{name}.{parameter_name}", parameter)

    def _add(self, name, tensor, explicit=False):
        name = visible(name)  # (a name reaches the picture, the details panel and the comm's JSON)
        key = id(tensor)
        self.tensors[key] = tensor
        names = self.all_names.setdefault(key, [])
        if name not in names:
            names.append(name)
        if explicit or key not in self.by_id:
            self.by_id[key] = name

    def name_of(self, tensor):
        return self.by_id.get(id(tensor))

    def names_of(self, tensor):
        return self.all_names.get(id(tensor), [])

    def named_tensors(self):
        """Every named tensor, each once, in the order found."""
        return [self.tensors[key] for key in self.by_id]


def display_name(node):
    """The name to print on a node: ``grad_fn.name()`` without a C++ namespace (``torch::autograd::``)."""
    return node.name().split("::")[-1]


def output_name(names, tensors, position):
    """What to call output ``position`` of ``tensors`` given to a view: its name in the notebook, else ``output``
    (one output) or ``output0``, ``output1``..."""
    return names.name_of(tensors[position]) or ("output" if len(tensors) == 1 else f"output{position}")


def outputs_label(names, tensors):
    """``loss`` or ``a, b``: the outputs of a view by name, for its title."""
    return ", ".join(output_name(names, tensors, i) for i in range(len(tensors)))


def explicit_names(names, tensors):
    """``names=`` as ``{name: tensor}``.

    Accepted forms: ``{"w": w, "b": b}`` (as ``dict(model.named_parameters())`` gives it), ``{w: "w"}``, or a list
    of strings naming the tensors given to the view, in order.
    """
    if names is None:
        return {}
    if isinstance(names, dict):
        result = {}
        for key, value in names.items():
            if isinstance(key, str) and isinstance(value, Tensor):
                result[key] = value
            elif isinstance(key, Tensor) and isinstance(value, str):
                result[value] = key
            else:
                raise TypeError("names= must map names (str) to tensors, or tensors to names (str)")
        return result
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if len(names) != len(tensors) or not all(isinstance(n, str) for n in names):
        raise TypeError(f"names= as a list needs one str per tensor given ({len(tensors)}), got {names!r}")
    return dict(zip(names, tensors))
