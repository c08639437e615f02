"""The exercises' self-check: `check(answer, expected, exercise)`.

In a lesson an exercise cell looks like this (the learner replaces the `...`):

    answer = ...

    x = torch.ones(2, 2, requires_grad=True)
    ...
    check(answer, x.grad, "grad-accumulates")

`check` prints one line, in the language of the folder this file sits in
(notebooks/zh/ speaks Chinese, anything else English):

* `answer` is still `...`: how to start ("replace the `...`").
* right: "✓ ...". Numbers, lists of numbers and tensors agree up to 1e-3
  relative, which suits answers typed by hand (0.333 for 1/3); a single number
  stands for a tensor full of it; strings ignore case and surrounding blanks.
* one of the exercise's anticipated mistakes: what that mistake means. Lesson
  sources list them next to the exercise (notebooks/source/lesson.py,
  `exercise(..., mistakes=[mistake(4.5, en=..., zh=...)])`); build.py writes
  them to exercises.json beside this file, one file per language.
* nearly right: "close: give more digits" (0.33 for 1/3).
* the wrong kind of answer: what kind is expected, e.g. the string "float64"
  where a dtype is expected gets "write torch.float64, without quotes"; the
  string "x, w" where a set of names is expected gets {"x", "w"} (each name
  quoted, in braces); a set of names may also be written as a list.
* otherwise: a plain "not yet".

For a predict-then-run exercise (`exercise(..., predict=True)`), `check` first
shows the real value, once the learner has written a prediction: the value
stays hidden in the executed notebook, where the answer is still `...`.

`answer` may also be a function of no arguments that computes the answer, for
exercises where the learner writes code (a `backward` method, say): `check`
calls it, says "replace the `...`" while a function it uses still contains a
`...` (also a bare `...` as a body, `def backward(ctx, g): ...`), and reports an error the code raises as feedback instead of a traceback.
"""

import ast
from decimal import Decimal
import inspect
import json
from pathlib import Path
import re
import textwrap
import types

import numpy as np

HERE = Path(__file__).resolve().parent
LANGUAGE = "zh" if HERE.name == "zh" else "en"
EXERCISES = HERE / "exercises.json"  # {exercise: {"mistakes": [[value, message], ...]}}

RELATIVE_TOLERANCE = 1e-3
ABSOLUTE_TOLERANCE = 1e-8

MESSAGES = {
    "en": {
        "right": "✓ Correct.",
        "actual": "It is: {value}",
        "empty": "… Replace the `...` with your answer, then run the cell again.",
        "empty_code": "… Replace the `...` in your code, then run the cell again.",
        "mistake": "✗ Not yet: {message}",
        "close": "≈ Close: you gave {got}, which is right to the digits you typed. Give more digits.",
        "shape": "✗ Not yet: your answer has shape {got}, the expected one has shape {want}.",
        "wrong": "✗ Not yet: you gave {got}. Read the hint above and try again.",
        "raised": "✗ Your code raised {error}: {message}",
        "quoted": "✗ You gave the string {got!r}. Write it without quotes: answer = {bare}",
        "quoted_set": "✗ You gave one string, {got!r}. The answer is a set: each name in its own quotes, all "
                      "in braces, such as answer = {bare}",
        "want_dtype": "✗ The answer is a dtype, such as torch.float32 (no quotes), not {kind}.",
        "want_bool": "✗ The answer is True or False (no quotes), not {kind}.",
        "want_number": "✗ The answer is a number (or a list of numbers), not {kind}.",
        "want_shape": "✗ The answer is a shape: a tuple of whole numbers such as (2, 3), not {kind}.",
        "want_string": "✗ The answer is a string, in quotes such as \"...\", not {kind}.",
        "want_set": "✗ The answer is a set, in braces such as {{\"a\", \"b\"}}, not {kind}.",
        "case": "≈ Close: check the capital letters; names are case-sensitive.",
    },
    "zh": {
        "right": "✓ 答对了！",
        "actual": "实际结果：{value}",
        "empty": "… 先把 `...` 换成你的答案，再运行这个单元格。",
        "empty_code": "… 先把代码里的 `...` 换成你写的代码，再运行这个单元格。",
        "mistake": "✗ 还不对：{message}",
        "close": "≈ 很接近了：你的答案 {got} 在你写出的位数上是对的，请多写几位小数。",
        "shape": "✗ 还不对：你的答案形状是 {got}，应该是 {want}。",
        "wrong": "✗ 还不对：你的答案是 {got}。看看上面的提示，再试一次。",
        "raised": "✗ 你的代码抛出了 {error}：{message}",
        "quoted": "✗ 你给的是字符串 {got!r}。去掉引号再写一次：answer = {bare}",
        "quoted_set": "✗ 你给的是一个字符串 {got!r}。答案应该是一个集合：每个名字各自加引号，整体写在花括号里，"
                      "比如 answer = {bare}",
        "want_dtype": "✗ 答案应该是一个 dtype，比如 torch.float32（不加引号），而不是{kind}。",
        "want_bool": "✗ 答案应该是 True 或 False（不加引号），而不是{kind}。",
        "want_number": "✗ 答案应该是一个数（或由数组成的列表），而不是{kind}。",
        "want_shape": "✗ 答案应该是一个形状：由整数组成的元组，比如 (2, 3)，而不是{kind}。",
        "want_string": "✗ 答案应该是一个字符串，要加引号，比如 \"...\"，而不是{kind}。",
        "want_set": "✗ 答案应该是一个集合，写在花括号里，比如 {{\"a\", \"b\"}}，而不是{kind}。",
        "case": "≈ 很接近了：注意大小写，名字是区分大小写的。",
    },
}

# How an answer of the wrong kind is described: "not {kind}".
KINDS = {
    "en": {"str": "a string", "bool": "True/False", "number": "a number", "list": "a list", "tuple": "a tuple",
           "tensor": "a tensor", "dtype": "a dtype", "none": "None", "other": "a {name}"},
    "zh": {"str": "字符串", "bool": "True/False", "number": "数", "list": "列表", "tuple": "元组",
           "tensor": "张量", "dtype": "dtype", "none": "None", "other": " {name}"},
}


def check(answer, expected, exercise=None):
    """Print what the learner's `answer` deserves against `expected` (see the module's docstring).
    For a predict-then-run exercise, once there is a prediction, show the real value first."""
    if answer is not Ellipsis and not _is_thunk(answer) and _entry(exercise).get("predict"):
        print(MESSAGES[LANGUAGE]["actual"].format(value=_show(expected)))
    print(verdict(answer, expected, exercise))


def verdict(answer, expected, exercise=None):
    """The line `check` prints."""
    say = MESSAGES[LANGUAGE]
    if answer is Ellipsis:
        return say["empty"]
    if _is_thunk(answer):
        if _has_ellipsis(answer):
            return say["empty_code"]
        try:
            answer = answer()
        except Exception as error:  # the learner's code failed: show why, as feedback
            return say["raised"].format(error=type(error).__name__, message=error)
        if answer is Ellipsis:
            return say["empty_code"]
    if _agree(answer, expected) is True:
        return say["right"]
    for value, message in mistakes(exercise):
        if _matches_mistake(answer, value):
            return say["mistake"].format(message=message)
    kind_message = _kind_message(answer, expected, LANGUAGE)
    if kind_message:
        return kind_message
    agreement = _agree(answer, expected)
    if agreement == "close":
        return say["close"].format(got=answer)
    if agreement == "case":
        return say["case"]
    if isinstance(agreement, tuple):
        return say["shape"].format(got=agreement[0], want=agreement[1])
    return say["wrong"].format(got=_show(answer))


def mistakes(exercise):
    """The anticipated wrong answers of `exercise` as (value, message) pairs, read from exercises.json."""
    return [tuple(pair) for pair in _entry(exercise).get("mistakes", [])]


def _entry(exercise):
    """What exercises.json says about `exercise`: {"mistakes": [...], "predict": bool}, or {}."""
    if exercise is None or not EXERCISES.exists():
        return {}
    return json.loads(EXERCISES.read_text(encoding="utf-8")).get(exercise, {})


# --- what kind of value is it ----------------------------------------------------------------------------------

def _is_tensor(value):
    return hasattr(value, "detach") and hasattr(value, "numpy") and hasattr(value, "requires_grad")


def _is_dtype(value):
    return type(value).__name__ == "dtype" and hasattr(value, "is_floating_point")


def _is_shape(value):
    return type(value).__name__ == "Size" or (
        isinstance(value, tuple) and all(isinstance(item, int) and not isinstance(item, bool) for item in value))


def _is_thunk(value):
    return isinstance(value, (types.FunctionType, types.MethodType)) and value.__code__.co_argcount == 0


def _as_array(value):
    return np.asarray(value.detach().numpy() if _is_tensor(value) else value)


def _is_number_like(value):
    """Numbers, lists of numbers and non-bool tensors; True/False are answers of their own."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, list, tuple, np.number, np.ndarray)) or _is_tensor(value):
        try:
            return _as_array(value).dtype.kind in "iuf"
        except (ValueError, TypeError):  # a ragged list
            return False
    return False


def _kind(value, language):
    kinds = KINDS[language]
    if value is None:
        return kinds["none"]
    if isinstance(value, (bool, np.bool_)):
        return kinds["bool"]
    if isinstance(value, (int, float, np.number)):
        return kinds["number"]
    for name, test in (("str", lambda v: isinstance(v, str)), ("tensor", _is_tensor), ("dtype", _is_dtype),
                       ("list", lambda v: isinstance(v, list)), ("tuple", lambda v: isinstance(v, tuple))):
        if test(value):
            return kinds[name]
    return kinds["other"].format(name=type(value).__name__)


# --- comparing ---------------------------------------------------------------------------------------------------

def _decimals(number):
    """How many digits after the point the learner wrote: 0.33 -> 2, 4.0 -> 1, 12 -> 0."""
    if isinstance(number, (int, np.integer)):
        return 0
    text = repr(float(number)) if isinstance(number, float) else np.format_float_positional(number, unique=True)
    exponent = Decimal(text).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _numbers_agree(answer, expected):
    """True, "close", False or (shape, shape) for two number-like values."""
    got, want = _as_array(answer).astype(float), _as_array(expected).astype(float)
    if got.shape != want.shape and got.size != 1:  # a single number may stand for a tensor full of it
        return (tuple(got.shape), tuple(want.shape))
    got = np.broadcast_to(got, want.shape)
    if np.allclose(got, want, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE):
        return True
    typed = _typed_numbers(answer)
    if typed is None:
        return False
    typed = typed * want.size if len(typed) == 1 else typed
    return "close" if all(_is_close(item, w) for item, w in zip(typed, want.ravel())) else False


def _typed_numbers(answer):
    """The numbers as the learner typed them (a number or a list of them), or None for a tensor."""
    if isinstance(answer, (int, float, np.number)):
        return [answer]
    if isinstance(answer, (list, tuple)):
        items = list(np.ravel(np.array(answer, dtype=object)))
        return items if all(isinstance(item, (int, float, np.number)) for item in items) else None
    return None


def _is_close(typed, want):
    """Whether `typed` is `want` rounded or cut off to the digits the learner typed, and those digits say
    something (at least one decimal, or within 1%): 0.33 for 1/3 and 4.49 for 4.4999, but not 4.4 for 4.5
    nor 4 for 4.5."""
    digits = _decimals(typed)
    exact = Decimal(float(want))
    step = Decimal(1).scaleb(-digits)
    candidates = {exact.quantize(step), exact.quantize(step, rounding="ROUND_DOWN")}
    said_something = digits > 0 or abs(float(typed) - want) <= 0.01 * abs(want)
    return Decimal(repr(float(typed))).quantize(step) in candidates and said_something


def _agree(answer, expected):
    """True, "close", "case", False, or (shape, shape) when shapes disagree."""
    if answer is Ellipsis:
        return False
    if isinstance(expected, (set, frozenset)) or isinstance(answer, (set, frozenset)):
        # A set of names: written as a list or tuple it holds the same answer.
        both = all(isinstance(value, (set, frozenset, list, tuple)) for value in (answer, expected))
        try:
            return both and set(answer) == set(expected)
        except TypeError:  # unhashable items
            return False
    if _is_dtype(expected) or _is_dtype(answer):
        return _is_dtype(answer) and _is_dtype(expected) and str(answer) == str(expected)
    if _is_number_like(answer) and _is_number_like(expected):
        return _numbers_agree(answer, expected)
    if _is_tensor(answer) or _is_tensor(expected):  # e.g. True against x.eq(y).all()
        try:
            got, want = _as_array(answer), _as_array(expected)
        except (TypeError, ValueError):
            return False
        return got.dtype == want.dtype and got.shape == want.shape and bool((got == want).all())
    if isinstance(answer, str) and isinstance(expected, str):
        if answer.strip() == expected.strip():
            return True
        return "case" if answer.strip().lower() == expected.strip().lower() else False
    if isinstance(answer, (bool, np.bool_)) and isinstance(expected, (bool, np.bool_)):
        return bool(answer) == bool(expected)
    return type(answer) is type(expected) and answer == expected


def _matches_mistake(answer, value):
    """Whether `answer` is the anticipated mistake `value` (from JSON: numbers, lists, bools, strings, None).
    A dtype mistake is written as its name, "torch.float32"."""
    if _is_dtype(answer) and isinstance(value, str):
        return str(answer).rsplit(".", 1)[-1] == value.rsplit(".", 1)[-1]
    if value is None:
        return answer is None
    return _agree(answer, value) is True


def _kind_message(answer, expected, language):
    """A message when `answer` is not the kind of value the exercise asks for, else None."""
    say = MESSAGES[language]
    kind = _kind(answer, language)
    if isinstance(answer, str) and isinstance(expected, (set, frozenset)):
        # "x, y" or "{x, y}": the names they meant, each quoted, in braces (their names, not the answer)
        names = [name for name in re.split(r"[\s,{}()\[\]'\"]+", answer) if name] or ["a", "b"]
        return say["quoted_set"].format(got=answer, bare="{" + ", ".join(f'"{name}"' for name in names) + "}")
    if isinstance(answer, str) and not isinstance(expected, str):
        bare = answer.strip().strip("'\"")
        if _is_dtype(expected) and not bare.startswith("torch."):
            bare = "torch." + bare
        return say["quoted"].format(got=answer, bare=bare)
    if _is_dtype(expected) and not _is_dtype(answer):
        return say["want_dtype"].format(kind=kind)
    if isinstance(expected, (bool, np.bool_)) and not isinstance(answer, (bool, np.bool_)):
        return say["want_bool"].format(kind=kind)
    if isinstance(expected, str) and not isinstance(answer, str):
        return say["want_string"].format(kind=kind)
    if isinstance(expected, (set, frozenset)) and not isinstance(answer, (set, frozenset, list, tuple)):
        return say["want_set"].format(kind=kind)
    if _is_shape(expected) and not (isinstance(answer, (list, tuple)) or _is_shape(answer)):
        return say["want_shape"].format(kind=kind)
    if _is_number_like(expected) and not _is_number_like(answer):
        return say["want_number"].format(kind=kind)
    return None


def _has_ellipsis(function, seen=None):
    """Whether `function`, or a function or class it names (as a global or from an enclosing function), still
    holds a `...` to fill in."""
    seen = set() if seen is None else seen
    if id(function) in seen:
        return False
    seen.add(id(function))
    if _holds_gap(function):
        return True
    code = function.__code__
    named = [function.__globals__.get(name) for name in code.co_names]
    named += [cell.cell_contents for cell in function.__closure__ or () if _filled(cell)]
    for value in named:
        if isinstance(value, type) and value.__module__ == function.__module__:
            methods = [getattr(member, "__func__", member) for member in vars(value).values()]
            if any(isinstance(m, types.FunctionType) and _has_ellipsis(m, seen) for m in methods):
                return True
        elif isinstance(value, types.FunctionType) and value.__module__ == function.__module__:
            if _has_ellipsis(value, seen):
                return True
    return False


def _filled(cell):
    try:
        cell.cell_contents
    except ValueError:  # a name of the enclosing function not assigned yet
        return False
    return True


def _holds_gap(function):
    """Whether `function`'s own code holds a `...` to fill in: `return ...`, `x = ...` or a bare `...` line
    (`def backward(ctx, g): ...`). Python drops a bare `...` when it compiles, so the code object alone cannot
    tell: the source is read where there is one (IPython keeps every cell's), and there `...` used as code, an
    index such as `t[..., 0]`, is no gap. A lambda, or a function without source, is judged by its code."""
    in_code = any(const is Ellipsis for const in function.__code__.co_consts)
    if function.__name__ == "<lambda>":  # its source is the whole line around it
        return in_code
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return in_code
    indexes = {id(node.slice) for node in ast.walk(tree) if isinstance(node, ast.Subscript)}
    indexes |= {id(part) for node in ast.walk(tree) if isinstance(node, ast.Subscript)
                and isinstance(node.slice, ast.Tuple) for part in node.slice.elts}
    return any(isinstance(node, ast.Constant) and node.value is Ellipsis and id(node) not in indexes
               for node in ast.walk(tree))


def _show(value):
    """A value as the learner would write it (a dtype as torch.float32, even on minigrad)."""
    if isinstance(value, str):
        return repr(value)
    if _is_dtype(value):
        return "torch." + str(value).rsplit(".", 1)[-1]
    return str(value)
