"""How a tensor's elements are laid out in memory, as PyTorch names it: ``x.layout`` is ``minigrad.strided`` (a
dense array walked with strides; minigrad has no sparse tensors), and ``memory_format`` arguments such as
``x.clone(memory_format=minigrad.contiguous_format)`` take one of the formats below."""


class _NamedConstant:
    """A constant known by its name, printed and pickled as ``minigrad.<name>`` (the same object comes back)."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"minigrad.{self.name}"

    def __reduce__(self):  # the same singleton after pickling or deepcopy
        return self.name


class layout(_NamedConstant):
    """A tensor layout (only ``minigrad.strided`` exists in minigrad)."""

    __slots__ = ()


class memory_format(_NamedConstant):
    """An order of a tensor's elements in memory, for ``clone``, ``contiguous``, ``empty_like``..."""

    __slots__ = ()


layout.__module__ = memory_format.__module__ = "minigrad"  # printed as <class 'minigrad.layout'>, as PyTorch's

strided = layout("strided")
contiguous_format = memory_format("contiguous_format")  # row-major: the last dim changes fastest
preserve_format = memory_format("preserve_format")  # keep the input's order
channels_last = memory_format("channels_last")
