"""How a tensor turns into text: a readable re-implementation of PyTorch's repr.

The rules, in the order they are applied:

1. Summarise.  A tensor with more than ``threshold`` (1000) elements is
   summarised: along every dimension longer than ``2 * edgeitems`` only the
   first and last ``edgeitems`` (3) entries are shown, with ``...`` between.
2. Choose one element style for the whole tensor, looking only at the values
   that will be shown.  Integers and bools print as Python prints them.
   Floats look at their non-zero finite values:
   - if every one of them is a whole number ("int mode") they print as ``1.``;
   - if max|x| / min|x| > 1000, or max|x| > 1e8, or min|x| < 1e-4, they use
     scientific notation ``1.0000e-05`` ("sci mode");
   - otherwise fixed point with ``precision`` (4) decimals: ``0.1000``.
   ``nan``, ``inf``, ``-inf`` and zeros take no part in that choice.
3. Align.  Every element is right-aligned to the widest shown element, so
   columns line up (``tensor([ True, False])``).
4. Lay out.  Rows are wrapped to fit ``linewidth`` (80) characters; nested
   dimensions open a new line indented under the first ``[``, with one blank
   line between 3-D slices, two between 4-D blocks, and so on.
5. Add suffixes such as ``dtype=...`` or ``grad_fn=<AddBackward0>``.  A suffix
   that would make the last line too long starts a new line instead.

A float32 value is printed from its exact float32 value, widened to a Python
float, so ``float32(0.1)`` prints as ``0.1000``.
"""

import contextlib
import math

import numpy as np

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}

# The current print options; set_printoptions changes them for the whole process.
_options = dict(_PROFILES["default"], sci_mode=None)


def set_printoptions(precision=None, threshold=None, edgeitems=None,
                     linewidth=None, profile=None, sci_mode=None):
    """Change how tensors print.

    A ``profile`` ("default", "short" or "full") sets precision, threshold,
    edgeitems and linewidth at once; explicit arguments then override it.
    ``sci_mode`` is always replaced: True forces scientific notation, False
    forbids it, None (also when omitted) lets the values decide.
    """
    if profile in _PROFILES:
        _options.update(_PROFILES[profile])
    given = dict(precision=precision, threshold=threshold,
                 edgeitems=edgeitems, linewidth=linewidth)
    _options.update({name: value for name, value in given.items() if value is not None})
    _options["sci_mode"] = sci_mode


def get_printoptions():
    """The current options, as keyword arguments for set_printoptions."""
    return dict(_options)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Use other print options inside a ``with`` block, then restore them."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


def needs_dtype_suffix(np_dtype):
    """Whether a non-empty tensor of this dtype prints ``dtype=...``.

    The dtypes a bare literal would produce are left out: float32 (the default
    float), int64 and bool.  Everything else, float64 included, is shown.
    """
    return np.dtype(np_dtype) not in (np.float32, np.int64, np.bool_)


def _dtype_name(np_dtype):
    # The numpy names of the supported dtypes are the same as PyTorch's.
    return "minigrad." + np.dtype(np_dtype).name


def _shown_values(data, edgeitems):
    """The values that rule 1 keeps on screen, as a flat numpy array.

    Only these decide the element style and width.
    """
    if data.ndim == 0:
        return data.reshape(1)
    if edgeitems == 0:
        return data.reshape(-1)[:0]  # only "..." is shown
    if data.ndim == 1:
        if len(data) > 2 * edgeitems:
            return np.concatenate([data[:edgeitems], data[-edgeitems:]])
        return data
    rows = data
    if len(data) > 2 * edgeitems:
        rows = np.concatenate([data[:edgeitems], data[-edgeitems:]])
    return np.concatenate([_shown_values(row, edgeitems) for row in rows])


class _ElementFormatter:
    """Rules 2 and 3: one style and one width for every element of a tensor."""

    def __init__(self, shown, precision, sci_mode_option):
        self.precision = precision
        self.is_float = shown.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        values = shown.tolist()  # Python floats hold a float32 value exactly
        if not self.is_float:
            self.width = max([self.width] + [len(str(v)) for v in values])
            return
        # Zeros, nan and inf say nothing about the scale, so they are skipped.
        scale_values = [v for v in values if math.isfinite(v) and v != 0]
        if not scale_values:
            return
        self.int_mode = all(v == math.ceil(v) for v in scale_values)
        smallest = min(abs(v) for v in scale_values)
        largest = max(abs(v) for v in scale_values)
        if sci_mode_option is None:
            self.sci_mode = largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4
        else:
            self.sci_mode = sci_mode_option
        # In int mode the "." appended later needs one more column.
        dot = 1 if self.int_mode and not self.sci_mode else 0
        self.width = max([self.width] + [len(self._plain(v)) + dot for v in scale_values])

    def _plain(self, value):
        """The element without padding (and without the int-mode ".")."""
        if not self.is_float:
            return str(value)
        if self.sci_mode:
            return f"{value:.{self.precision}e}"
        if self.int_mode:
            return f"{value:.0f}"
        return f"{value:.{self.precision}f}"

    def format(self, value):
        text = self._plain(value)
        if self.is_float and self.int_mode and not self.sci_mode and math.isfinite(value):
            text += "."  # marks a whole-number float: 1. rather than 1
        return text.rjust(self.width)


def _vector_str(vector, indent, summarize, formatter, options):
    """A 1-D row, wrapped so that each line fits the linewidth."""
    edgeitems = options["edgeitems"]
    # Each element takes its width plus 2 for the ", " that follows it.
    per_line = max(1, (options["linewidth"] - indent) // (formatter.width + 2))
    if summarize and not edgeitems:
        items = ["..."]
    elif summarize and len(vector) > 2 * edgeitems:
        items = ([formatter.format(v) for v in vector[:edgeitems].tolist()] + [" ..."]
                 + [formatter.format(v) for v in vector[-edgeitems:].tolist()])
    else:
        items = [formatter.format(v) for v in vector.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str(data, indent, summarize, formatter, options):
    """Rule 4: brackets, nesting and indentation, dimension by dimension."""
    if data.ndim == 0:
        return formatter.format(data.item())
    if data.ndim == 1:
        return _vector_str(data, indent, summarize, formatter, options)
    edgeitems = options["edgeitems"]

    def inner(i):
        return _tensor_str(data[i], indent + 1, summarize, formatter, options)

    if summarize and len(data) > 2 * edgeitems:
        parts = ([inner(i) for i in range(edgeitems)] + ["..."]
                 + [inner(i) for i in range(len(data) - edgeitems, len(data))])
    else:
        parts = [inner(i) for i in range(len(data))]
    # A d-dimensional tensor separates its (d-1)-dimensional parts by d-1 line
    # breaks, i.e. d-2 blank lines, and indents them under the opening "[".
    separator = "," + "\n" * (data.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def _add_suffixes(text, suffixes, indent, linewidth):
    """Rule 5: append ", key=value" items and the closing parenthesis."""
    # PyTorch's measure of the last line is two more than its length (it
    # counts from the "\n", or from -1 when there is none, and adds one).
    # Keeping the same measure keeps the line breaks identical.
    last_line_len = len(text) - text.rfind("\n") + 1
    pieces = [text]
    for suffix in suffixes:
        # measured as PyTorch's spelling ("dtype=torch.float64"), so the lines break where PyTorch's do
        width = len(suffix) - suffix.count("minigrad.") * (len("minigrad.") - len("torch."))
        if last_line_len + width + 2 > linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            last_line_len = indent + width
        else:
            pieces.append(", " + suffix)
            last_line_len += width + 2
    pieces.append(")")
    return "".join(pieces)


def format_tensor(data, *, dtype_name, suffixes=(), prefix="tensor("):
    """The repr of a tensor holding ``data``, exactly as PyTorch prints it.

    ``dtype_name`` is the dtype's printed name (e.g. "minigrad.float64") when
    ``needs_dtype_suffix`` says it must be shown, else None.  ``suffixes`` are
    further "key=value" items, e.g. ["grad_fn=<AddBackward0>"] or
    ["requires_grad=True"].  Nested lines are indented by ``len(prefix)``.
    A parameter prints as "Parameter containing:\\n" + format_tensor(...).
    """
    data = np.asarray(data)
    options = dict(_options)
    indent = len(prefix)
    leading = []
    if data.size == 0:
        body = "[]"
        if data.ndim != 1:
            leading.append(f"size={tuple(data.shape)}")
        # With no element to show the kind of number, only float32 goes unnamed.
        if data.dtype != np.float32:
            leading.append("dtype=" + (dtype_name or _dtype_name(data.dtype)))
    else:
        if not options["edgeitems"]:
            leading.append(f"size={tuple(data.shape)}")
        if dtype_name is not None:
            leading.append("dtype=" + dtype_name)
        summarize = data.size > options["threshold"]
        shown = _shown_values(data, options["edgeitems"]) if summarize else data.reshape(-1)
        formatter = _ElementFormatter(shown, options["precision"], options["sci_mode"])
        body = _tensor_str(data, indent, summarize, formatter, options)
    return _add_suffixes(prefix + body, leading + list(suffixes), indent, options["linewidth"])
