"""Lesson 03: backward() and .grad: the x + 2 -> y*y*3 -> mean chain, accumulation, zero_, retain_graph, retain_grad."""

from lesson import code, comments_in_english, exercise, exercises_intro, investigate, md, mistake, runs_once, section, selfcheck

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
        * 了解 `.grad` 会在多次反向传播之间**累积**、怎样用 `zero_()` 清零，以及为什么对同一张图
          第二次调用 `backward()` 需要 `retain_graph=True`；
        * 用 `retain_grad()` 拿到中间张量（非叶子张量）的梯度。
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
    comments_in_english("""
        The docstring, in English: track every operation on a torch.Tensor: `torch.Tensor(requires_grad = True)`;
        compute all the gradients automatically: `.backward()`; the gradient on a torch.Tensor: `.grad`; whether a
        torch.Tensor is tracked: `.requires_grad`; stop tracking a torch.Tensor's history and future tracking:
        `.detach()`. The comment in the code: set `requires_grad` when creating a Tensor to track the forward
        computation.
        """),
    section("graph"),
    md(
        en="""
        One node per operation, read from top to bottom: `AddBackward0` for `x + 2`, two `MulBackward0` for
        `y * y` and `* 3`, and `MeanBackward0`. The leaf `x` shows the gradient the script printed.
        """,
        zh="""
        每个运算一个节点，从上往下读：`x + 2` 对应 `AddBackward0`，`y * y` 和 `* 3` 各对应一个 `MulBackward0`，
        最后是 `MeanBackward0`。叶子张量 `x` 上标出了脚本打印的梯度。
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
    runs_once("this lesson"),
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
    comments_in_english("""
        * A leaf variable is a Tensor created directly; it is not the result of another operation.
        * An in-place operation such as `x.t_()` cannot be used on a tensor with `requires_grad=True`.
        """),
    code("""
y = x + 2
print(y)
"""),
    code("""
# 所谓的grad_fn 就是创造这个Tensor的function
print(y.grad_fn)
"""),
    comments_in_english("""
        `# grad_fn is the function that created this Tensor`
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
    comments_in_english("""
        * As in TF, the multiplications here are all elementwise.
        * If the expression were changed to `z = y * y.t_() * 3`, you would not get a matrix product: since
          `Tensor.t_()` is an in-place operation, evaluating the expression also changes y, and in this
          expression y and `y.t_()` are equivalent.
        * `Tensor.mean()` is equivalent to `torch.mean()`.
        """),
    md(
        en="""
        Before running backward, draw the graph. `view.freeze()` keeps a picture of this moment: no
        gradients yet, the leaf `x` shows only its value. The step buttons above the picture walk the backward
        pass one node at a time, and only show it: no `.grad` is written and the graph is left as it is, so
        the next cells print the same whether you tried them or not.
        """,
        zh="""
        执行反向传播之前先把图画出来。`view.freeze()` 把这一刻定格成一张图：还没有梯度，叶子张量 `x` 上只显示了它的值。
        图上方的单步按钮会一个节点一个节点地走一遍反向传播，但只是展示：不会写入 `.grad`，也不会改动这张图，
        所以不管你有没有试过，后面的单元格打印的结果都一样。
        """,
    ),
    code("""
view = GraphView(out)
view.freeze()
"""),
    md(
        en="""
        Now `backward()`. `view` itself is live: it redraws whenever the gradients change. The last line
        shows it, with `x`'s gradient filled in.
        """,
        zh="""
        现在执行 `backward()`。`view` 本身是“活”的：梯度一变它就会重画。最后一行把它显示出来，`x` 的梯度已经填上了。
        """,
    ),
    code("""
# Tensor.backward() 开始backpropagation
out.backward()
view
"""),
    runs_once("this lesson"),
    comments_in_english("""
        `# Tensor.backward() starts backpropagation`
        """),
    code("""
# 求出out对x的导数，因为x为一个矩阵，求出来的导数跟x形状一致
print(x.grad)
"""),
    comments_in_english("""
        `# the derivative of out with respect to x; since x is a matrix, the derivative has the same shape as x`
        """),
    section("why", "gradients accumulate", "梯度会累积"),
    md(
        en="""
        Try to run backward through the same graph again. To save memory, backward frees the values each
        node saved for it, and this chain needs one (the `y` that `y * y` saved: the derivative of $y^2$ is
        $2y$), so a second pass stops with an error. (A graph whose nodes saved nothing, such as
        `(x + 2).sum()`, runs backward twice without complaint; task 4 below lets you try it.)
        """,
        zh="""
        试着对同一张图再做一次反向传播。为了节省内存，反向传播会释放各节点为它保存的中间值，而这条链正好需要其中之一
        （`y * y` 保存的 `y`，因为 $y^2$ 的导数是 $2y$），所以第二次反向传播直接报错。
        （如果图中的节点什么都没保存，比如 `(x + 2).sum()`，第二次反向传播照样能运行；下面第 4 题可以亲自试试。）
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
        `retain_graph=True` keeps those values. Run backward twice on one graph and `x.grad` is not 4.5 but
        9: backward **adds** into `.grad` rather than overwriting it. That is what makes two paths to the
        same leaf work (lesson 02), and why training code resets gradients before each step: in place with
        `x.grad.zero_()`, or by dropping them with `x.grad = None` (what optimizers do by default). After
        `zero_()` the third pass gives 4.5 again.
        """,
        zh="""
        `retain_graph=True` 会保留这些中间值。对同一张图反向传播两次，`x.grad` 不是 4.5，而是 9：
        反向传播是把梯度**加**进 `.grad`，而不是覆盖它。正因为如此，通往同一个叶子张量的两条路径才能正确合并
        （第 02 课）；这也是训练代码每一步之前都要清零梯度的原因：用 `x.grad.zero_()` 原地清零，
        或者用 `x.grad = None` 直接丢掉（优化器默认就是这样做的）。`zero_()` 之后，第三次反向传播的结果又是 4.5。
        """,
    ),
    code("""
x = torch.ones(2, 2, requires_grad=True)
out = ((x + 2) * (x + 2) * 3).mean()
out.backward(retain_graph=True)
print(x.grad)
out.backward(retain_graph=True)
print(x.grad)
x.grad.zero_()
out.backward()
print(x.grad)
"""),
    section("why", "the gradient of a non-leaf", "非叶子张量的梯度"),
    md(
        en="""
        The gradients of `y` and `z` are computed on the way to `x`, but only leaves keep theirs. Call
        `retain_grad()` on an intermediate tensor *before* backward and it keeps its gradient too. `z.grad`
        is $\\frac14$ everywhere (the mean), and `y.grad` is $\\frac{6y}{4} = 4.5$, equal to `x.grad`
        because $y = x + 2$ passes gradients through unchanged.
        """,
        zh="""
        `y` 和 `z` 的梯度在传往 `x` 的路上都算过，只是只有叶子张量会把梯度留下来。在反向传播**之前**对中间张量
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
    exercises_intro(),
    selfcheck(),
    *exercise(
        "grad-accumulates",
        task=md(
            en="""
            **1.** With `retain_graph=True`, backward runs three times on the same graph of `out` (one of the
            chains above). What is each entry of `x.grad` afterwards?

            <details><summary>Hint</summary>What does one pass put into `x.grad` (you saw it above), and what
            does each further pass do with what is already there?</details>
            """,
            zh="""
            **1.** 借助 `retain_graph=True`，对同一个 `out`（上面那条链）做三次反向传播。之后 `x.grad` 的每个元素是多少？

            <details><summary>提示</summary>一次反向传播往 `x.grad` 里放了什么（上面已经看到了）？之后每一次
            又怎样对待已经在那里的值？</details>
            """,
        ),
        code="""
answer = ...

x = torch.ones(2, 2, requires_grad=True)
out = ((x + 2) * (x + 2) * 3).mean()
out.backward(retain_graph=True)
out.backward(retain_graph=True)
out.backward()
check(answer, x.grad, "grad-accumulates")
""",
        solution="answer = 13.5",
        explain=md(
            en="""
            Each pass adds its 4.5 into `x.grad`: $3 \\times 4.5 = 13.5$. Only the last call may drop
            `retain_graph`, since no pass comes after it.
            """,
            zh="""
            每次反向传播都把 4.5 加进 `x.grad`：$3 \\times 4.5 = 13.5$。只有最后一次调用可以不加
            `retain_graph`，因为它之后不再有反向传播。
            """,
        ),
        mistakes=[
            mistake(4.5, en="4.5 is one backward pass; .grad accumulates across passes.",
                    zh="4.5 只是一次反向传播的结果；.grad 会在多次反向传播之间累积。"),
            mistake(9, en="9 is two passes; the cell runs backward three times.",
                    zh="9 是两次反向传播的结果；这个单元格做了三次。"),
        ],
    ),
    *exercise(
        "square-sum",
        task=md(
            en="""
            **2.** For `x = torch.tensor([1., 2., 3.])` and `out = (x * x).sum()`, what is `x.grad`? Answer
            with a list of three numbers.

            <details><summary>Hint</summary>Each $x_i$ appears in only one term of the sum: differentiate
            that term.</details>
            """,
            zh="""
            **2.** 对于 `x = torch.tensor([1., 2., 3.])` 和 `out = (x * x).sum()`，`x.grad` 是什么？用三个数的列表作答。

            <details><summary>提示</summary>每个 $x_i$ 只出现在和式的一项里：对那一项求导。</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([1., 2., 3.], requires_grad=True)
out = (x * x).sum()
out.backward()
check(answer, x.grad, "square-sum")
""",
        solution="answer = [2., 4., 6.]",
        explain=md(
            en="""
            $\\text{out} = x_1^2 + x_2^2 + x_3^2$, so $\\partial\\,\\text{out} / \\partial x_i = 2x_i$:
            `[2., 4., 6.]`. The sum passes a 1 to each entry, and `x * x` turns it into $2x_i$ (two edges,
            as in lesson 02).
            """,
            zh="""
            $\\text{out} = x_1^2 + x_2^2 + x_3^2$，所以 $\\partial\\,\\text{out} / \\partial x_i = 2x_i$：
            `[2., 4., 6.]`。求和给每个元素传回 1，`x * x` 再把它变成 $2x_i$（两条边，和第 02 课一样）。
            """,
        ),
        mistakes=[
            mistake([1., 4., 9.], en="that is x * x itself, not its derivative.",
                    zh="那是 x * x 本身，不是它的导数。"),
            mistake([1., 2., 3.], en="that is x; both factors of x * x carry a gradient back, so each entry "
                                     "gets x twice.",
                    zh="那是 x 本身；x * x 的两个因子都会把梯度带回来，所以每个元素得到两份 x。"),
            mistake(12, en="12 adds up the gradient's entries; x.grad has one entry per entry of x.",
                    zh="12 是把梯度的各元素加了起来；x.grad 的每个元素对应 x 的一个元素。"),
        ],
    ),
    *exercise(
        "retained-mean",
        task=md(
            en="""
            **3. Predict, then run.** Same `x`, but now `s = x * x` keeps its gradient and `out = s.mean()`.
            What is each entry of `s.grad`? Write down your prediction, then run the cell: the check shows the
            real `s.grad`.

            <details><summary>Hint</summary>`s.grad` is the gradient of `out` with respect to `s`: only the
            last operation stands between them.</details>
            """,
            zh="""
            **3. 先预测，再运行。** 还是这个 `x`，但让 `s = x * x` 保留梯度，并令 `out = s.mean()`。`s.grad`
            的每个元素是多少？先写下你的预测，再运行单元格：检查会显示真实的 `s.grad`。

            <details><summary>提示</summary>`s.grad` 是 `out` 对 `s` 的梯度：它们之间只隔着最后那一个运算。</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([1., 2., 3.], requires_grad=True)
s = x * x
s.retain_grad()
out = s.mean()
out.backward()
check(answer, s.grad, "retained-mean")
""",
        solution="answer = 1 / 3",
        explain=md(
            en="""
            A mean of three numbers gives each of them $\\frac13$, whatever their values. `s.grad` stops at
            the mean; `x.grad`, one step further, would be $\\frac13 \\cdot 2x$.
            """,
            zh="""
            三个数取平均，不论它们取什么值，每个数都分到 $\\frac13$。`s.grad` 只到平均这一步；
            再往前一步的 `x.grad` 才是 $\\frac13 \\cdot 2x$。
            """,
        ),
        mistakes=[
            mistake([2 / 3, 4 / 3, 2.], en="that is x.grad, one step further back through s = x * x; s.grad "
                                           "stops at the mean.",
                    zh="那是 x.grad，又往回经过了 s = x * x；s.grad 只到平均这一步。"),
            mistake(1, en="1 would be the gradient of a sum; a mean also divides by the number of entries.",
                    zh="1 是求和的梯度；取平均还要除以元素的个数。"),
        ],
        predict=True,
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** The cell below runs backward twice on the tutorial's chain, without
            `retain_graph`, and prints the error. Replace the line `out = ...` with `out = (x + 2).sum()` and
            run it again. What happens now, and why? Then try `out = (x * 3).sum()` and
            `out = (x * x).sum()`.
            """,
            zh="""
            **4. 探究。** 下面的单元格对教程里的那条链不加 `retain_graph` 连续做两次反向传播，并打印报错。
            把 `out = ...` 这一行换成 `out = (x + 2).sum()`，再运行。现在发生了什么？为什么？再试试
            `out = (x * 3).sum()` 和 `out = (x * x).sum()`。
            """,
        ),
        code="""
x = torch.ones(2, 2, requires_grad=True)
out = ((x + 2) * (x + 2) * 3).mean()
out.backward()
try:
    out.backward()
    print(x.grad)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
""",
        explain=md(
            en="""
            `(x + 2).sum()` runs backward twice without complaint and prints `x.grad` full of 2s (1 + 1,
            accumulated): an addition and a sum need nothing saved to compute their gradients. `(x * x).sum()`
            fails like the tutorial's chain: `x * x` saved `x` (its derivative is $2x$). So does
            `(x * 3).sum()`, perhaps surprisingly: the node of `x * 3` saved its other factor, the 3, which
            PyTorch keeps as a saved tensor even when it is a plain number. What a backward pass frees are
            the tensors nodes *saved*; a second pass fails when a node needs one that is gone.
            """,
            zh="""
            `(x + 2).sum()` 连做两次反向传播也不报错，打印出全是 2 的 `x.grad`（1 + 1，累积而来）：加法和求和
            算梯度时不需要保存任何东西。`(x * x).sum()` 和教程里的链一样报错：`x * x` 保存了 `x`（它的导数是 $2x$）。
            `(x * 3).sum()` 也会报错，这也许出乎意料：`x * 3` 的节点保存了另一个因子 3，即使它只是个普通的数，
            PyTorch 也会把它作为保存的张量留着。反向传播释放的是节点**保存**下来的张量；只有当某个节点需要的
            已保存张量已经被释放时，第二次反向传播才会失败。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * `backward()` on a scalar fills `.grad` of every leaf that requires grad with
          $\\frac{\\partial\\,\\text{out}}{\\partial\\,\\text{leaf}}$, a tensor of the leaf's shape.
        * It works node by node, multiplying local derivatives, from the output back to the leaves.
        * `.grad` accumulates; reset it with `.grad.zero_()` or `.grad = None`.
        * Backward frees the values the graph's nodes saved; pass `retain_graph=True` to run it again
          through nodes that need them.
        * Intermediate tensors keep their gradient only after `retain_grad()`.

        Next: what if the output is not a single number?
        """,
        zh="""
        * 对标量调用 `backward()`，会为每个需要梯度的叶子张量填好 `.grad`，即
          $\\frac{\\partial\\,\\text{out}}{\\partial\\,\\text{叶子张量}}$，形状与叶子张量相同。
        * 它从输出出发，一个节点一个节点地往叶子张量推进，沿途把局部导数相乘。
        * `.grad` 会累积；用 `.grad.zero_()` 或 `.grad = None` 清零。
        * 反向传播会释放图中节点保存的中间值；要再次经过需要这些值的节点做反向传播，得传 `retain_graph=True`。
        * 中间张量只有在调用 `retain_grad()` 之后才保留梯度。

        下一课：如果输出不是一个数，该怎么办？
        """,
    ),
]
