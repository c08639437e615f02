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


def _as_array(value):
    """Numbers, lists and tensors (minigrad's or anything numpy can read) as float arrays."""
    if hasattr(value, "detach"):
        value = value.detach()
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value, dtype=float)


def _numeric(value):
    return not isinstance(value, (str, bytes)) and (
        isinstance(value, (int, float, list, tuple, np.ndarray, np.number)) or hasattr(value, "numpy"))


def check(answer, expected):
    """Print whether `answer` matches `expected` (✓ or a nudge)."""
    say = MESSAGES[LANGUAGE]
    if answer is Ellipsis:
        print(say["empty"])
        return
    if isinstance(expected, bool) or not (_numeric(answer) and _numeric(expected)):
        right = type(answer) is type(expected) and answer == expected
    else:
        try:
            got, want = _as_array(answer), _as_array(expected)
        except (TypeError, ValueError):
            right = False
        else:
            if got.shape != want.shape and got.size != 1:
                print(say["shape"].format(got=tuple(got.shape), want=tuple(want.shape)))
                return
            right = bool(np.allclose(got, want, rtol=1e-6, atol=1e-9))
    print(say["right"] if right else say["wrong"].format(got=answer))
