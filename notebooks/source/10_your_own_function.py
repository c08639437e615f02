"""Lesson 10: your own autograd Function (forward, backward, ctx), checked against finite differences with gradcheck."""

from lesson import code, md, section, selfcheck

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
        * 用 `gradcheck` 在 `float64` 下把 `backward` 和数值微分对比检验。

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
        zh="你写的节点和内置节点一样待在图里，位于叶子节点 `x` 和输出 `y` 之间：",
    ),
    code("""
from widgets import GraphView
GraphView(y, names={"x": x, "y": y})
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
y.sum().backward()
print(x.grad)
print(x.grad.eq(y).all())
"""),
    section("example", "checking backward with gradcheck", "用 gradcheck 检验 backward"),
    md(
        en="""
        A `backward` you write by hand can be wrong, and nothing would complain: you would just get wrong
        gradients. `torch.autograd.gradcheck(f, inputs)` compares your backward with finite differences,
        $\\frac{f(x + \\varepsilon) - f(x - \\varepsilon)}{2\\varepsilon}$, for every input element, and
        returns `True` when they agree. Here is a second Function, `Square`, with
        $\\frac{d}{dx} x^2 = 2x$; both pass:
        """,
        zh="""
        手写的 `backward` 可能出错，而且不会有任何报错提醒：你只会悄悄得到错误的梯度。
        `torch.autograd.gradcheck(f, inputs)` 会对每个输入元素，把你的 backward 和有限差分
        $\\frac{f(x + \\varepsilon) - f(x - \\varepsilon)}{2\\varepsilon}$ 作比较，一致时返回 `True`。
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
        digits) that difference is mostly rounding noise, so even the correct `Exp` fails the check:
        """,
        zh="""
        为什么要用 `float64`？有限差分是两个非常接近的数相减。`float32` 只有大约 7 位有效数字，
        相减之后剩下的几乎全是舍入误差，所以即使是正确的 `Exp` 也通不过检验：
        """,
    ),
    code("""
x32 = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
print(x32.dtype)
print(torch.autograd.gradcheck(Exp.apply, (x32,), raise_exception=False))
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
    md(
        en="""
        Work out each answer before you run its cell: `check(answer, expected)` prints ✓ when yours matches
        what minigrad computes. The next cell loads `check` and tries it on 1 + 1.

        **1.** Complete `Cube` ($x^3$): write the return line of `backward`. The check passes when `gradcheck`
        agrees with you.

        <details><summary>Hint</summary>d(x³)/dx = 3x², multiplied by the incoming gradient.</details>
        """,
        zh="""
        先自己算出答案，再运行单元格：你的答案和 minigrad 算出的结果一致时，`check(answer, expected)` 会打印 ✓。
        下一个单元格导入 `check`，拿 1 + 1 试一下。

        **1.** 补全 `Cube`（$x^3$）：写出 `backward` 的返回语句。`gradcheck` 认可你的实现，检查就通过了。

        <details><summary>提示</summary>d(x³)/dx = 3x²，再乘上传进来的梯度。</details>
        """,
    ),
    selfcheck(),
    code("""
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x ** 2


answer = torch.autograd.gradcheck(Cube.apply, (x64,), raise_exception=False)
check(answer, True)
"""),
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
