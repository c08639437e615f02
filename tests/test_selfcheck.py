"""The exercises' self-check (notebooks/source/selfcheck.py): what it says to the answers learners type.

It is tested as the lessons use it: the copies next to the English and the Chinese notebooks.
"""

import importlib.util
from pathlib import Path

import pytest

import minigrad as torch

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def load(language):
    spec = importlib.util.spec_from_file_location(f"selfcheck_{language}", NOTEBOOKS / language / "selfcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EN, ZH = load("en"), load("zh")


def says(answer, expected, exercise=None, module=EN):
    return module.verdict(answer, expected, exercise)


@pytest.mark.parametrize("answer, expected", [
    (4.5, torch.full((2, 2), 4.5)),      # a number for a tensor full of it
    (0.333, 1 / 3),                       # typed by hand: 1e-3 relative
    ([2, 4, 6], torch.tensor([2., 4., 6.])),
    ((2, 3), torch.ones(2, 3).shape),
    ([2, 3], torch.ones(2, 3).shape),
    (torch.float64, torch.float64),
    (True, torch.tensor(True)),
    (" SumBackward0 ", "SumBackward0"),
    (1000, 1000.4),
])
def test_right_answers_pass(answer, expected):
    assert says(answer, expected) == EN.MESSAGES["en"]["right"]
    assert says(answer, expected, module=ZH) == ZH.MESSAGES["zh"]["right"]


@pytest.mark.parametrize("answer, expected", [(0.33, 1 / 3), (0.3, 1 / 3), (-0.33, -1 / 3), (4.49, 4.4999),
                                              ([0.3, 0.67], [1 / 3, 2 / 3])])
def test_nearly_right_asks_for_more_digits(answer, expected):
    assert says(answer, expected).startswith("≈ Close")
    assert says(answer, expected, module=ZH).startswith("≈ 很接近了")


@pytest.mark.parametrize("answer, expected", [(0.34, 1 / 3), (4.4, 4.5), (4, 4.5), (13, 13.5), (0.0, 2.0),
                                              (9.0, torch.full((2, 2), 4.5))])
def test_wrong_numbers_are_not_close(answer, expected):
    assert says(answer, expected).startswith("✗ Not yet: you gave")
    assert says(answer, expected, module=ZH).startswith("✗ 还不对")


def test_an_open_answer_asks_for_one():
    assert says(..., 4.5) == "… Replace the `...` with your answer, then run the cell again."
    assert says(..., 4.5, module=ZH).startswith("… 先把 `...` 换成你的答案")


@pytest.mark.parametrize("answer, expected, message", [
    ("float64", torch.float64, "✗ You gave the string 'float64'. Write it without quotes: answer = torch.float64"),
    ("torch.float64", torch.float64, "✗ You gave the string 'torch.float64'. Write it without quotes: "
                                     "answer = torch.float64"),
    ("True", True, "✗ You gave the string 'True'. Write it without quotes: answer = True"),
    ("4.5", 4.5, "✗ You gave the string '4.5'. Write it without quotes: answer = 4.5"),
    (float, torch.float64, "✗ The answer is a dtype, such as torch.float32 (no quotes), not a type."),
    (1, True, "✗ The answer is True or False (no quotes), not a number."),
    (3, "SumBackward0", "✗ The answer is a string, in quotes such as \"...\", not a number."),
    (6, (2, 3), "✗ The answer is a shape: a tuple of whole numbers such as (2, 3), not a number."),
    (None, 4.5, "✗ The answer is a number (or a list of numbers), not None."),
    ([2, 4], [2., 4., 6.], "✗ Not yet: your answer has shape (2,), the expected one has shape (3,)."),
    ("sumbackward0", "SumBackward0", "≈ Close: check the capital letters; names are case-sensitive."),
    (torch.float32, torch.float64, "✗ Not yet: you gave torch.float32. Read the hint above and try again."),
])
def test_the_wrong_kind_of_answer_is_told_what_kind_is_expected(answer, expected, message):
    assert says(answer, expected) == message


@pytest.mark.parametrize("answer, bare", [
    ("x, w", '{"x", "w"}'), ("{x, w}", '{"x", "w"}'), ("'x' 'w'", '{"x", "w"}'), ("x", '{"x"}'), ("", '{"a", "b"}')])
def test_a_string_for_a_set_of_names_is_told_how_to_write_a_set(answer, bare):
    """Not "write it without quotes": answer = x, w would be a tuple of variables (or a NameError)."""
    message = says(answer, {"x", "w"})
    assert message == (f"✗ You gave one string, {answer!r}. The answer is a set: each name in its own quotes, "
                       f"all in braces, such as answer = {bare}")
    assert "without quotes" not in message
    assert says(answer, {"x", "w"}, module=ZH).endswith(f"比如 answer = {bare}")
    assert says(["x", "w"], {"x", "w"}) == EN.MESSAGES["en"]["right"]  # a list of the names is right too
    assert says({"x"}, {"x", "w"}).startswith("✗ Not yet: you gave")


def test_messages_exist_in_both_languages():
    assert EN.LANGUAGE == "en" and ZH.LANGUAGE == "zh"
    assert EN.MESSAGES["en"].keys() == ZH.MESSAGES["zh"].keys()
    assert says(float, torch.float64, module=ZH) == "✗ 答案应该是一个 dtype，比如 torch.float32（不加引号），而不是 type。"


def test_anticipated_mistakes_get_their_message(tmp_path, monkeypatch):
    feedback = tmp_path / "exercises.json"
    feedback.write_text('{"acc": {"mistakes": [[4.5, "4.5 is one pass."], ["torch.float32", "the default."],'
                        ' [null, "None means no gradient."]]}}', encoding="utf-8")
    monkeypatch.setattr(EN, "EXERCISES", feedback)
    assert says(4.5, 13.5, "acc") == "✗ Not yet: 4.5 is one pass."
    assert says(4.5001, 13.5, "acc") == "✗ Not yet: 4.5 is one pass."   # with the tolerance of right answers
    assert says(torch.float32, torch.float64, "acc") == "✗ Not yet: the default."
    assert says(None, 13.5, "acc") == "✗ Not yet: None means no gradient."
    assert says(13.5, 13.5, "acc") == "✓ Correct."
    assert says(4.5, 13.5, "other exercise").startswith("✗ Not yet: you gave 4.5")
    assert says(4.5, 13.5).startswith("✗ Not yet: you gave 4.5")


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        return ...


class BareCube(Cube):
    @staticmethod
    def backward(ctx, grad_output): ...


class BareLinesCube(Cube):
    @staticmethod
    def backward(ctx, grad_output):
        """Return the gradient of x ** 3."""
        x, = ctx.saved_tensors
        ...


class FinishedCube(Cube):
    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x ** 2


def test_code_to_fill_in_is_checked_by_running_it():
    x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    assert says(lambda: torch.autograd.gradcheck(Cube.apply, (x,)), True) == \
        "… Replace the `...` in your code, then run the cell again."
    assert says(lambda: torch.autograd.gradcheck(FinishedCube.apply, (x,)), True) == "✓ Correct."
    # A bare `...` as a statement compiles to nothing (no Ellipsis in the code object): the source tells.
    assert Ellipsis not in BareCube.backward.__code__.co_consts
    for unfinished in (BareCube, BareLinesCube):
        assert says(lambda: torch.autograd.gradcheck(unfinished.apply, (x,)), True) == \
            "… Replace the `...` in your code, then run the cell again."

    def double(t): ...
    assert says(lambda: double(3), 6) == "… Replace the `...` in your code, then run the cell again."

    def indexes_with_ellipsis(t):
        return t[..., 0]  # `...` as an index is code, not a gap to fill
    assert says(lambda: indexes_with_ellipsis(torch.ones(2, 3)).sum(), 2.0) == "✓ Correct."

    def broken():
        return torch.ones(2) @ torch.ones(3)
    assert says(broken, 2.0).startswith("✗ Your code raised RuntimeError: ")


def test_a_prediction_is_shown_the_real_value_first(tmp_path, monkeypatch, capsys):
    feedback = tmp_path / "exercises.json"
    feedback.write_text('{"guess": {"mistakes": [], "predict": true}, "sum": {"mistakes": []}}', encoding="utf-8")
    monkeypatch.setattr(EN, "EXERCISES", feedback)
    EN.check(..., torch.tensor([6.]), "guess")     # no prediction yet: nothing given away
    assert capsys.readouterr().out == "… Replace the `...` with your answer, then run the cell again.\n"
    EN.check(3.0, torch.tensor([6.]), "guess")
    assert capsys.readouterr().out.splitlines() == ["It is: tensor([6.])",
                                                    "✗ Not yet: you gave 3.0. Read the hint above and try again."]
    EN.check(6.0, torch.tensor([6.]), "sum")       # not a prediction: just the verdict
    assert capsys.readouterr().out == "✓ Correct.\n"
