"""Lesson 10: your own autograd Function (forward, backward, ctx), checked against finite differences with gradcheck."""

from lesson import code, exercise, exercises_intro, investigate, md, mistake, section, selfcheck

TITLE = {"en": "Your own Function, checked with gradcheck", "zh": "自己写 Function，用 gradcheck 检验"}

SEED_CELLS = []

CELLS = [
    section("goal"),
    md(
        en="""
        Every `grad_fn` you have printed so far (`AddBackward0`, `MulBackward0`, …) is a node that knows
        two things: how to compute its result going forward, and how to turn the gradient of that result
        into gradients of its inputs going backward. In this lesson you build such a node yourself:

        * write an operation of your own as a `torch.autograd.Function` with `forward`, `backward` and `ctx`;
        * test its `backward` against numerical differentiation with `gradcheck`, in `float64`.

        There is no code from the tutorials here: this is the machinery under all of it. The next lesson
        watches the engine run such nodes one at a time.
        """,
        zh="""
        到目前为止打印过的每个 `grad_fn`（`AddBackward0`、`MulBackward0` 等）都是一个节点，它知道两件事：
        前向时怎样算出结果；反向时怎样把结果的梯度转换成输入的梯度。本课就亲手做一个这样的节点：

        * 用 `torch.autograd.Function` 自己写一个运算，包括 `forward`、`backward` 和 `ctx`；
        * 用 `gradcheck` 在 `float64` 下把 `backward` 和有限差分对比检验。

        这一课没有来自教程的代码：这里讲的是它们背后的机制。下一课再看引擎怎样一个一个地运行这些节点。
        """,
    ),
    section("example", "a Function of your own", "自己写一个 Function"),
    md(
        en="""
        A `Function` has two static methods. `forward(ctx, x)` computes the result from plain inputs (nothing
        inside it is recorded). `backward(ctx, grad_output)` receives $\\partial L / \\partial\\,\\text{result}$
        and returns $\\partial L / \\partial x$. `ctx` carries whatever `backward` will need; here that is the
        result itself, because $\\frac{d}{dx} e^x = e^x$. `Exp.apply(x)` runs it and records the node.
        """,
        zh="""
        `Function` 有两个静态方法。`forward(ctx, x)` 用普通输入算出结果（其中的运算不会被记录）。
        `backward(ctx, grad_output)` 接收 $\\partial L / \\partial\\,\\text{结果}$，返回 $\\partial L / \\partial x$。
        `ctx` 用来携带 `backward` 要用到的东西；这里要带的就是结果本身，因为 $\\frac{d}{dx} e^x = e^x$。
        调用 `Exp.apply(x)` 会执行它，并记录下这个节点。
        """,
    ),
    code("""
import minigrad as torch


class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        result = x.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = Exp.apply(x)
print(y)
print(y.grad_fn)
"""),
    md(
        en="""
        The node is named after the class, `ExpBackward`, as in PyTorch (the built-in one is `ExpBackward0`).
        It is also the very `ctx` that `forward` received, so it holds the saved result; and like every node
        it links to the node of its input, the `AccumulateGrad` of `x`:
        """,
        zh="""
        节点以类名命名，叫 `ExpBackward`，和 PyTorch 一致（内置的那个叫 `ExpBackward0`）。
        它正是 `forward` 收到的那个 `ctx`，所以里面存着保存下来的结果；它也和其他节点一样，
        连向输入的节点，也就是 `x` 的 `AccumulateGrad`：
        """,
    ),
    code("""
print(y.grad_fn.saved_tensors)
print(y.grad_fn.next_functions)
"""),
    section("graph"),
    md(
        en="Your node sits in the graph like any built-in one, between the leaf `x` and the output `y`:",
        zh="你写的节点和内置节点一样待在图里，位于叶子张量 `x` 和输出 `y` 之间：",
    ),
    code("""
from widgets import GraphView
GraphView(y, names={"x": x, "y": y}, live=False)  # before the backward pass below
"""),
    md(
        en="""
        Backward through it: the gradient of `y.sum()` with respect to each $x_i$ is $e^{x_i}$, which is `y`.
        """,
        zh="""
        对它做反向传播：`y.sum()` 对每个 $x_i$ 的梯度是 $e^{x_i}$，也就是 `y` 本身。
        """,
    ),
    code("""
x.grad = None
y.sum().backward(retain_graph=True)  # keeps the graph, so the cell can run again
print(x.grad)
print(x.grad.eq(y).all())
"""),
    section("example", "checking backward with gradcheck", "用 gradcheck 检验 backward"),
    md(
        en="""
        A `backward` you write by hand can be wrong, and nothing would complain: you would just get wrong
        gradients. `torch.autograd.gradcheck(f, inputs)` does what lesson 00 did by hand: it nudges each
        input element by a small $\\varepsilon$ and measures the change, here on both sides,
        $\\frac{f(x + \\varepsilon) - f(x - \\varepsilon)}{2\\varepsilon}$ (finite differences), compares that
        with your backward, and returns `True` when they agree. Here is a second Function, `Square`, with
        $\\frac{d}{dx} x^2 = 2x$; both pass:
        """,
        zh="""
        手写的 `backward` 可能出错，而且不会有任何报错提醒：你只会悄悄得到错误的梯度。
        `torch.autograd.gradcheck(f, inputs)` 做的正是第 00 课手工做过的事：把每个输入元素挪动一个很小的
        $\\varepsilon$，量一量输出的变化，这里是两边各挪一次，即有限差分
        $\\frac{f(x + \\varepsilon) - f(x - \\varepsilon)}{2\\varepsilon}$，再和你的 backward 作比较，一致时返回 `True`。
        下面是第二个 Function `Square`，$\\frac{d}{dx} x^2 = 2x$；两个都能通过：
        """,
    ),
    code("""
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 2 * x


x64 = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Square.apply, (x64,)))
print(torch.autograd.gradcheck(Exp.apply, (x64,)))
"""),
    md(
        en="""
        Now a classic slip: forgetting the factor 2. The forward pass is the same, so every value still looks
        right, but `gradcheck` catches it (with `raise_exception=False` it returns `False` instead of raising):
        """,
        zh="""
        再来看一个常见的疏忽：漏掉了因子 2。前向计算完全一样，所有数值看起来都对，但 `gradcheck` 能抓住它
        （加上 `raise_exception=False`，它会返回 `False` 而不是抛出异常）：
        """,
    ),
    code("""
class BadSquare(Square):
    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * x


print(BadSquare.apply(x64))
print(torch.autograd.gradcheck(BadSquare.apply, (x64,), raise_exception=False))
"""),
    md(
        en="""
        Why `float64`? Finite differences subtract two nearly equal numbers. In `float32` (about 7 significant
        digits) that difference is mostly rounding noise, so even the correct `Exp` fails the check.
        `gradcheck` warns about it, too; the cell catches the warning and prints its message:
        """,
        zh="""
        为什么要用 `float64`？有限差分是两个非常接近的数相减。`float32` 只有大约 7 位有效数字，
        相减之后剩下的几乎全是舍入误差，所以即使是正确的 `Exp` 也通不过检验。`gradcheck` 也会为此发出警告；
        这个单元格捕获了警告，并打印出它的内容：
        """,
    ),
    code("""
import warnings

x32 = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
print(x32.dtype)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(torch.autograd.gradcheck(Exp.apply, (x32,), raise_exception=False))
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")
"""),
    md(
        en="""
        An operation with two inputs gets one `grad_output` and returns **two** gradients, one per input, in
        the order `forward` took them. For $a \\cdot b$ they are $b$ and $a$ (the product rule); `gradcheck`
        nudges every element of both inputs:
        """,
        zh="""
        有两个输入的运算收到一个 `grad_output`，要返回**两个**梯度，每个输入一个，顺序与 `forward` 的参数一致。
        对 $a \\cdot b$ 来说，它们是 $b$ 和 $a$（乘积法则）；`gradcheck` 会逐个扰动两个输入的每个元素：
        """,
    ),
    code("""
class Mul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        return grad_output * b, grad_output * a


b64 = torch.tensor([3.0, 0.5, -2.0], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Mul.apply, (x64, b64)))
print(Mul.apply(x64, b64).grad_fn.next_functions)
"""),
    section("why"),
    md(
        en="""
        * A `Function` describes an operation and its derivative. `apply` creates the node (an object of
          `ExpBackward`, a class made for your Function), hands it to `forward` as `ctx` and runs `forward`
          with recording off. The node is linked to the inputs' nodes (`next_functions`) and becomes the
          `grad_fn` of the result.
        * `backward` gets one gradient per output and returns one per input: the chain rule for this one
          operation. The engine does the rest (next lesson).
        * A wrong `backward` raises no error; it silently gives wrong gradients. Only a comparison with
          finite differences shows it.
        * `gradcheck` is how every built-in op of minigrad is tested too. Always run it in `float64`.
        """,
        zh="""
        * `Function` 描述一个运算及其导数。`apply` 会创建节点（一个 `ExpBackward` 对象，这个类是专门为你的
          Function 生成的），把它作为 `ctx` 交给 `forward`，并在关闭记录的情况下运行 `forward`。
          这个节点连向各输入的节点（`next_functions`），并成为结果的 `grad_fn`。
        * `backward` 每个输出收到一个梯度，每个输入返回一个梯度：这就是单个运算上的链式法则。其余的交给引擎（下一课）。
        * 写错的 `backward` 不会报错，只会悄悄给出错误的梯度。只有和有限差分比一比才看得出来。
        * minigrad 的每个内置运算也都是用 `gradcheck` 检验的。记得一定要在 `float64` 下运行它。
        """,
    ),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "cube-backward",
        task=md(
            en="""
            **1.** Complete `Cube` ($x^3$): replace the `...` in `backward` with the gradient to return.
            The check runs `gradcheck` on your `Cube` and passes when it agrees with finite differences.

            <details><summary>Hint</summary>`backward` gets $\\partial L / \\partial\\,\\text{result}$ and
            must return $\\partial L / \\partial x$: the chain rule for this one operation. Look at how
            `Square` does it.</details>
            """,
            zh="""
            **1.** 补全 `Cube`（$x^3$）：把 `backward` 里的 `...` 换成要返回的梯度。检查会对你的 `Cube`
            运行 `gradcheck`，它与有限差分一致时就通过。

            <details><summary>提示</summary>`backward` 收到 $\\partial L / \\partial\\,\\text{结果}$，要返回
            $\\partial L / \\partial x$：这就是单个运算上的链式法则。看看 `Square` 是怎么写的。</details>
            """,
        ),
        code="""
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return ...


check(lambda: torch.autograd.gradcheck(Cube.apply, (x64,), raise_exception=False), True, "cube-backward")
""",
        solution='''
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x ** 2
''',
        explain=md(
            en="""
            $\\frac{d}{dx} x^3 = 3x^2$, and the chain rule multiplies it by the gradient that arrives:
            `grad_output * 3 * x ** 2`. Leaving out `grad_output` gives the right numbers only when it is
            all ones; `gradcheck` tries one output element at a time and catches it.
            """,
            zh="""
            $\\frac{d}{dx} x^3 = 3x^2$，链式法则要把它乘上传进来的梯度：`grad_output * 3 * x ** 2`。
            漏掉 `grad_output` 的话，只有当它全为 1 时数值才碰巧正确；`gradcheck` 每次只试一个输出元素，
            能抓住这个错误。
            """,
        ),
        mistakes=[mistake(
            False,
            en="gradcheck disagrees with your backward. Check the derivative of x³, and that it is multiplied "
               "by grad_output.",
            zh="gradcheck 和你的 backward 不一致。检查 x³ 的导数对不对，以及有没有乘上 grad_output。",
        )],
    ),
    *exercise(
        "function-node-name",
        task=md(
            en="""
            **2. Predict, then run.** What is the name of the node that `Cube.apply`
            records? Answer with a string in quotes, then run the cell: the check shows the real name.

            <details><summary>Hint</summary>Look back at what `Exp.apply` recorded at the top of this
            lesson.</details>
            """,
            zh="""
            **2. 先预测，再运行。** `Cube.apply` 记录下的节点叫什么名字？用加引号的字符串作答，再运行单元格：检查会显示真实的名字。

            <details><summary>提示</summary>回头看看本课开头 `Exp.apply` 记录下了什么。</details>
            """,
        ),
        code="""
answer = ...

name = Cube.apply(x64).grad_fn.name()
check(answer, name, "function-node-name")
""",
        solution='answer = "CubeBackward"',
        explain=md(
            en="""
            A `Function` of your own records one node named after the class: `CubeBackward`, with no number
            (built-in nodes such as `PowBackward0` carry one). The `x ** 3` inside `forward` runs with
            recording off, so it leaves no node of its own.
            """,
            zh="""
            自己写的 `Function` 只记录一个以类名命名的节点：`CubeBackward`，后面没有数字（`PowBackward0`
            这样的内置节点才带数字）。`forward` 里的 `x ** 3` 是在关闭记录的情况下运行的，不会留下自己的节点。
            """,
        ),
        mistakes=[
            mistake("CubeBackward0", en="built-in nodes carry a number; a Function you write gets its class name "
                                        "and Backward, with no number.",
                    zh="内置节点才带数字；你自己写的 Function 得到的是类名加 Backward，没有数字。"),
            mistake("PowBackward0", en="forward runs with recording off, so x ** 3 inside it records nothing: the "
                                       "node is your Function's.",
                    zh="forward 是在关闭记录的情况下运行的，里面的 x ** 3 不会被记录：节点属于你的 Function。"),
        ],
        predict=True,
    ),
    *exercise(
        "finite-difference",
        task=md(
            en="""
            **3.** `BadSquare`'s backward says the derivative of $x^2$ at $x = 2$ is 2. The cell measures it
            instead, as `gradcheck` does: nudge $x$ by $\\varepsilon$ both ways and divide the change of the
            forward result by $2\\varepsilon$. What number comes out (to four digits)?

            <details><summary>Hint</summary>The difference measures the *forward* pass. Is `BadSquare`'s
            forward wrong too?</details>
            """,
            zh="""
            **3.** `BadSquare` 的 backward 说 $x^2$ 在 $x = 2$ 处的导数是 2。这个单元格改用测量的办法，和
            `gradcheck` 一样：把 $x$ 向两边各挪动 $\\varepsilon$，用前向结果的变化量除以 $2\\varepsilon$。
            得到的数是多少（保留四位）？

            <details><summary>提示</summary>差分测量的是**前向**计算。`BadSquare` 的前向计算也错了吗？</details>
            """,
        ),
        code="""
answer = ...

eps = 1e-6
x = torch.tensor(2.0, dtype=torch.float64)
difference = (BadSquare.apply(x + eps) - BadSquare.apply(x - eps)) / (2 * eps)
check(answer, difference, "finite-difference")
""",
        solution="answer = 4.0",
        explain=md(
            en="""
            The forward pass is correct ($x^2$), so the measured slope is the true derivative $2x = 4$
            (up to rounding, `4.0000000000`). Backward's 2 disagrees with it, which is exactly what
            `gradcheck` reports as `False`. It is the same nudge-and-measure idea as lesson 00's
            $(f(3 + h) - f(3)) / h$, taken on both sides, which is more accurate.
            """,
            zh="""
            前向计算是对的（$x^2$），所以测出的斜率就是真正的导数 $2x = 4$（在舍入误差内是 `4.0000000000`）。
            backward 给出的 2 与它不符，`gradcheck` 报告的 `False` 说的正是这件事。这和第 00 课的
            $(f(3 + h) - f(3)) / h$ 是同一个“挪一挪、量一量”的思路，只是两边都挪，更准确。
            """,
        ),
        mistakes=[mistake(
            2, en="2 is what BadSquare's backward claims. The difference measures the forward pass, x², which "
                  "BadSquare computes correctly.",
            zh="2 是 BadSquare 的 backward 声称的值。差分测量的是前向计算 x²，而 BadSquare 的前向计算是对的。",
        )],
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** Below, `SwappedMul` is `Mul` with its two gradients returned in the wrong
            order, and `gradcheck` reports `False`. Now give it the same numbers for both inputs: replace
            `(x64, b64)` with `(x64, x64.detach().clone().requires_grad_())` and run again. What does
            `gradcheck` say now, and why? What does that tell you about choosing test inputs?
            """,
            zh="""
            **4. 探究。** 下面的 `SwappedMul` 就是把 `Mul` 的两个梯度按错误的顺序返回，`gradcheck` 报告 `False`。
            现在让两个输入取相同的数：把 `(x64, b64)` 换成 `(x64, x64.detach().clone().requires_grad_())`，
            再运行。`gradcheck` 现在怎么说？为什么？这对挑选测试输入有什么启发？
            """,
        ),
        code="""
class SwappedMul(Mul):
    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        return grad_output * a, grad_output * b


print(torch.autograd.gradcheck(SwappedMul.apply, (x64, b64), raise_exception=False))
""",
        explain=md(
            en="""
            With equal inputs, `gradcheck` returns `True`: when $a = b$ the gradient for $a$ (which is $b$)
            and the one for $b$ (which is $a$) are the same numbers, so swapping them changes nothing. The
            bug is still there; these inputs cannot show it. Test with inputs that differ from each other
            (and avoid special values such as 0 and 1), or a wrong backward can pass.
            """,
            zh="""
            两个输入相同时，`gradcheck` 返回 `True`：当 $a = b$ 时，$a$ 的梯度（等于 $b$）和 $b$ 的梯度（等于 $a$）
            是同样的数，交换了也看不出区别。错误仍然存在，只是这样的输入暴露不了它。测试时要让各个输入互不相同
            （并避开 0、1 这样的特殊值），否则写错的 backward 也可能蒙混过关。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * `class F(torch.autograd.Function)` with static `forward(ctx, ...)` and `backward(ctx, grad)`;
          `ctx.save_for_backward(...)` / `ctx.saved_tensors` carry values between them; call it with `F.apply(x)`.
        * `torch.autograd.gradcheck(F.apply, (x64,))` checks `backward` against finite differences: use `float64`.

        Next: the engine that runs these nodes, one backward step at a time.
        """,
        zh="""
        * `class F(torch.autograd.Function)`，带静态方法 `forward(ctx, ...)` 和 `backward(ctx, grad)`；
          用 `ctx.save_for_backward(...)` / `ctx.saved_tensors` 在两者之间传值；调用时写 `F.apply(x)`。
        * `torch.autograd.gradcheck(F.apply, (x64,))` 把 `backward` 与有限差分作比较：要用 `float64`。

        下一课：运行这些节点的引擎，单步执行反向传播。
        """,
    ),
]
