"""Lesson 05: switching the recording off — no_grad, detach, .data, requires_grad_ (seeds 000, 004)."""

from lesson import code, comments_in_english, exercise, exercises_intro, investigate, md, mistake, section, selfcheck

TITLE = {"en": "Stopping the tape: no_grad, detach, .data", "zh": "暂停记录：no_grad、detach 与 .data"}

SEED_CELLS = [
    ("000_16b12d1a36660901.txt", "print((x ** 2).requires_grad)", "no_grad: the tutorial's script"),
    ("004_6a046a34fe0ce8e2.txt", "print((x**2).requires_grad)", "no_grad: the tutorial's notebook"),
    ("000_16b12d1a36660901.txt", "# .detach()", "detach: the tutorial's script"),
    ("004_6a046a34fe0ce8e2.txt", "# 或者使用Tensor.detach()", "detach: the tutorial's notebook"),
    ("000_16b12d1a36660901.txt", 'print("a.requires_grad:", a.requires_grad)', "requires_grad_: the script"),
    ("004_6a046a34fe0ce8e2.txt", "# 不同于torch.rand()", "requires_grad_: the notebook"),
]

CELLS = [
    section("goal"),
    md(
        en="""
        So far every operation on a tensor that requires grad was written down in the graph. That
        recording costs memory and time, and sometimes it is simply wrong: when you evaluate a model,
        when you update its weights, or when one value should count as a constant. This lesson shows
        three ways to keep operations off the record, and one switch that works the other way:

        * `with torch.no_grad():` — nothing inside the block is recorded;
        * `x.detach()` — the same numbers as `x`, cut off from the graph;
        * `x.data` — the older way to get at the numbers, and why it is risky;
        * `requires_grad_()` — switches recording *on* for a tensor that already exists (and off again,
          but only for a leaf).

        On the way you will also meet `x.eq(y).all()`, a quick test that two tensors hold the same values.
        """,
        zh="""
        到目前为止，只要张量需要梯度，作用在它上面的每一步运算都会被记进计算图。记录要花内存和时间，
        而且有时候根本不该记：比如评估模型、更新权重，或者希望某个量被当作常数。本课介绍让运算“不上账”的三种办法，以及一个作用相反的开关：

        * `with torch.no_grad():` —— 代码块里的运算一律不记录；
        * `x.detach()` —— 数值与 `x` 相同，但与计算图断开；
        * `x.data` —— 取出数值的老办法，以及它为什么有风险；
        * `requires_grad_()` —— 给已经存在的张量**打开**记录（也能再关掉，但只限叶子张量）。

        顺带还会认识 `x.eq(y).all()`：快速判断两个张量的值是否完全相同。
        """,
    ),
    md(
        en="""
        The tutorials continue from the vector `x` of the previous lesson (three random numbers that
        require grad). We make a fresh one, seeding the random generator so everyone sees the same numbers:
        """,
        zh="""
        教程接着使用上一课的向量 `x`（三个需要梯度的随机数）。这里重新创建一个，并固定随机种子，
        让每个人看到的数都一样：
        """,
    ),
    code("""
import minigrad as torch
from widgets import GraphView, draw

torch.manual_seed(0)
x = torch.randn(3, requires_grad = True)
x
"""),
    section("code", "no_grad", "no_grad"),
    md(
        en="""
        `x ** 2` depends on `x`, so it requires grad too. The same expression inside a
        `with torch.no_grad():` block does not:
        """,
        zh="""
        `x ** 2` 依赖于 `x`，所以它也需要梯度。同样的表达式放进 `with torch.no_grad():` 代码块里，就不需要了：
        """,
    ),
    code("""
# .requires_grad
print(x.requires_grad)
print((x ** 2).requires_grad)

with torch.no_grad():
    print((x ** 2).requires_grad)
"""),
    md(
        en="""
        Another tutorial, written as a notebook, runs the same check. Its comments say why the flag is on at
        all: `x` switched it on when it was created, and everything computed from `x` inherits it until
        `no_grad()` pauses the recording.
        """,
        zh="""
        另一篇以 notebook 形式写成的教程做了同样的检查。注释点明了开关从何而来：`x` 创建时就打开了它，
        由 `x` 算出的一切都会继承这个开关，直到 `no_grad()` 把记录暂停。
        """,
    ),
    code("""
# x在上一个cell开了requires_grad，所以在它基础计算的Tensor自然也都是开了追踪
# 除非有no_grad()暂时把追踪关闭
print(x.requires_grad)
print((x**2).requires_grad)

with torch.no_grad():
    print((x**2).requires_grad)
"""),
    comments_in_english("""
        x switched on requires_grad in the previous cell, so the tensors computed from it naturally track too,
        unless `no_grad()` switches tracking off for a while.
        """),
    section("graph"),
    md(
        en="""
        Compute the square twice, once normally and once under `no_grad`, and draw both results in one
        picture. The recorded one hangs from `x` through a `PowBackward0` node; the other one stands
        alone: it has no `grad_fn`, so nothing leads from it back to `x`.
        """,
        zh="""
        把平方算两次，一次正常计算，一次放在 `no_grad` 里，再把两个结果画在同一张图上。
        被记录的那个通过 `PowBackward0` 节点连到 `x`；另一个孤零零地待着：它没有 `grad_fn`，
        也就没有任何路径能回到 `x`。
        """,
    ),
    code("""
recorded = x ** 2
with torch.no_grad():
    unrecorded = x ** 2
print(recorded.grad_fn, unrecorded.grad_fn)
draw(recorded, unrecorded, names={"x": x, "recorded": recorded, "unrecorded": unrecorded})
"""),
    md(
        en="""
        `no_grad` changes the **grad mode** of the running program (strictly, of the current thread), not a
        property of the tensors: `x` still requires grad, and recording resumes as soon as the block ends.
        You can read the grad mode with `torch.is_grad_enabled()`, and use `torch.no_grad()` as a decorator
        to switch it off for a whole function:
        """,
        zh="""
        `no_grad` 改变的是程序当前的**梯度模式**（严格说是当前线程的），而不是张量的属性：`x` 仍然需要梯度，
        代码块一结束记录就恢复。可以用 `torch.is_grad_enabled()` 查看梯度模式，也可以把 `torch.no_grad()` 当作装饰器，
        让整个函数都不记录：
        """,
    ),
    code("""
print(torch.is_grad_enabled())
with torch.no_grad():
    print(torch.is_grad_enabled())
print(torch.is_grad_enabled())

@torch.no_grad()
def predict(t):
    return t * 10

print(predict(x).requires_grad)
"""),
    section("code", "detach", "detach"),
    md(
        en="""
        `no_grad` works on a block of code; `detach()` works on one tensor. It returns a tensor with the
        same values that does not require grad, and `x.eq(y).all()` confirms the values are equal
        (`eq` compares element by element, `all` asks whether every comparison came out true):
        """,
        zh="""
        `no_grad` 作用于一段代码；`detach()` 作用于单个张量。它返回一个数值相同、但不需要梯度的张量，
        `x.eq(y).all()` 可以确认两者的值相等（`eq` 逐个元素比较，`all` 检查是否每一处都相等）：
        """,
    ),
    code("""
# .detach()
print(x.requires_grad)
y = x.detach()
print(y.requires_grad)
print(x.eq(y).all())
"""),
    md(
        en="The notebook tutorial's version of the same cell, with comments on `eq` and `all`:",
        zh="notebook 版教程里的同一个单元格，注释解释了 `eq` 和 `all`：",
    ),
    code("""
# 或者使用Tensor.detach()，返回的值与x一样但是不再具有追踪功能
print(x.requires_grad)
y = x.detach()
print(y.requires_grad)
# Tensor0.eq(Tensor1) 与torch.eq()一样，会返回一个elementwise的BoolTensor
# BoolTensor.all()会返回另一个boolTensor，如果BoolTensor全部都是True，它也返回一个True,否则只要有一个是False就返回一个False
print(x.eq(y).all())
"""),
    comments_in_english("""
        * Or use `Tensor.detach()`: the value it returns is the same as x, but it no longer tracks.
        * `Tensor0.eq(Tensor1)`, like `torch.eq()`, returns an elementwise BoolTensor.
        * `BoolTensor.all()` returns another BoolTensor: True if the BoolTensor is all True, and False as soon
          as one element is False.
        """),
    md(
        en="""
        `y` is a leaf with no history, and `x` is untouched. But `detach()` copies nothing: both tensors
        look at the same memory. Change the detached tensor in place and the original changes with it:
        """,
        zh="""
        `y` 是没有历史的叶子张量，`x` 也原封未动。不过 `detach()` 并不复制数据：两个张量看的是同一块内存。
        原地修改分离出来的张量，原张量也跟着变：
        """,
    ),
    code("""
p = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
q = p.detach()
print(q.is_leaf, q.grad_fn)
q.zero_()
print(p)
"""),
    section("code", "requires_grad_", "requires_grad_"),
    md(
        en="""
        The opposite direction: a tensor computed without recording can start recording later.
        `requires_grad_(True)` (the trailing underscore means "changes the tensor itself") turns the
        flag on; from then on, operations on `a` are recorded. `a` comes from `randn`, so the cell seeds the
        generator first.
        """,
        zh="""
        反过来也可以：一个计算时没有记录的张量，之后也能开始记录。`requires_grad_(True)`
        （结尾的下划线表示“原地修改张量本身”）把开关打开，此后对 `a` 的运算都会被记录。
        `a` 来自 `randn`，所以单元格第一行先固定随机种子。
        """,
    ),
    code("""
torch.manual_seed(0)
# --------------------
# .requires_grad_() 能够改变一个已经存在的 Tensor 的 `requires_grad`
# --------------------
a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print("a.requires_grad", a.requires_grad)
a.requires_grad_(True)
print("a.requires_grad:", a.requires_grad)
b = (a * a).sum()
print("b.grad_fn", b.grad_fn)
"""),
    comments_in_english("""
        `.requires_grad_()` can change the `requires_grad` of a Tensor that already exists.
        """),
    md(
        en="The notebook version also prints `b` itself (same seed, so the same `a`):",
        zh="notebook 版本还打印了 `b` 本身（种子相同，所以 `a` 也相同）：",
    ),
    code("""
torch.manual_seed(0)
# 不同于torch.rand()，这里生成的是从N(0,1) Gaussian Distribution采样的Tensor
a = torch.randn(2,2)
a = ((a * 3) / (a - 1))
# requires_grad 这个flag by default 是 false的
print(a.requires_grad)
# Tensor.requires_grad_()能将Tensor.requires_grad这个flag改变，如True，就开始追踪，有grad_fn
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b)
print(b.grad_fn)
"""),
    comments_in_english("""
        * Unlike `torch.rand()`, this draws a Tensor from the N(0,1) Gaussian distribution.
        * The `requires_grad` flag is false by default.
        * `Tensor.requires_grad_()` changes the `Tensor.requires_grad` flag; with True it starts tracking and
          has a `grad_fn`.
        """),
    md(
        en="""
        Look at the graph of `b`: it starts at `a`. The multiplication and division that produced `a` are
        not in it, because nothing was recording when they ran, so `a` is a leaf: the backward pass ends
        there, and the next cell finds its gradient in `a.grad`. (`view.freeze()` shows the moment before
        that backward; press step to watch the walk reach `a`.)
        """,
        zh="""
        看看 `b` 的计算图：它从 `a` 开始。算出 `a` 的乘法和除法不在图里，因为它们运行时没有任何记录，
        所以 `a` 是叶子张量：反向传播到它为止，下一个单元格会在 `a.grad` 里找到它的梯度。
        （`view.freeze()` 显示的是那次反向传播之前的样子；按“单步”看反向传播怎样走到 `a`。）
        """,
    ),
    code("""
view = GraphView(b, names={"a": a, "b": b})
view.freeze()
"""),
    code("""
a.grad = None
b.backward(retain_graph=True)  # keeps the graph, so the cell can run again
print(a.is_leaf)
print(a.grad.eq(2 * a).all())
"""),
    md(
        en="""
        $b = \\sum a_{ij}^2$, so $\\partial b / \\partial a_{ij} = 2a_{ij}$, and the check prints `tensor(True)`.
        A tensor in the middle of a graph gets its flag from its inputs. `requires_grad_(True)` on it changes
        nothing (it already requires grad), but switching the flag *off* is refused: its gradient is needed
        on the way to the leaves. PyTorch raises an error whose message suggests `detach()`:
        """,
        zh="""
        $b = \\sum a_{ij}^2$，所以 $\\partial b / \\partial a_{ij} = 2a_{ij}$，检查结果是 `tensor(True)`。
        图中间的张量，其开关由输入决定。对它调用 `requires_grad_(True)` 什么也不会改变（它本来就需要梯度），
        但要把开关**关掉**却不行：梯度还要经过它传到叶子张量。PyTorch 会直接报错，错误信息建议改用 `detach()`：
        """,
    ),
    code("""
try:
    (a * 2).requires_grad_(False)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    section("example", ".data", ".data"),
    md(
        en="""
        Older code (including the doubling loop of the last lesson, `y.data.norm()`) uses `.data` to get at
        a tensor's values. Like `detach()` it gives a tensor that shares memory and has no history, and for
        *reading* values the two are interchangeable. The difference shows when you *write*.

        Below, `c = b * b` saves `b` for its backward pass (the derivative of $b^2$ is $2b$). Then `b` is
        changed in place through `.data`. Autograd does not notice, and the gradient comes out wrong without
        any warning: it should be $\\partial c / \\partial a = 8a = [8, 16, 24]$.
        """,
        zh="""
        老代码里常用 `.data` 取张量的数值（上一课翻倍循环里的 `y.data.norm()` 就是）。它和 `detach()`
        一样，给出一个共享内存、没有历史的张量；如果只是**读**数值，两者可以互换。区别出现在**写**的时候。

        下面 `c = b * b` 为反向传播保存了 `b`（$b^2$ 的导数是 $2b$）。接着通过 `.data` 原地修改 `b`。
        autograd 毫无察觉，梯度就这样悄无声息地算错了：正确答案应该是 $\\partial c / \\partial a = 8a = [8, 16, 24]$。
        """,
    ),
    code("""
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
c = b * b
b.data.add_(1)
c.sum().backward()
print(a.grad)
"""),
    md(
        en="""
        The same change made through `detach()` is caught: when backward needs the saved `b`, it sees that
        `b` was modified after it was saved, and refuses to compute a wrong answer (lesson 07 explains how it
        knows):
        """,
        zh="""
        同样的修改如果通过 `detach()` 来做，就会被发现：反向传播要用保存下来的 `b` 时，发现 `b` 在保存之后被改过，
        于是拒绝给出错误的结果（第 07 课会讲它是怎么知道的）：
        """,
    ),
    code("""
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
c = b * b
b.detach().add_(1)
try:
    c.sum().backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    section("why"),
    md(
        en="""
        * Recording is decided **when an operation runs**: if grad mode is on and an input requires grad,
          the result gets a `grad_fn`. `no_grad()` turns grad mode off for a block, so its results have no
          `grad_fn` and `requires_grad=False`; the inputs are not changed.
        * Use `no_grad()` where gradients are never needed: evaluating a model, and updating its weights
          (`w -= lr * w.grad` must not itself become part of the graph; lesson 12 does exactly this).
        * `detach()` gives a view of one tensor outside the graph. In a formula it acts as a **constant**:
          gradients do not flow through it. It shares memory with the original, and also its version
          counter, which counts in-place changes (lesson 07).
        * `.data` also shares memory but not the version counter, so autograd cannot see changes made
          through it.
          Prefer `detach()` (to read or cut) and `no_grad()` (to modify).
        * `requires_grad_(True)` makes an existing tensor start recording. Whatever happened to it before is
          not in the graph; the tensor becomes the start of a new one.
        """,
        zh="""
        * 记不记录，是在**运算执行的那一刻**决定的：如果梯度模式打开、且有输入需要梯度，结果就会带上 `grad_fn`。
          `no_grad()` 在一个代码块里关闭梯度模式，于是块内结果没有 `grad_fn`，`requires_grad=False`；输入本身不受影响。
        * 凡是用不到梯度的地方都可以用 `no_grad()`：评估模型，以及更新权重
          （`w -= lr * w.grad` 这一步本身不能进入计算图；第 12 课正是这样做的）。
        * `detach()` 把单个张量从图中分离出来。放在公式里，它相当于一个**常数**：梯度不会穿过它流回去。
          它与原张量共享内存，也共享记录原地修改次数的版本计数器（第 07 课）。
        * `.data` 同样共享内存，却不共享版本计数器，所以 autograd 看不到通过它做的修改。
          读取或切断用 `detach()`，修改用 `no_grad()`，更稳妥。
        * `requires_grad_(True)` 让一个已有的张量开始记录。它之前经历过什么都不在图里，
          它成了一张新图的起点。
        """,
    ),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "no-grad-result",
        task=md(
            en="""
            **1. Predict, then run.** `x` requires grad. Inside `no_grad`, `z = x * 3`. Does `z` require grad?
            Write down your prediction (`True` or `False`), then run the cell: the check shows the real
            `z.requires_grad`.

            <details><summary>Hint</summary>Recording is decided when an operation runs. What is the grad
            mode while this one runs?</details>
            """,
            zh="""
            **1. 先预测，再运行。** `x` 需要梯度。在 `no_grad` 里计算 `z = x * 3`。`z` 需要梯度吗？
            先写下你的预测（`True` 或 `False`），再运行单元格：检查会显示 `z.requires_grad` 的真实值。

            <details><summary>提示</summary>记不记录，是在运算执行的那一刻决定的。这次运算执行时，梯度模式是什么？</details>
            """,
        ),
        code="""
answer = ...

with torch.no_grad():
    z = x * 3
check(answer, z.requires_grad, "no-grad-result")
""",
        solution="answer = False",
        explain=md(
            en="""
            Grad mode is off inside the block, so `x * 3` is not recorded: `z` has no `grad_fn` and does not
            require grad, although its input does. `x` itself is unchanged (`x.requires_grad` is still
            `True`).
            """,
            zh="""
            代码块里梯度模式是关闭的，所以 `x * 3` 不会被记录：`z` 没有 `grad_fn`，也不需要梯度，尽管它的输入需要。
            `x` 本身不受影响（`x.requires_grad` 仍然是 `True`）。
            """,
        ),
        mistakes=[mistake(
            True,
            en="outside the block it would be, since x requires grad. Inside no_grad nothing is recorded, "
               "whatever the inputs.",
            zh="在代码块外面确实如此，因为 x 需要梯度。但在 no_grad 里，不管输入是什么，一律不记录。",
        )],
        predict=True,
    ),
    *exercise(
        "detached-factor",
        task=md(
            en="""
            **2.** Let $s = 2$ and `loss = s * s.detach()`. What is `s.grad` after `loss.backward()`?
            (Without `detach` it would be $2s = 4$.)

            <details><summary>Hint</summary>What is the detached factor, as far as autograd knows?</details>
            """,
            zh="""
            **2.** 设 $s = 2$，`loss = s * s.detach()`。`loss.backward()` 之后 `s.grad` 是多少？
            （如果没有 `detach`，结果是 $2s = 4$。）

            <details><summary>提示</summary>在 autograd 看来，分离出来的那个因子是什么？</details>
            """,
        ),
        code="""
answer = ...

s = torch.tensor(2.0, requires_grad=True)
loss = s * s.detach()
loss.backward()
check(answer, s.grad, "detached-factor")
""",
        solution="answer = 2.0",
        explain=md(
            en="""
            `s.detach()` is a constant with the value 2, so for autograd `loss` is $2 \\cdot s$, whose
            derivative is 2. Only one of the two factors carries a gradient back to `s`.
            """,
            zh="""
            `s.detach()` 是值为 2 的常数，所以在 autograd 眼里 `loss` 就是 $2 \\cdot s$，导数是 2。
            两个因子里只有一个会把梯度带回 `s`。
            """,
        ),
        mistakes=[
            mistake(4, en="4 is the gradient without detach (2s). The detached factor is a constant: no "
                          "gradient flows through it.",
                    zh="4 是没有 detach 时的梯度（2s）。分离出来的因子是常数：梯度不会穿过它。"),
            mistake(0, en="detach makes one factor a constant, but the other factor is still s itself: loss = 2 · s "
                          "depends on s.",
                    zh="detach 只让其中一个因子变成常数，另一个因子仍然是 s 本身：loss = 2 · s 依然依赖于 s。"),
        ],
    ),
    *exercise(
        "one-descent-step",
        task=md(
            en="""
            **3.** One step of gradient descent by hand: $w = 1$, `loss = (3 * w) ** 2`, learning rate 0.1.
            What is `w` after the update?

            <details><summary>Hint</summary>First the gradient of the loss at $w = 1$; then the update
            moves `w` by the learning rate times that gradient, in the direction that lowers the
            loss.</details>
            """,
            zh="""
            **3.** 手工做一步梯度下降：$w = 1$，`loss = (3 * w) ** 2`，学习率 0.1。更新之后 `w` 是多少？

            <details><summary>提示</summary>先算出损失在 $w = 1$ 处的梯度；更新就是让 `w` 朝着让损失变小的方向，
            移动“学习率乘以梯度”那么多。</details>
            """,
        ),
        code="""
answer = ...

w = torch.tensor(1.0, requires_grad=True)
loss = (3 * w) ** 2
loss.backward()
with torch.no_grad():
    w -= 0.1 * w.grad
check(answer, w, "one-descent-step")
""",
        solution="answer = -0.8",
        explain=md(
            en="""
            $\\text{loss} = 9w^2$, so the gradient is $18w = 18$ at $w = 1$, and the update is
            $w - 0.1 \\cdot 18 = -0.8$. It runs under `no_grad` so that the update is not recorded; `w`
            stays a leaf.
            """,
            zh="""
            $\\text{loss} = 9w^2$，所以在 $w = 1$ 处梯度是 $18w = 18$，更新后 $w - 0.1 \\cdot 18 = -0.8$。
            更新放在 `no_grad` 里，是为了不把这一步记进图里；`w` 仍然是叶子张量。
            """,
        ),
        mistakes=[
            mistake(18, en="18 is w.grad. The update subtracts the learning rate times the gradient from w.",
                    zh="18 是 w.grad。更新是从 w 中减去学习率乘以梯度。"),
            mistake(2.8, en="that step went uphill: gradient descent subtracts lr · grad, it does not add it.",
                    zh="这一步走反了：梯度下降是减去学习率乘以梯度，而不是加上。"),
            mistake(-17, en="the learning rate is missing: the step is 0.1 · 18, not 18.",
                    zh="漏掉了学习率：这一步走的是 0.1 · 18，而不是 18。"),
        ],
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** Below is the `.data` example again, printing the gradient or the error.
            Replace the line `b.data.add_(1)` with `b.detach().add_(1)` and run it; then with the two lines
            `with torch.no_grad():` and `    b.add_(1)`. Which of the three does autograd catch? What does
            that tell you about what `no_grad` switches off, and what it does not?
            """,
            zh="""
            **4. 探究。** 下面又是 `.data` 的例子，会打印梯度或者错误。把 `b.data.add_(1)` 这一行换成
            `b.detach().add_(1)`，运行；再换成两行 `with torch.no_grad():` 和 `    b.add_(1)`，运行。
            三种写法里 autograd 发现了哪几种？这说明 `no_grad` 关掉了什么，又没有关掉什么？
            """,
        ),
        code="""
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
c = b * b
b.data.add_(1)
try:
    c.sum().backward()
    print(a.grad)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
""",
        explain=md(
            en="""
            `.data` slips through and gives the wrong gradient `[12., 20., 28.]` (it uses the changed $b$).
            `detach()` and `no_grad()` are both caught with the "modified by an inplace operation" error:
            `b.add_(1)` under `no_grad` is not *recorded*, but it still changes `b` and bumps its version
            counter. `no_grad` switches off recording; it does not hide changes from the version check.
            That is why updating weights under `no_grad` is safe only once their backward pass is done.
            """,
            zh="""
            `.data` 蒙混过关，给出错误的梯度 `[12., 20., 28.]`（用的是改过的 $b$）。`detach()` 和 `no_grad()`
            都会被发现，报出 “modified by an inplace operation” 错误：`no_grad` 下的 `b.add_(1)` 不会被**记录**，
            但它确实改了 `b`，版本计数器也随之加一。`no_grad` 关掉的是记录，并不会对版本检查隐瞒修改。
            所以只有在反向传播做完之后，才能放心地在 `no_grad` 下更新权重。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * `with torch.no_grad():` — a block whose operations are not recorded (evaluation, weight updates).
        * `x.detach()` — the same values, outside the graph; a constant as far as gradients are concerned.
        * `x.data` — like `detach()`, but changes made through it are invisible to autograd: avoid writing through it.
        * `requires_grad_()` — switches recording on for an existing tensor, which becomes the start of a
          new graph; switching it off works on leaves only.
        * `x.eq(y).all()` — `tensor(True)` when every element matches.

        Next: `torch.autograd.backward` and `torch.autograd.grad`, and gradients of gradients.
        """,
        zh="""
        * `with torch.no_grad():` —— 代码块里的运算不记录（评估模型、更新权重）。
        * `x.detach()` —— 数值相同，但在图之外；对梯度来说它就是常数。
        * `x.data` —— 类似 `detach()`，但通过它做的修改 autograd 看不见：不要通过它写数据。
        * `requires_grad_()` —— 给已有的张量打开记录，它就成了一张新图的起点；关闭开关只对叶子张量有效。
        * `x.eq(y).all()` —— 所有元素都相等时得到 `tensor(True)`。

        下一课：`torch.autograd.backward` 与 `torch.autograd.grad`，以及梯度的梯度。
        """,
    ),
]
