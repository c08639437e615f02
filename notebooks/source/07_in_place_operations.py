"""Lesson 07: in-place operations — y.t_() and grad_fn, leaves that refuse, the version counter (seed 004)."""

from lesson import code, comments_in_english, exercise, exercises_intro, investigate, md, mistake, runs_once, section, selfcheck

TITLE = {"en": "In-place operations and the version counter", "zh": "原地操作与版本计数器"}

SEED_CELLS = [
    ("004_6a046a34fe0ce8e2.txt", "# 像x.t_() 这种in-place operation不能在requires_grad=True中使用",
     "Setting up: a leaf"),
    ("004_6a046a34fe0ce8e2.txt", "y = x + 2\nprint(y)", "Setting up: y = x + 2"),
    ("004_6a046a34fe0ce8e2.txt", "# 所谓的grad_fn 就是创造这个Tensor的function", "Setting up: y.grad_fn"),
    ("004_6a046a34fe0ce8e2.txt", "print(y.t_())", "y.t_() changes grad_fn"),
    ("004_6a046a34fe0ce8e2.txt", "# 假如这里将表达式改成z = y * y.t_() * 3", "Computing on after t_()"),
    ("004_6a046a34fe0ce8e2.txt", "# Tensor.backward() 开始backpropagation", "Backward through TBackward1"),
    ("004_6a046a34fe0ce8e2.txt", "# 求出out对x的导数", "Backward through TBackward1"),
]

CELLS = [
    section("goal"),
    md(
        en="""
        Methods whose names end in an underscore (`t_`, `add_`, `mul_`, `zero_`, …) change a tensor in place
        instead of returning a new one. They save memory, but autograd has to be careful with them: the
        graph may have saved the old value for later. In this lesson you will see:

        * how an in-place operation on a recorded tensor becomes part of its history (`y.t_()` changes
          `y.grad_fn`);
        * why a leaf that requires grad refuses in-place operations, and how optimizers change leaves anyway;
        * the **version counter** that lets autograd notice when a value it saved was overwritten.
        """,
        zh="""
        名字以下划线结尾的方法（`t_`、`add_`、`mul_`、`zero_` 等）会原地修改张量，而不是返回一个新张量。
        它们节省内存，但 autograd 必须小心对待：计算图可能已经保存了旧值，留着反向传播时用。本课你将看到：

        * 对被记录的张量做原地操作，这一步会成为它历史的一部分（`y.t_()` 改变了 `y.grad_fn`）；
        * 为什么需要梯度的叶子张量拒绝原地操作，以及优化器又是如何照样修改叶子张量的；
        * **版本计数器**：autograd 靠它发现自己保存的值被改写了。
        """,
    ),
    section("code", "y.t_()", "y.t_()"),
    md(
        en="""
        We run the tutorial written as a notebook, from its first cell. `x` is a leaf: created directly, not
        computed. Its comment already warns that an in-place operation such as `x.t_()` cannot be used on it.
        """,
        zh="""
        从第一个单元格开始，运行那篇以 notebook 形式写成的教程。`x` 是叶子张量：它是直接创建的，不是算出来的。
        注释里已经提醒：像 `x.t_()` 这样的原地操作不能用在它身上。
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
    md(
        en="""
        Here is the graph so far. Keep it in mind: after the next cell there will be one more node.
        """,
        zh="""
        这是目前的计算图。记住它的样子：运行下一个单元格之后，图里会多出一个节点。
        """,
    ),
    code("""
from widgets import GraphView, draw
draw(y, names={"x": x, "y": y})
"""),
    md(
        en="""
        `y.t_()` transposes `y` in place. The values do not change (every entry is 3), but the `grad_fn`
        printed with it does: it was `AddBackward0`, now it is the node of the transpose. The tutorial
        printed `TBackward`, the name older PyTorch versions used; PyTorch 2.13 calls it `TBackward1`.
        """,
        zh="""
        `y.t_()` 原地把 `y` 转置。数值没变（每个元素都是 3），但一起打印出来的 `grad_fn` 变了：
        原来是 `AddBackward0`，现在成了转置操作的节点。教程里打印的是 `TBackward`，那是旧版 PyTorch 的名字；
        PyTorch 2.13 叫它 `TBackward1`。
        """,
    ),
    code("""
print(y)
print(y.t_())
"""),
    section("graph"),
    md(
        en="""
        The same tensor object `y` now sits one step further down the graph. The in-place transpose was
        recorded like any other operation, on top of the addition:
        """,
        zh="""
        还是同一个张量对象 `y`，但它在图里往下挪了一步。原地转置和其他运算一样被记录了下来，接在加法之后：
        """,
    ),
    code("""
print(y.grad_fn.next_functions)
GraphView(y, names={"x": x, "y": y}, versions=True, live=False)  # this moment: later cells change x
"""),
    md(
        en="""
        The tutorial's notebook carries on from here. Its comment makes a good point: `y * y.t_() * 3`
        would **not** multiply `y` by its transpose, because `t_()` changes `y` itself before the product
        is computed, so both factors are the same tensor. The backward pass simply goes through
        `TBackward1` on its way to `x`, and the gradient is the familiar 4.5 of lesson 03 (the transpose
        node just transposes the gradient back):
        """,
        zh="""
        教程的 notebook 从这里继续往下算。它的注释说得很好：`y * y.t_() * 3` **不会**得到 `y` 乘以它的转置，
        因为 `t_()` 在乘法之前就已经改掉了 `y` 本身，两个因子其实是同一个张量。反向传播途经 `TBackward1`
        回到 `x`，得到的梯度就是第 03 课里熟悉的 4.5（转置节点只是把梯度再转置回去）：
        """,
    ),
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
    code("""
# Tensor.backward() 开始backpropagation
out.backward()
GraphView(out, names={"x": x, "y": y, "z": z, "out": out}, live=False)
"""),
    runs_once(),
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
    section("example", "leaves refuse in-place operations", "叶子张量拒绝原地操作"),
    md(
        en="""
        Now try what the comment in the first cell warned about. In PyTorch each of these lines raises the
        same error, whatever the operation:
        """,
        zh="""
        现在试试第一个单元格的注释所警告的操作。在 PyTorch 里，下面每一行都会抛出同样的错误，不管是哪种运算：
        """,
    ),
    code("""
for change in (lambda: x.t_(), lambda: x.add_(1), lambda: x.zero_()):
    try:
        change()
    except RuntimeError as e:
        print(f"{type(e).__name__}: {e}")
print(x)
"""),
    md(
        en="""
        `x` is unchanged. Updating a leaf is still what training does, of course; an optimizer does it with
        recording switched off, as in lesson 05. Then the change is not part of any graph, and it is allowed:
        """,
        zh="""
        `x` 原封未动。当然，训练本来就是在更新叶子张量；优化器的做法是先关掉记录，就像第 05 课那样。
        这样修改不属于任何计算图，也就被允许了：
        """,
    ),
    code("""
print(x._version)
with torch.no_grad():
    x.sub_(0.1 * x.grad)
print(x)
print(x._version, x.is_leaf, x.grad_fn)
"""),
    section("example", "the version counter", "版本计数器"),
    md(
        en="""
        `x._version` above went from 0 to 1. Every tensor carries such a counter, and every in-place
        operation increments it. Nodes that save a tensor for their backward pass also note its version at
        that moment. Here `c = b * b` saves `b` (it needs $2b$ later) at version 0; then `b.add_(1)` bumps
        `b` to version 1:
        """,
        zh="""
        上面 `x._version` 从 0 变成了 1。每个张量都带着这样一个计数器，每做一次原地操作就加一。
        节点为反向传播保存张量时，也会记下它当时的版本号。这里 `c = b * b` 保存了 `b`（之后要用到 $2b$），
        版本是 0；随后 `b.add_(1)` 把 `b` 的版本推到了 1：
        """,
    ),
    code("""
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
c = b * b
print(b._version)
b.add_(1)
print(b._version)
"""),
    md(
        en="""
        The graph with versions and saved tensors switched on: the saved `b` was recorded at version 0,
        while `b` itself is now at version 1.
        """,
        zh="""
        打开版本号和已保存张量的显示再看计算图：保存下来的 `b` 记录的是版本 0，而 `b` 现在已经是版本 1 了。
        """,
    ),
    code("""
GraphView(c, names={"a": a, "b": b, "c": c}, versions=True, saved=True)
"""),
    md(
        en="""
        When backward reaches `MulBackward0` it compares the two numbers, finds they differ, and stops
        with the error below instead of computing a gradient from the wrong value. The message names the
        tensor (`output 0 of Add`: `b` was last changed by `add_`) and both versions.
        """,
        zh="""
        反向传播走到 `MulBackward0` 时会比较这两个版本号，发现不一致，就报出下面的错误，而不是拿错误的值去算梯度。
        错误信息指明了是哪个张量（`output 0 of Add`：`b` 最后一次是被 `add_` 改的）以及两个版本号。
        """,
    ),
    code("""
try:
    c.sum().backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    md(
        en="""
        Not every in-place operation is a problem, only those that overwrite a value some node saved.
        Addition needs no saved values (its derivative is 1), so changing `b` after `c = b + 1` is fine,
        and the in-place `mul_` simply becomes one more node on `b`'s history:
        """,
        zh="""
        并不是所有原地操作都有问题，只有改写了某个节点所保存的值才会出错。加法不需要保存任何值（它的导数是 1），
        所以在 `c = b + 1` 之后修改 `b` 没有关系，而原地的 `mul_` 只是在 `b` 的历史上多加了一个节点：
        """,
    ),
    code("""
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
c = b + 1
b.mul_(3)
c.sum().backward()
print(a.grad)
print(b.grad_fn, b.grad_fn.next_functions)
"""),
    section("why"),
    md(
        en="""
        * An in-place operation on a non-leaf is recorded like any other: the tensor keeps its identity, but
          its `grad_fn` moves to the new node (`AddBackward0` → `TBackward1`), and the old node becomes its input.
        * A leaf that requires grad is the thing you differentiate with respect to. If an in-place operation
          on it were recorded, the leaf would stop being a leaf, and the value its gradient refers to would be
          gone. So PyTorch refuses; under `torch.no_grad()` nothing is recorded, and the change is allowed.
        * Backward often needs values from the forward pass: `b * b` needs `b`, `exp` needs its result. Rather
          than copy them, nodes keep references and remember each tensor's version. Every in-place operation
          increments the version, so a mismatch at backward time means the saved value was overwritten, and
          autograd raises instead of returning a wrong gradient.
        * Writing through `.data` does not bump the version (lesson 05): that is exactly why it is risky.
        """,
        zh="""
        * 对非叶子张量的原地操作和其他运算一样会被记录：张量还是那个张量，但它的 `grad_fn` 换成了新节点
          （`AddBackward0` → `TBackward1`），原来的节点成了新节点的输入。
        * 需要梯度的叶子张量，正是我们求导时的自变量。如果对它的原地操作被记录下来，它就不再是叶子张量，
          梯度所对应的那个值也没了。所以 PyTorch 直接拒绝；在 `torch.no_grad()` 里什么都不记录，修改就被允许。
        * 反向传播常常需要前向计算时的值：`b * b` 需要 `b`，`exp` 需要它的结果。节点不复制这些值，而是保留引用，
          并记下每个张量当时的版本号。每次原地操作都会让版本号加一，所以反向传播时版本对不上，就说明保存的值被改写了，
          autograd 宁可报错也不返回错误的梯度。
        * 通过 `.data` 写入不会增加版本号（第 05 课）：这正是它危险的原因。
        """,
    ),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "version-count",
        task=md(
            en="""
            **1.** `t = torch.zeros(3)`, then `t.add_(1)`, `t.mul_(2)`, `t.zero_()`. What is `t._version`?

            <details><summary>Hint</summary>What exactly does the version counter count? Go through the
            lines one at a time.</details>
            """,
            zh="""
            **1.** `t = torch.zeros(3)`，然后依次执行 `t.add_(1)`、`t.mul_(2)`、`t.zero_()`。`t._version` 是多少？

            <details><summary>提示</summary>版本计数器到底数的是什么？一行一行地过一遍。</details>
            """,
        ),
        code="""
answer = ...

t = torch.zeros(3)
t.add_(1)
t.mul_(2)
t.zero_()
check(answer, t._version, "version-count")
""",
        solution="answer = 3",
        explain=md(
            en="""
            A new tensor starts at version 0, and each in-place operation adds 1: `add_`, `mul_` and
            `zero_` make 3. The counter counts changes, not values: `zero_()` brings back the original
            zeros, but it is still a change.
            """,
            zh="""
            新张量的版本从 0 开始，每次原地操作加 1：`add_`、`mul_`、`zero_` 一共 3 次。计数器数的是修改次数，
            而不是数值：`zero_()` 虽然让数值回到了最初的 0，但它仍然是一次修改。
            """,
        ),
        mistakes=[
            mistake(2, en="zero_() is an in-place operation too: it writes zeros into t, and that counts as a "
                          "change, even though t ends where it started.",
                    zh="zero_() 也是原地操作：它把 0 写进 t，这也算一次修改，尽管 t 回到了最初的样子。"),
            mistake(0, en="the counter counts changes, not whether the values differ from the start: three "
                          "in-place operations ran.",
                    zh="计数器数的是修改的次数，而不是数值与开始时是否不同：这里执行了三次原地操作。"),
            mistake(4, en="creating the tensor does not count: a new tensor starts at version 0.",
                    zh="创建张量不算修改：新张量的版本从 0 开始。"),
        ],
    ),
    *exercise(
        "unsaved-input",
        task=md(
            en="""
            **2. Predict, then run.** `b = a * 2`, `c = b * 3`, then `b.mul_(10)`. The cell runs
            `c.sum().backward()`. Will it work? Write down `True` or `False`, then run the cell: the check
            shows what happened.

            <details><summary>Hint</summary>The version check guards what a node *saved* for its backward.
            What does the node of `b * 3` need to know to compute its gradient?</details>
            """,
            zh="""
            **2. 先预测，再运行。** `b = a * 2`，`c = b * 3`，然后 `b.mul_(10)`。这个单元格运行
            `c.sum().backward()`。它能成功吗？先写下 `True` 或 `False`，再运行单元格：检查会显示实际的结果。

            <details><summary>提示</summary>版本检查守护的是节点为反向传播**保存**下来的张量。`b * 3`
            的节点需要知道什么才能算出梯度？</details>
            """,
        ),
        code="""
answer = ...

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 2
c = b * 3
b.mul_(10)
try:
    c.sum().backward()
    works = True
except RuntimeError:
    works = False
check(answer, works, "unsaved-input")
""",
        solution="answer = True",
        explain=md(
            en="""
            $\\partial (3b) / \\partial b = 3$: the node of `b * 3` needs only the constant 3, so it saved
            nothing from `b`, and changing `b` afterwards harms no one. The error appears only when a node
            saved the tensor that was changed (the next task shows one).
            """,
            zh="""
            $\\partial (3b) / \\partial b = 3$：`b * 3` 的节点只需要常数 3，并没有保存 `b`，所以之后修改 `b`
            不会妨碍任何人。只有当节点保存了被修改的那个张量时，才会报错（下一题就是这样的例子）。
            """,
        ),
        mistakes=[mistake(
            False,
            en="an in-place change only breaks backward when a node saved the changed tensor. The node of "
               "b * 3 needs just the constant 3.",
            zh="只有当某个节点保存了被修改的张量时，原地修改才会让反向传播出错。b * 3 的节点只需要常数 3。",
        )],
        predict=True,
    ),
    *exercise(
        "in-place-recorded",
        task=md(
            en="""
            **3.** In-place operations on non-leaves are part of the graph. With $a = [1, 2]$, `b = a * 2`,
            then `b.mul_(3)` and `b.sum().backward()`: what is `a.grad`? Answer with a list.

            <details><summary>Hint</summary>`mul_` on a non-leaf is recorded like any other operation:
            follow the chain from the final `b` back to `a`.</details>
            """,
            zh="""
            **3.** 对非叶子张量的原地操作也是计算图的一部分。设 $a = [1, 2]$，`b = a * 2`，再执行 `b.mul_(3)` 和
            `b.sum().backward()`：`a.grad` 是多少？用列表作答。

            <details><summary>提示</summary>对非叶子张量做 `mul_`，和其他运算一样会被记录：沿着链从最后的 `b`
            走回 `a`。</details>
            """,
        ),
        code="""
answer = ...

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 2
b.mul_(3)
b.sum().backward()
check(answer, a.grad, "in-place-recorded")
""",
        solution="answer = [6.0, 6.0]",
        explain=md(
            en="""
            After `mul_`, `b` holds $6a$ and its `grad_fn` is the `MulBackward0` of the in-place
            multiplication, linked to the node of `a * 2`. The gradient passes both: $3 \\cdot 2 = 6$ per
            entry.
            """,
            zh="""
            `mul_` 之后，`b` 的值是 $6a$，它的 `grad_fn` 变成了这次原地乘法的 `MulBackward0`，再连到 `a * 2`
            的节点。梯度两个都要经过：每个元素 $3 \\cdot 2 = 6$。
            """,
        ),
        mistakes=[
            mistake([2.0, 2.0], en="that ignores b.mul_(3). On a non-leaf the in-place multiplication is recorded, "
                                   "and the gradient flows through it too.",
                    zh="这忽略了 b.mul_(3)。对非叶子张量的原地乘法会被记录，梯度也要经过它。"),
            mistake([3.0, 3.0], en="that is the in-place multiplication alone; b was a * 2 before it.",
                    zh="这只算了原地乘法那一步；在它之前 b 还是 a * 2。"),
        ],
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** The cell below is task 2 again, printing the versions of `b` and the result of
            backward. Change `c = b * 3` to `c = b * b` and run it; then try `c = b.exp()`. Which of them
            fail? For each, work out what the node saved.
            """,
            zh="""
            **4. 探究。** 下面的单元格还是第 2 题，打印了 `b` 的版本和反向传播的结果。把 `c = b * 3` 改成
            `c = b * b`，运行；再试试 `c = b.exp()`。哪些会失败？对每一种，想清楚节点保存了什么。
            """,
        ),
        code="""
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 2
c = b * 3
print("version before:", b._version)
b.mul_(10)
print("version after:", b._version)
try:
    c.sum().backward()
    print(a.grad)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
""",
        explain=md(
            en="""
            `b * b` fails: $\\partial (b^2)/\\partial b = 2b$, so its node saved `b` at version 0, and at
            backward time `b` is at version 1 ("is at version 1; expected version 0 instead").
            `b.exp()` works, although `exp` saves a tensor too: $\\frac{d}{db} e^b = e^b$, so it saves its
            *output* `c`, and only `b` was changed. The version check follows exactly what each node
            saved.
            """,
            zh="""
            `b * b` 会失败：$\\partial (b^2)/\\partial b = 2b$，所以它的节点保存了版本 0 的 `b`，而反向传播时 `b`
            已经是版本 1（“is at version 1; expected version 0 instead”）。`b.exp()` 却能成功，尽管 `exp`
            也保存了张量：$\\frac{d}{db} e^b = e^b$，它保存的是自己的**输出** `c`，而被修改的只是 `b`。
            版本检查严格按照每个节点保存了什么来进行。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * In-place methods end in `_`. On a recorded tensor they add a node, and `grad_fn` moves to it
          (`y.t_()`: `AddBackward0` → `TBackward1`).
        * Leaves that require grad refuse in-place operations; change them under `torch.no_grad()`, as optimizers do.
        * `tensor._version` counts in-place changes. Nodes remember the versions of what they saved, and
          backward raises "modified by an inplace operation" when they no longer match.

        Next: the errors autograd raises, in-place ones among them, read line by line.
        """,
        zh="""
        * 原地方法以 `_` 结尾。作用在被记录的张量上时，它会添加一个节点，`grad_fn` 随之移到新节点
          （`y.t_()`：`AddBackward0` → `TBackward1`）。
        * 需要梯度的叶子张量拒绝原地操作；要改它们，就像优化器那样放在 `torch.no_grad()` 里。
        * `tensor._version` 统计原地修改的次数。节点记得所保存张量的版本号，
          反向传播时对不上，就报 “modified by an inplace operation”。

        下一课：逐句读懂 autograd 的报错，原地操作引起的也在其中。
        """,
    ),
]
