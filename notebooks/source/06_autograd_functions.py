"""Lesson 06: torch.autograd.backward, torch.autograd.grad, create_graph and second derivatives (seed 000, 4.3)."""

from lesson import code, exercise, exercises_intro, investigate, md, mistake, runs_once, section, selfcheck

TITLE = {"en": "autograd.backward, autograd.grad and second derivatives",
         "zh": "autograd.backward、autograd.grad 与高阶导数"}

SEED_CELLS = [
    ("000_16b12d1a36660901.txt", "y = torch.mul(a, b)", "The example of section 4.1, the starting point"),
    ("000_16b12d1a36660901.txt", "gard_tensors = None,", "The signature of torch.autograd.backward (4.3)"),
]

CELLS = [
    section("goal"),
    md(
        en="""
        `y.backward()` is the everyday way to get gradients, but it is a shortcut. Section 4.3 of the
        tutorial that gave us the example of lesson 02 names the two functions underneath, and lists three
        facts worth remembering. In this lesson you will:

        * call `torch.autograd.backward` directly and see what each of its arguments does;
        * use `torch.autograd.grad`, which *returns* gradients instead of adding them to `.grad`;
        * take a derivative of a derivative with `create_graph=True`, and look at the graph of a gradient;
        * check the tutorial's three notes: gradients are not reset for you, tensors computed from leaves
          require grad, and leaves cannot be changed in place.
        """,
        zh="""
        `y.backward()` 是求梯度最常用的写法，但它其实是一个快捷方式。第 02 课的例子出自一篇教程，
        这篇教程在 4.3 节里指出了 `backward()` 背后的两个函数，还列了三条值得记住的注意事项。本课你将：

        * 直接调用 `torch.autograd.backward`，弄清它每个参数的作用；
        * 使用 `torch.autograd.grad`，它把梯度**返回**给你，而不是累积到 `.grad` 里；
        * 借助 `create_graph=True` 对导数再求导，并看看“梯度的计算图”长什么样；
        * 验证教程的三条注意事项：梯度不会自动清零；依赖叶子张量的张量默认需要梯度；叶子张量不能原地修改。
        """,
    ),
    section("code", "the example of section 4.1", "4.1 节的例子"),
    md(
        en="""
        We start from the small graph of lesson 02: $y = (w + x)(w + 1)$ at $w = 1$, $x = 2$. By the product
        rule $\\partial y / \\partial w = (w + 1) + (w + x) = 2 + 3 = 5$.
        """,
        zh="""
        从第 02 课的小计算图开始：$y = (w + x)(w + 1)$，取 $w = 1$、$x = 2$。由乘积法则，
        $\\partial y / \\partial w = (w + 1) + (w + x) = 2 + 3 = 5$。
        """,
    ),
    code("""
import minigrad as torch

x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

a = torch.add(w, x)
b = torch.add(w, 1)

y = torch.mul(a, b)

y.backward()
print(w.grad)
"""),
    md(
        en="The graph after the backward pass; both leaves now show their gradients:",
        zh="反向传播之后的计算图，两个叶子张量上都标出了梯度：",
    ),
    code("""
from widgets import GraphView
GraphView(y, names={"w": w, "x": x, "a": a, "b": b, "y": y}, live=False)  # this moment: later cells change .grad
"""),
    section("code", "torch.autograd.backward", "torch.autograd.backward"),
    md(
        en="""
        `y.backward()` hands its work to `torch.autograd.backward(y)`. Section 4.3 shows that function's
        signature. We rebuild the graph (the last backward pass freed what it had saved), call the name
        `tensors` the output, and run the signature as printed. In PyTorch it raises, and so it does here:
        the second parameter is really called `grad_tensors`, and the tutorial misspelt it.
        """,
        zh="""
        `y.backward()` 实际上是把活儿交给了 `torch.autograd.backward(y)`。4.3 节给出了这个函数的签名。
        我们先重建计算图（上一次反向传播已经释放了保存的中间结果），把输出命名为 `tensors`，
        然后照原样运行这段签名。在 PyTorch 里它会报错，这里也一样：第二个参数的真名是 `grad_tensors`，教程把它拼错了。
        """,
    ),
    code("""
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
tensors = y

try:
    torch.autograd.backward(
       tensors,
       gard_tensors = None,
       retain_graph = None,
       create_graph = False
    )
except TypeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    md(
        en="""
        With the name spelt right the call works. Nothing was run by the failed call, so this is only the
        second backward pass into `w`, and `w.grad` shows the tutorial's first note: **gradients are not
        reset for you**. The new 5 is added to the old 5:
        """,
        zh="""
        把参数名拼对，调用就成功了。刚才失败的那次什么也没执行，所以这只是第二次往 `w` 反向传播；
        `w.grad` 正好印证了教程的第一条注意：**梯度不会自动清零**。新的 5 加到了旧的 5 上：
        """,
    ),
    code("""
torch.autograd.backward(
   tensors,
   grad_tensors = None,
   retain_graph = None,
   create_graph = False
)
print(w.grad, x.grad)
"""),
    runs_once(),
    md(
        en="""
        What the four arguments mean:

        | argument | meaning |
        | --- | --- |
        | `tensors` | the output(s) to differentiate: one tensor or a list |
        | `grad_tensors` | the vector $v$ of a vector–Jacobian product, one per output (lesson 04); `None` is fine for a scalar |
        | `retain_graph` | keep the saved values so the graph can be walked again; by default the same as `create_graph` |
        | `create_graph` | record the backward pass itself, so the gradients get a graph of their own (see below) |

        To start counting afresh, zero the gradients (or set them to `None`):
        """,
        zh="""
        四个参数的含义：

        | 参数 | 含义 |
        | --- | --- |
        | `tensors` | 要求导的输出：一个张量或一个列表 |
        | `grad_tensors` | 向量–雅可比积里的向量 $v$，每个输出一个（第 04 课）；标量输出可以用 `None` |
        | `retain_graph` | 保留中间结果，好让这张图还能再走一遍；默认与 `create_graph` 相同 |
        | `create_graph` | 把反向传播本身也记录下来，让梯度拥有自己的计算图（见下文） |

        想从零开始重新累计，就把梯度清零（或设为 `None`）：
        """,
    ),
    code("""
w.grad.zero_()
x.grad.zero_()
print(w.grad, x.grad)
"""),
    md(
        en="""
        The second note: tensors computed from a leaf that requires grad require grad themselves, and they
        are not leaves. The third: a leaf that requires grad refuses in-place changes (lesson 07 explains
        why), so this line raises in PyTorch:
        """,
        zh="""
        第二条注意：由需要梯度的叶子张量算出来的张量，自己也需要梯度，而且不是叶子张量。第三条：需要梯度的叶子张量拒绝原地修改
        （原因见第 07 课），所以下面这行在 PyTorch 里会报错：
        """,
    ),
    code("""
print(a.requires_grad, b.requires_grad, y.requires_grad)
print(a.is_leaf, b.is_leaf, y.is_leaf)
try:
    w.add_(1)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    section("example", "torch.autograd.grad", "torch.autograd.grad"),
    md(
        en="""
        `torch.autograd.grad(outputs, inputs)` runs the same backward pass but **returns** the gradients
        of the inputs you name, as a tuple, and leaves every `.grad` alone. It is the tool of choice when
        you want a gradient as a value to compute with, rather than something to accumulate:
        """,
        zh="""
        `torch.autograd.grad(outputs, inputs)` 走的是同样的反向传播，但它把你指定的输入的梯度以元组形式**返回**，
        不碰任何 `.grad`。如果你想把梯度当作一个值拿来继续计算，而不是累积起来，就用它：
        """,
    ),
    code("""
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
dy_dw, dy_dx = torch.autograd.grad(y, [w, x])
print(dy_dw, dy_dx)
print(w.grad, x.grad)
"""),
    section("example", "second derivatives", "高阶导数"),
    md(
        en="""
        The tutorial says `torch.autograd.grad` can take higher-order derivatives. The key is
        `create_graph=True`: the multiplications the backward pass does are then recorded like any other
        operation, so the gradient is a tensor with a `grad_fn`, and it can be differentiated again.
        Take $y = x^2$ at $x = 3$: the first derivative is $2x = 6$, the second is $2$.
        """,
        zh="""
        教程提到 `torch.autograd.grad` 可以求高阶导数。关键在于 `create_graph=True`：
        这样反向传播里做的乘法也会像普通运算一样被记录下来，得到的梯度是一个带 `grad_fn` 的张量，可以再次求导。
        以 $y = x^2$、$x = 3$ 为例：一阶导数是 $2x = 6$，二阶导数是 $2$。
        """,
    ),
    code("""
x = torch.tensor([3.], requires_grad=True)
y = torch.pow(x, 2)
grad_1 = torch.autograd.grad(y, x, create_graph=True)
print(grad_1)
"""),
    section("graph", "a gradient has a graph too", "梯度也有计算图"),
    md(
        en="""
        Draw `y` and its gradient together. One branch is the forward pass: `y` hangs from `x` through
        `PowBackward0`. The other is the graph the backward pass recorded for `dy_dx`: the rule for `pow`
        computes $\\text{grad} \\cdot (2 \\cdot x^{1})$, and each step of it is a node: a power (`PowBackward0`),
        a product with the plain number 2 (`MulBackward1`: PyTorch's own formulas multiply by a number with an op
        of its own, where `2 * x` in your code gives `MulBackward0`), and the product with the incoming gradient
        (`MulBackward0`). It leads back to the same `x`.
        """,
        zh="""
        把 `y` 和它的梯度画在一起。一支是前向计算：`y` 通过 `PowBackward0` 连到 `x`。另一支是反向传播时为 `dy_dx`
        记录下来的图：`pow` 的求导规则算的是 $\\text{grad} \\cdot (2 \\cdot x^{1})$，其中每一步都是一个节点：乘方（`PowBackward0`）、
        乘以普通的数 2（`MulBackward1`：PyTorch 自己的求导公式用一个专门的运算乘以数字，而你代码里的 `2 * x` 得到的是 `MulBackward0`），
        以及乘以传进来的梯度（`MulBackward0`）。最终也连回同一个 `x`。
        """,
    ),
    code("""
GraphView(y, grad_1[0], names={"x": x, "y": y, "dy_dx": grad_1[0]})
"""),
    md(
        en="Because the gradient has a graph, we can differentiate it: $\\frac{d}{dx}(2x) = 2$.",
        zh="既然梯度有计算图，就可以对它求导：$\\frac{d}{dx}(2x) = 2$。",
    ),
    code("""
grad_2 = torch.autograd.grad(grad_1[0], x, retain_graph=True)  # so the cell can run again
print(grad_2)
"""),
    md(
        en="""
        Without `create_graph=True` the gradient is a plain tensor with no history, and asking for its
        derivative fails in PyTorch:
        """,
        zh="""
        如果不加 `create_graph=True`，梯度就是一个没有历史的普通张量，再对它求导在 PyTorch 里会报错：
        """,
    ),
    code("""
y = torch.pow(x, 2)
plain = torch.autograd.grad(y, x)
print(plain)
try:
    torch.autograd.grad(plain[0], x)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    section("why"),
    md(
        en="""
        * `backward()` and `autograd.grad()` run the same engine. `backward` **adds** into the `.grad` of
          every leaf it reaches (that is why gradients accumulate and need zeroing); `grad` **returns** the
          gradients of the inputs you ask for and writes nowhere.
        * The backward pass is itself a computation: each node multiplies incoming gradients by local
          derivatives. Normally those multiplications are done with recording off, so the results are plain
          numbers. `create_graph=True` turns recording on during the backward pass, so the gradient gets a
          graph, and differentiating it again gives the second derivative.
        * `retain_graph` defaults to `create_graph`: if you build a graph of the gradient you will probably
          walk the original graph again, so its saved values are kept.
        * A leaf is where gradients are collected. Changing it in place would change the very value the
          gradient refers to, so PyTorch forbids it unless recording is off (`with torch.no_grad():`).
        """,
        zh="""
        * `backward()` 与 `autograd.grad()` 用的是同一个引擎。`backward` 把梯度**累积**到它经过的每个叶子张量的 `.grad`
          （所以梯度会累积，需要清零）；`grad` 只把你要的那几个输入的梯度**返回**出来，哪里也不写。
        * 反向传播本身也是一段计算：每个节点把传进来的梯度乘上局部导数。平时这些乘法是在关闭记录的情况下做的，
          结果只是普通的数。`create_graph=True` 让反向传播时也打开记录，于是梯度有了自己的计算图，
          再对它求导就得到二阶导数。
        * `retain_graph` 默认等于 `create_graph`：既然要为梯度建图，多半还要再走一遍原来的图，所以保留中间结果。
        * 叶子张量是收集梯度的地方。原地修改它，就改掉了梯度所对应的那个值，因此 PyTorch 禁止这样做，
          除非关闭了记录（`with torch.no_grad():`）。
        """,
    ),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "second-derivative",
        task=md(
            en="""
            **1.** For $y = x^3$ at $x = 3$, what is the second derivative $\\frac{d^2y}{dx^2}$?

            <details><summary>Hint</summary>Differentiate twice by hand. `create_graph=True` is what lets
            autograd do the same: it records the first backward pass so that it can be differentiated.</details>
            """,
            zh="""
            **1.** 对于 $y = x^3$，在 $x = 3$ 处的二阶导数 $\\frac{d^2y}{dx^2}$ 是多少？

            <details><summary>提示</summary>手工求两次导。`create_graph=True` 让 autograd 也能这样做：
            它把第一次反向传播记录下来，好对它再求导。</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([3.], requires_grad=True)
y = x ** 3
first, = torch.autograd.grad(y, x, create_graph=True)
second, = torch.autograd.grad(first, x)
check(answer, second, "second-derivative")
""",
        solution="answer = 18.0",
        explain=md(
            en="""
            $\\frac{dy}{dx} = 3x^2$ (27 at $x = 3$), and $\\frac{d^2y}{dx^2} = 6x = 18$. `first` is a tensor
            with a graph of its own (`grad_fn=<MulBackward0>`), so `autograd.grad` can differentiate it again.
            """,
            zh="""
            $\\frac{dy}{dx} = 3x^2$（在 $x = 3$ 处是 27），$\\frac{d^2y}{dx^2} = 6x = 18$。`first` 是一个自带计算图的张量
            （`grad_fn=<MulBackward0>`），所以 `autograd.grad` 可以再对它求导。
            """,
        ),
        mistakes=[
            mistake(27, en="27 is the first derivative, 3x². The second derivative differentiates 3x² once more.",
                    zh="27 是一阶导数 3x²。二阶导数要对 3x² 再求一次导。"),
            mistake(6, en="6 is the coefficient of 6x; evaluate it at x = 3.",
                    zh="6 只是 6x 的系数，还要代入 x = 3。"),
        ],
    ),
    *exercise(
        "grad-leaves-dot-grad",
        task=md(
            en="""
            **2. Predict, then run.** Back to $y = (w + x)(w + 1)$ at $w = 2$, $x = 3$. The cell calls
            `torch.autograd.grad(y, w)`. What is `w.grad` afterwards? Write down your prediction, then run the
            cell: the check shows the real `w.grad`.

            <details><summary>Hint</summary>Where does `autograd.grad` put the gradient it computes?</details>
            """,
            zh="""
            **2. 先预测，再运行。** 回到 $y = (w + x)(w + 1)$，$w = 2$，$x = 3$。这个单元格调用了
            `torch.autograd.grad(y, w)`。之后 `w.grad` 是什么？先写下你的预测，再运行单元格：检查会显示真实的 `w.grad`。

            <details><summary>提示</summary>`autograd.grad` 算出的梯度放在了哪里？</details>
            """,
        ),
        code="""
answer = ...

w = torch.tensor([2.], requires_grad=True)
x = torch.tensor([3.], requires_grad=True)
y = torch.mul(torch.add(w, x), torch.add(w, 1))
dy_dw, = torch.autograd.grad(y, w)
check(answer, w.grad, "grad-leaves-dot-grad")
""",
        solution="answer = None",
        explain=md(
            en="""
            `autograd.grad` *returns* the gradient (here `tensor([8.])`) and writes nothing into `.grad`,
            so `w.grad` is still `None`, as it was before any backward pass. That makes `autograd.grad`
            the tool for a gradient you want to compute with, without disturbing `.grad`.
            """,
            zh="""
            `autograd.grad` 把梯度**返回**出来（这里是 `tensor([8.])`），不往 `.grad` 里写任何东西，
            所以 `w.grad` 仍然是 `None`，和还没做过反向传播时一样。想拿梯度去做进一步计算、又不想打扰 `.grad` 时，
            就用 `autograd.grad`。
            """,
        ),
        mistakes=[
            mistake(8, en="8 is what autograd.grad returns, not what it stores: it leaves .grad alone.",
                    zh="8 是 autograd.grad 返回的值，而不是它存下的值：它不会动 .grad。"),
            mistake(0, en=".grad does not start at 0: before anything writes into it, it is None.",
                    zh=".grad 并不是从 0 开始的：在有东西写进去之前，它是 None。"),
        ],
        predict=True,
    ),
    *exercise(
        "backward-twice",
        task=md(
            en="""
            **3.** $y = x \\cdot x$ at $x = 3$, and `torch.autograd.backward(y, retain_graph=True)` is called
            **twice** without zeroing in between. What is `x.grad`?

            <details><summary>Hint</summary>What does the first pass leave in `.grad`, and what does the
            second pass do with what is already there?</details>
            """,
            zh="""
            **3.** $y = x \\cdot x$，$x = 3$，连续**两次**调用 `torch.autograd.backward(y, retain_graph=True)`，
            中间不清零。`x.grad` 是多少？

            <details><summary>提示</summary>第一次反向传播在 `.grad` 里留下了什么？第二次又怎样对待已经在那里的值？</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([3.], requires_grad=True)
y = x * x
torch.autograd.backward(y, retain_graph=True)
torch.autograd.backward(y, retain_graph=True)
check(answer, x.grad, "backward-twice")
""",
        solution="answer = 12.0",
        explain=md(
            en="""
            Each pass computes $\\frac{dy}{dx} = 2x = 6$ and *adds* it to `x.grad`: $6 + 6 = 12$.
            `torch.autograd.backward` is what `y.backward()` calls, and it accumulates just the same.
            """,
            zh="""
            每次都算出 $\\frac{dy}{dx} = 2x = 6$，并把它**加**到 `x.grad` 上：$6 + 6 = 12$。
            `y.backward()` 背后调用的就是 `torch.autograd.backward`，它同样会累积梯度。
            """,
        ),
        mistakes=[
            mistake(6, en="6 is one backward pass; .grad accumulates across passes.",
                    zh="6 只是一次反向传播的结果；.grad 会在多次反向传播之间累积。"),
            mistake(36, en="the two passes add their gradients, they do not multiply them.",
                    zh="两次反向传播的梯度是相加，不是相乘。"),
        ],
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** The cell below is the second derivative again, printing `first` and then
            `second` (or the error). Delete `, create_graph=True` from the first `autograd.grad` call and run
            it. What changes in the way `first` is printed, what does the second call say, and why?
            """,
            zh="""
            **4. 探究。** 下面的单元格又是求二阶导数，依次打印 `first` 和 `second`（或者错误）。把第一次调用
            `autograd.grad` 时的 `, create_graph=True` 删掉，运行。`first` 的打印结果有什么变化？第二次调用说了什么？为什么？
            """,
        ),
        code="""
x = torch.tensor([3.], requires_grad=True)
y = x ** 3
first, = torch.autograd.grad(y, x, create_graph=True)
print(first)
try:
    second, = torch.autograd.grad(first, x)
    print(second)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
""",
        explain=md(
            en="""
            Without `create_graph=True`, `first` prints as `tensor([27.])`, with no `grad_fn`: the backward
            pass ran unrecorded, so the gradient is a plain number with no history. The second call then
            fails with `element 0 of tensors does not require grad and does not have a grad_fn`: there is no
            graph from `first` back to `x` to differentiate.
            """,
            zh="""
            去掉 `create_graph=True` 后，`first` 打印为 `tensor([27.])`，没有 `grad_fn`：反向传播没有被记录，
            梯度只是一个没有来历的数。于是第二次调用报错
            `element 0 of tensors does not require grad and does not have a grad_fn`：从 `first` 到 `x`
            没有可以求导的计算图。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * `torch.autograd.backward(tensors, grad_tensors, retain_graph, create_graph)` is what `y.backward()`
          calls; it adds gradients into `.grad` (the tutorial's `gard_tensors` is a typo).
        * `torch.autograd.grad(outputs, inputs)` returns the gradients instead and leaves `.grad` alone.
        * `create_graph=True` records the backward pass, so a gradient has a graph and can be differentiated
          again: second derivatives, and more.
        * Gradients accumulate; nodes computed from leaves require grad; leaves refuse in-place changes.

        Next: in-place operations, and how autograd notices that a value it saved was changed.
        """,
        zh="""
        * `torch.autograd.backward(tensors, grad_tensors, retain_graph, create_graph)` 就是 `y.backward()`
          背后调用的函数；它把梯度累积到 `.grad` 里（教程里的 `gard_tensors` 是笔误）。
        * `torch.autograd.grad(outputs, inputs)` 则把梯度返回出来，不碰 `.grad`。
        * `create_graph=True` 会记录反向传播过程，于是梯度也有计算图，可以继续求导：二阶导数乃至更高阶。
        * 梯度会累积；由叶子张量算出的张量需要梯度；叶子张量拒绝原地修改。

        下一课：原地操作，以及 autograd 如何发现它保存的值被改过。
        """,
    ),
]
