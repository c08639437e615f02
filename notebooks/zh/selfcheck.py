"""Self-check for the exercises: `check(answer, expected)`.

Numbers and tensors count as equal up to rounding (relative 1e-6), so 4.5 and
tensor(4.5000) agree; anything else must be equal with ==. The messages follow
the folder this file sits in: notebooks/zh/ speaks Chinese, the rest English.
"""

from pathlib import Path

import numpy as np

LANGUAGE = "zh" if Path(__file__).resolve().parent.name == "zh" else "en"

MESSAGES = {
    "en": {
        "right": "✓ Correct.",
        "empty": "… Replace the `...` with your answer, then run the cell again.",
        "shape": "✗ Not yet: your answer has shape {got}, the expected one has shape {want}.",
        "wrong": "✗ Not yet: you gave {got}. Read the hint above and try again.",
    },
    "zh": {
        "right": "✓ 答对了！",
        "empty": "… 先把 `...` 换成你的答案，再运行这个单元格。",
        "shape": "✗ 还不对：你的答案形状是 {got}，应该是 {want}。",
        "wrong": "✗ 还不对：你的答案是 {got}。看看上面的提示，再试一次。",
    },
}


def _is_tensor(value):
    return hasattr(value, "detach") and hasattr(value, "numpy")


def _as_array(value):
    return np.asarray(value.detach().numpy() if _is_tensor(value) else value)


def _is_number_like(value):
    """Numbers, lists of numbers and non-bool tensors; True/False are answers of their own."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, list, tuple, np.number, np.ndarray)) or _is_tensor(value):
        return _as_array(value).dtype.kind in "iuf"
    return False


def _agree(answer, expected):
    """True, False, or a message about shapes."""
    if _is_number_like(answer) and _is_number_like(expected):
        got, want = _as_array(answer).astype(float), _as_array(expected).astype(float)
        if got.shape != want.shape and got.size != 1:  # a single number may stand for a tensor full of it
            return MESSAGES[LANGUAGE]["shape"].format(got=tuple(got.shape), want=tuple(want.shape))
        return bool(np.allclose(got, want, rtol=1e-6, atol=1e-9))
    if _is_tensor(answer) or _is_tensor(expected):  # e.g. True against x.eq(y).all()
        got, want = _as_array(answer), _as_array(expected)
        return got.dtype == want.dtype and got.shape == want.shape and bool((got == want).all())
    return type(answer) is type(expected) and answer == expected


def check(answer, expected):
    """Print whether `answer` matches `expected`: ✓, or a nudge to try again."""
    say = MESSAGES[LANGUAGE]
    if answer is Ellipsis:
        print(say["empty"])
        return
    verdict = _agree(answer, expected)
    if isinstance(verdict, str):
        print(verdict)
    else:
        print(say["right"] if verdict else say["wrong"].format(got=answer))
