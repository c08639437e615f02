"""Lesson 03: backward() and .grad: the x + 2 -> y*y*3 -> mean chain, accumulation, zero_, retain_graph, retain_grad."""

from lesson import code, md, section, selfcheck

TITLE = {"en": "backward() and .grad", "zh": "backward() 与 .grad"}

SEED_CELLS = [
    ("000_16b12d1a36660901.txt", "#!/usr/bin/env python", "One chain, three tutorials"),
    ("003_e58dd96af1108921.txt", "requries_grad", "The second tutorial"),
    ("003_e58dd96af1108921.txt", "x.grad", "The second tutorial"),
    ("004_6a046a34fe0ce8e2.txt", "# leaf variable 就是直接create的Tensor", "The third tutorial"),
    ("004_6a046a34fe0ce8e2.txt", "y = x + 2", "The third tutorial"),
    ("004_6a046a34fe0ce8e2.txt", "print(y.grad_fn)", "The third tutorial"),
    ("004_6a046a34fe0ce8e2.txt", "z = y * y * 3", "The third tutorial"),
    ("004_6a046a34fe0ce8e2.txt", "out.backward()", "The third tutorial"),
    ("004_6a046a34fe0ce8e2.txt", "print(x.grad)", "The third tutorial"),
]

CELLS = [
    section("goal"),
    md(
        en="""
        Three of the tutorials use the same small example: start from a 2×2 tensor of ones, add 2,
        square and triple, take the mean, and call `backward()`. Every entry of `x.grad` comes out as 4.5.
        In this lesson you will:

        * work out why it is 4.5, one node at a time;
        * learn that `.grad` *accumulates* across backward calls, how to reset it with `zero_()`, and why a
          second `backward()` through the same graph needs `retain_graph=True`;
        * get the gradient of an intermediate (non-leaf) tensor with `retain_grad()`.
        """,
        zh="""
        有三篇教程用的是同一个小例子：从 2×2 的全 1 张量出发，加 2，平方再乘 3，取平均，然后调用
        `backward()`。`x.grad` 的每个元素都是 4.5。这一课我们会：

        * 一个节点一个节点地弄清楚为什么是 4.5；
        * 了解 `.grad` 会在多次反向传播之间**累加**、怎样用 `zero_()` 清零，以及为什么对同一张图
          第二次调用 `backward()` 需要 `retain_graph=True`；
        * 用 `retain_grad()` 拿到中间张量（非叶子节点）的梯度。
        """,
    ),
    section("code", "one chain, three tutorials", "一条链，三篇教程"),
    md(
        en="""
        The first tutorial is a script that prints every step. Its docstring is a summary of the autograd
        vocabulary; only the line `import torch` is changed, to `import minigrad as torch`.
        """,
        zh="""
        第一篇教程是一个把每一步都打印出来的脚本，开头的文档字符串总结了 autograd 的基本用语。
        只有 `import torch` 这一行改成了 `import minigrad as torch`。
        """,
    ),
    code('''
#!/usr/bin/env python
# -*- coding: utf-8 -*-

"""
`autograd` package:
-------------------
跟踪 torch.Tensor 上所有的操作:torch.Tensor(requires_grad = True)
自动计算所有的梯度:.backward()
torch.Tensor 上的梯度:.grad
torch.Tensor 是否被跟踪:.requires_grad
停止跟踪 torch.Tensor 上的跟踪历史、未来的跟踪:.detach()

with torch.no_grad():
    pass

Function
.grad_fn
"""

import minigrad as torch

# --------------------
# 创建 Tensor 时设置 requires_grad 跟踪前向计算
# --------------------
x = torch.ones(2, 2, requires_grad = True)
print("x:", x)

y = x + 2
print("y:", y)
print("y.grad_fn:", y.grad_fn)

z = y * y * 3
print("z:", z)
print("z.grad_fn", z.grad_fn)

out = z.mean()
print("out:", out)
print("out.grad_fn:", out.grad_fn)
out.backward()
print("x.grad:", x.grad)
'''),
    section("graph"),
    md(
        en="""
        One node per operation, read from top to bottom: `AddBackward0` for `x + 2`, two `MulBackward0` for
        `y * y` and `* 3`, and `MeanBackward0`. The leaf `x` shows the gradient the script printed.
        """,
        zh="""
        每个运算一个节点，从上往下读：`x + 2` 对应 `AddBackward0`，`y * y` 和 `* 3` 各对应一个 `MulBackward0`，
        最后是 `MeanBackward0`。叶子节点 `x` 上标出了脚本打印的梯度。
        """,
    ),
    code("""
from widgets import GraphView
GraphView(out)
"""),
    section("why", "where 4.5 comes from", "4.5 从哪里来"),
    md(
        en="""
        Written as one formula, $\\text{out} = \\frac{1}{4}\\sum_i 3\\,(x_i + 2)^2$, so
        $\\frac{\\partial\\,\\text{out}}{\\partial x_i} = \\frac{3}{2}(x_i + 2) = \\frac{3}{2}\\cdot 3 = 4.5$.

        The backward pass gets the same number without the formula, by walking the graph from the bottom
        up and multiplying local derivatives:

        | node | local rule | gradient after it |
        | --- | --- | --- |
        | `MeanBackward0` | mean of 4 numbers: each gets $\\frac14$ | 0.25 |
        | `MulBackward0` (`* 3`) | times 3 | 0.75 |
        | `MulBackward0` (`y * y`) | both inputs are `y`: $0.75 \\cdot y$ along each edge, and the two edges add | $2 \\cdot 0.75 \\cdot 3 = 4.5$ |
        | `AddBackward0` (`+ 2`) | derivative 1: passes through | 4.5 |
        """,
        zh="""
        写成一个式子就是 $\\text{out} = \\frac{1}{4}\\sum_i 3\\,(x_i + 2)^2$，因此
        $\\frac{\\partial\\,\\text{out}}{\\partial x_i} = \\frac{3}{2}(x_i + 2) = \\frac{3}{2}\\cdot 3 = 4.5$。

        反向传播不需要这个公式也能得到同样的数：它从图的底部往上走，把局部导数一个个乘起来：

        | 节点 | 局部规则 | 经过之后的梯度 |
        | --- | --- | --- |
        | `MeanBackward0` | 4 个数取平均：每个分到 $\\frac14$ | 0.25 |
        | `MulBackward0`（`* 3`） | 乘以 3 | 0.75 |
        | `MulBackward0`（`y * y`） | 两个输入都是 `y`：每条边带回 $0.75 \\cdot y$，两条边相加 | $2 \\cdot 0.75 \\cdot 3 = 4.5$ |
        | `AddBackward0`（`+ 2`） | 导数为 1，原样通过 | 4.5 |
        """,
    ),
    section("code", "the second tutorial", "第二篇教程"),
    md(
        en="""
        The second tutorial writes the same chain in one line. Its first line has a typo,
        `requries_grad`, and PyTorch refuses unknown keyword arguments, so in the tutorial this cell raises
        a `TypeError`. Here the error is caught and printed, so that the notebook keeps running:
        """,
        zh="""
        第二篇教程把同一条链写成了一行。它的第一行有个拼写错误 `requries_grad`，而 PyTorch 不接受未知的
        关键字参数，所以在原教程里这个单元格会抛出 `TypeError`。这里把错误捕获并打印出来，好让 notebook 继续往下运行：
        """,
    ),
    code("""
try:
    x = torch.ones(2,2, requries_grad = True)
    z = (x+2) * (x+2) * 3
    out = z.mean()
except TypeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    md(en="With the keyword spelt correctly:", zh="把关键字拼对之后："),
    code("""
x = torch.ones(2,2, requires_grad = True)
z = (x+2) * (x+2) * 3
out = z.mean()
out
"""),
    md(
        en="""
        Now backward. `x.grad` is a new tensor of the same shape as `x`, holding the derivative of the scalar
        `out` with respect to each entry of `x`. The tutorial writes the result as
        `tensor([[4.5, 4.5], [4.5, 4.5]])`; PyTorch really prints four digits after the point, `4.5000`, on
        two lines, and so does the next cell.
        """,
        zh="""
        接着反向传播。`x.grad` 是一个与 `x` 形状相同的新张量，存放标量 `out` 对 `x` 每个元素的导数。
        教程把结果写成 `tensor([[4.5, 4.5], [4.5, 4.5]])`；PyTorch 实际打印的是小数点后四位 `4.5000`，
        并分两行显示，下一个单元格也是这样。
        """,
    ),
    code("""
out.backward()
x.grad
"""),
    section("code", "the third tutorial", "第三篇教程"),
    md(
        en="""
        The third tutorial takes the chain one cell at a time. (Between `y` and `z` it also transposes `y`
        in place with `y.t_()`; that story belongs to the lesson on in-place operations. For a matrix full of
        3s the transpose changes nothing here.)
        """,
        zh="""
        第三篇教程把这条链拆成一个个单元格。（它在 `y` 和 `z` 之间还用 `y.t_()` 原地转置了 `y`，
        这部分留到讲原地操作的那一课。对于全是 3 的矩阵，转置在这里不会改变任何结果。）
        """,
    ),
    code("""
import minigrad as torch
# leaf variable 就是直接create的Tensor，他们不是其他操作的结果
x = torch.ones(2,2, requires_grad=True)
# 像x.t_() 这种in-place operation不能在requires_grad=True中使用
print(x)
"""),
    code("""
y = x + 2
print(y)
"""),
    code("""
# 所谓的grad_fn 就是创造这个Tensor的function
print(y.grad_fn)
"""),
    code("""
# 和TF一样，这里的相乘都是elementwise
# 假如这里将表达式改成z = y * y.t_() * 3 ，这里不会得到matrix相乘的结果，因为Tensor.t_()是一个in-place operation
# 所以在evaluate这个式子数值的时候也会将y改变，在这个expression中y与y.t_()是等效。
z = y * y * 3
# Tensor.mean() 等效于torch.mean()
out = z.mean()
print(z, out)
"""),
    md(
        en="""
        Before running backward, draw the graph. No gradients yet: the leaf `x` shows only its value.
        The step buttons under the picture walk the real backward pass one node at a time; if you try them,
        press reset before running the next cell, or the gradient will be counted twice (you will see why in
        a moment: gradients accumulate).
        """,
        zh="""
        执行反向传播之前先把图画出来。现在还没有梯度：叶子节点 `x` 上只显示了它的值。
        图下面的单步按钮会一个节点一个节点地执行真正的反向传播；如果你试了，运行下一个单元格之前请先按 reset，
        否则梯度会被算两次（原因马上揭晓：梯度会累加）。
        """,
    ),
    code("""
view = GraphView(out)
view
"""),
    md(
        en="""
        Now `backward()`. The view above is live and redraws itself; the last line shows it once more here,
        with `x`'s gradient filled in.
        """,
        zh="""
        现在执行 `backward()`。上面的视图是“活”的，会自动重画；最后一行在这里再显示一次，`x` 的梯度已经填上了。
        """,
    ),
    code("""
# Tensor.backward() 开始backpropagation
out.backward()
view
"""),
    code("""
# 求出out对x的导数，因为x为一个矩阵，求出来的导数跟x形状一致
print(x.grad)
"""),
    section("why", "gradients accumulate", "梯度会累加"),
    md(
        en="""
        Try to run backward through the same graph again. To save memory, the backward pass frees the
        values each node saved for it (here, the `y` that `y * y` needs), so a second pass has nothing to
        work with and stops with an error:
        """,
        zh="""
        试着对同一张图再做一次反向传播。为了节省内存，反向传播结束后会释放各节点为它保存的中间值
        （这里是 `y * y` 需要的 `y`），所以第二次反向传播无从下手，直接报错：
        """,
    ),
    code("""
try:
    out.backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    md(
        en="""
        `retain_graph=True` keeps those values. Run backward twice on one graph and look at `x.grad`: it is
        not 4.5 but 9. Backward **adds** into `.grad` rather than overwriting it. That is what makes two
        paths to the same leaf work (lesson 02), and it is also why training code must reset gradients
        before each step.
        """,
        zh="""
        `retain_graph=True` 会保留这些中间值。对同一张图反向传播两次，再看 `x.grad`：不是 4.5，而是 9。
        反向传播是把梯度**加**进 `.grad`，而不是覆盖它。正因为如此，通往同一个叶子节点的两条路径才能正确合并
        （第 02 课），这也是训练代码在每一步之前都要清零梯度的原因。
        """,
    ),
    code("""
x = torch.ones(2, 2, requires_grad=True)
out = ((x + 2) * (x + 2) * 3).mean()
out.backward(retain_graph=True)
print(x.grad)
out.backward()
print(x.grad)
"""),
    md(
        en="""
        To start again from zero, clear the gradient in place with `x.grad.zero_()` (or drop it with
        `x.grad = None`, which is what optimizers do by default). A fresh forward and backward pass then
        gives 4.5 again:
        """,
        zh="""
        要从零开始，可以用 `x.grad.zero_()` 原地清零（或者用 `x.grad = None` 直接丢掉，优化器默认就是这样做的）。
        重新做一遍前向和反向传播，结果又是 4.5：
        """,
    ),
    code("""
x.grad.zero_()
out = ((x + 2) * (x + 2) * 3).mean()
out.backward()
print(x.grad)
"""),
    section("why", "the gradient of a non-leaf", "非叶子节点的梯度"),
    md(
        en="""
        The gradients of `y` and `z` are computed on the way to `x`, but only leaves keep theirs. Call
        `retain_grad()` on an intermediate tensor *before* backward and it keeps its gradient too. `z.grad`
        is $\\frac14$ everywhere (the mean), and `y.grad` is $\\frac{6y}{4} = 4.5$, equal to `x.grad`
        because $y = x + 2$ passes gradients through unchanged.
        """,
        zh="""
        `y` 和 `z` 的梯度在传往 `x` 的路上都算过，只是只有叶子节点会把梯度留下来。在反向传播**之前**对中间张量
        调用 `retain_grad()`，它也会保留梯度。`z.grad` 处处是 $\\frac14$（来自平均），
        `y.grad` 是 $\\frac{6y}{4} = 4.5$，和 `x.grad` 相同，因为 $y = x + 2$ 会让梯度原样通过。
        """,
    ),
    code("""
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
y.retain_grad()
z.retain_grad()
out.backward()
print(y.grad)
print(z.grad)
GraphView(out)
"""),
    section("try"),
    md(
        en="""
        Work out each answer before you run its cell: `check(answer, expected)` prints ✓ when yours matches
        what minigrad computes. The next cell loads `check` and tries it on 1 + 1.

        **1.** With `retain_graph=True`, backward runs three times on the same graph of `out` (one of the
        chains above). What is each entry of `x.grad` afterwards?

        <details><summary>Hint</summary>Each pass adds 4.5.</details>
        """,
        zh="""
        先自己算出答案，再运行单元格：你的答案和 minigrad 算出的结果一致时，`check(answer, expected)` 会打印 ✓。
        下一个单元格导入 `check`，拿 1 + 1 试一下。

        **1.** 借助 `retain_graph=True`，对同一个 `out`（上面那条链）做三次反向传播。之后 `x.grad` 的每个元素是多少？

        <details><summary>提示</summary>每次反向传播都加上 4.5。</details>
        """,
    ),
    selfcheck(),
    code("""
answer = 13.5

x = torch.ones(2, 2, requires_grad=True)
out = ((x + 2) * (x + 2) * 3).mean()
out.backward(retain_graph=True)
out.backward(retain_graph=True)
out.backward()
check(answer, x.grad)
"""),
    md(
        en="""
        **2.** For `x = torch.tensor([1., 2., 3.])` and `out = (x * x).sum()`, what is `x.grad`? Answer with a
        list of three numbers.

        <details><summary>Hint</summary>The derivative of x² is 2x, entry by entry.</details>
        """,
        zh="""
        **2.** 对于 `x = torch.tensor([1., 2., 3.])` 和 `out = (x * x).sum()`，`x.grad` 是什么？用三个数的列表作答。

        <details><summary>提示</summary>x² 的导数是 2x，逐个元素计算。</details>
        """,
    ),
    code("""
answer = [2., 4., 6.]

x = torch.tensor([1., 2., 3.], requires_grad=True)
out = (x * x).sum()
out.backward()
check(answer, x.grad)
"""),
    md(
        en="""
        **3.** Same `x`, but now `s = x * x` keeps its gradient and `out = s.mean()`. What is each entry of `s.grad`?

        <details><summary>Hint</summary>A mean of n numbers gives each of them 1/n.</details>
        """,
        zh="""
        **3.** 还是这个 `x`，但让 `s = x * x` 保留梯度，并令 `out = s.mean()`。`s.grad` 的每个元素是多少？

        <details><summary>提示</summary>n 个数取平均，每个数分到 1/n。</details>
        """,
    ),
    code("""
answer = 1 / 3

x = torch.tensor([1., 2., 3.], requires_grad=True)
s = x * x
s.retain_grad()
out = s.mean()
out.backward()
check(answer, s.grad)
"""),
    section("recap"),
    md(
        en="""
        * `backward()` on a scalar fills `.grad` of every leaf that requires grad with
          $\\frac{\\partial\\,\\text{out}}{\\partial\\,\\text{leaf}}$, a tensor of the leaf's shape.
        * It works node by node, multiplying local derivatives, from the output back to the leaves.
        * `.grad` accumulates; reset it with `.grad.zero_()` or `.grad = None`.
        * Backward frees the graph's saved values; pass `retain_graph=True` to run it again.
        * Intermediate tensors keep their gradient only after `retain_grad()`.

        Next: what if the output is not a single number?
        """,
        zh="""
        * 对标量调用 `backward()`，会为每个需要梯度的叶子节点填好 `.grad`，即
          $\\frac{\\partial\\,\\text{out}}{\\partial\\,\\text{叶子节点}}$，形状与叶子节点相同。
        * 它从输出出发，一个节点一个节点地往叶子节点推进，沿途把局部导数相乘。
        * `.grad` 会累加；用 `.grad.zero_()` 或 `.grad = None` 清零。
        * 反向传播会释放图中保存的中间值；想再跑一次要传 `retain_graph=True`。
        * 中间张量只有在调用 `retain_grad()` 之后才保留梯度。

        下一课：如果输出不是一个数，该怎么办？
        """,
    ),
]
