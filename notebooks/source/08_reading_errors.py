"""Lesson 08: reading autograd's errors — the mistakes learners make, each run, its message read line by line,
and fixed."""

from lesson import code, exercise, exercises_intro, investigate, md, mistake, section, selfcheck

TITLE = {"en": "Reading autograd's errors", "zh": "读懂 autograd 的报错"}

SEED_CELLS = []

CELLS = [
    section("goal"),
    md(
        en="""
        Autograd's error messages are long and look alarming, but they are precise: each names what went
        wrong, which tensor it was, and usually the fix. This lesson makes the mistakes people actually
        make, one at a time, reads each message line by line, and fixes it:

        * a `.grad` that stays `None`, and `.numpy()` on a tensor that requires grad;
        * a running total that keeps every graph alive, and a backward pass through a graph already used;
        * in-place changes to a leaf and to a saved tensor (what "Variable" and "version" mean);
        * integer tensors, a gradient of the wrong shape, and `view` on a transposed tensor.

        Each failing cell catches its error and prints it as PyTorch 2.13 words it (with `minigrad.` where
        PyTorch says `torch.`), so the lesson runs top to bottom.
        """,
        zh="""
        autograd 的报错信息很长，乍一看有点吓人，但其实很精确：每条都说清了出了什么错、是哪个张量，
        通常连改法也写在里面。本课把大家最常犯的错误逐个犯一遍，逐句读懂报错，再把它改好：

        * `.grad` 一直是 `None`；对需要梯度的张量调用 `.numpy()`；
        * 一个累积损失的变量让所有计算图都留在内存里；对已经用过的计算图再做一次反向传播；
        * 原地修改叶子张量和被保存的张量（报错里的 “Variable” 和 “version” 是什么意思）；
        * 整数张量、形状不对的梯度，以及对转置后的张量调用 `view`。

        会出错的单元格都会捕获异常并原样打印，措辞和 PyTorch 2.13 一致（PyTorch 写 `torch.` 的地方，
        minigrad 写 `minigrad.`），所以整课可以从头运行到尾。
        """,
    ),
    section("example", "a .grad that stays None", ".grad 一直是 None"),
    md(
        en="""
        A weight should start small, so it is tempting to scale it right where it is made. The backward pass
        runs without complaint, but `w.grad` is `None`, and a warning explains why:
        """,
        zh="""
        权重的初始值应该小一些，于是很容易在创建它的同一行里顺手乘上一个小数。反向传播一声不吭地跑完了，
        `w.grad` 却是 `None`，一条警告道出了原因：
        """,
    ),
    code("""
import warnings
import minigrad as torch
from widgets import GraphView

# Warnings in one short line, without the temporary file name of the cell (as in lesson 01).
warnings.formatwarning = lambda message, category, *rest, **kw: f"{category.__name__}: {message}\\n"

torch.manual_seed(0)
x = torch.tensor([1.0, 2.0, 3.0])
w = torch.randn(3, requires_grad=True) * 0.01
loss = (w * x).sum()
loss.backward()
print(w.grad)
"""),
    md(
        en="""
        Read it a sentence at a time. *"The .grad attribute of a Tensor that is not a leaf Tensor is being
        accessed"*: `w` is not a leaf. *"Its .grad attribute won't be populated during autograd.backward()"*:
        backward fills `.grad` only on leaves. *"If you access the non-leaf Tensor by mistake, make sure you
        access the leaf Tensor instead"*: that is our case. The leaf is the tensor `randn` made, and
        `* 0.01` made `w` the result of an operation, with a `grad_fn`.
        """,
        zh="""
        一句一句地读。“The .grad attribute of a Tensor that is not a leaf Tensor is being accessed”：
        `w` 不是叶子张量。“Its .grad attribute won't be populated during autograd.backward()”：
        反向传播只给叶子张量填 `.grad`。“If you access the non-leaf Tensor by mistake, make sure you access
        the leaf Tensor instead”：说的正是我们的情况。真正的叶子张量是 `randn` 创建的那个，
        而 `* 0.01` 让 `w` 变成了一个运算的结果，带着 `grad_fn`。
        """,
    ),
    section("graph"),
    md(
        en="""
        The graph shows it: the leaf sits above `w`, under a name the widget made up (`leaf0`), and it is
        the one holding the gradient. `w` is just the output of `MulBackward0`:
        """,
        zh="""
        计算图一目了然：叶子张量在 `w` 的上方，名字是组件临时起的（`leaf0`），梯度就在它那里。
        `w` 只是 `MulBackward0` 的输出：
        """,
    ),
    code("""
print(w.is_leaf, w.grad_fn)
GraphView(loss, names={"x": x, "w": w, "loss": loss})
"""),
    md(
        en="""
        The fix: make the small numbers first, then ask for gradients, so that `w` is the leaf
        (`nn.Parameter`, lesson 12, does the same):
        """,
        zh="""
        改法：先算出这些小数，再让它需要梯度，这样 `w` 本身就是叶子张量（第 12 课的 `nn.Parameter` 也是这样做的）：
        """,
    ),
    code("""
torch.manual_seed(0)
w = (torch.randn(3) * 0.01).requires_grad_()
loss = (w * x).sum()
loss.backward()
print(w.is_leaf, w.grad)
"""),
    section("example", "numpy() on a tensor that requires grad", "对需要梯度的张量调用 numpy()"),
    md(
        en="""
        To plot or print the weights you reach for numpy. *"Can't call numpy() on Tensor that requires
        grad"*: a numpy array cannot record operations, so anything computed from it would silently drop
        out of the graph. *"Use tensor.detach().numpy() instead"*: `detach()` (lesson 05) says you know the
        history is left behind. `.item()` (one number) and `.tolist()` need no `detach()`: they give plain
        Python numbers, which nobody would mistake for part of a graph.
        """,
        zh="""
        想画图或打印权重时，你会想到 numpy。“Can't call numpy() on Tensor that requires grad”：
        numpy 数组不会记录运算，用它算出的任何东西都会悄悄地离开计算图。“Use tensor.detach().numpy() instead”：
        用 `detach()`（第 05 课）表明你知道计算历史会被丢下。`.item()`（单个数）和 `.tolist()` 不需要 `detach()`：
        它们给出的是普通的 Python 数，谁也不会把它们当成计算图的一部分。
        """,
    ),
    code("""
try:
    w.numpy()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
print(w.detach().numpy(), loss.item())
"""),
    section("why", "leaves and .grad", "叶子张量与 .grad"),
    md(
        en="""
        * `.grad` is written only on leaves that require grad: tensors you created yourself, not results of
          operations. Check `w.is_leaf` when a `.grad` is `None`.
        * Values leave autograd's world as numpy arrays (after `detach()`) or as Python numbers (`.item()`,
          `.tolist()`); either way, what you compute from them is no longer recorded.
        """,
        zh="""
        * 只有需要梯度的叶子张量才会被写入 `.grad`：由你直接创建，而不是某个运算的结果。`.grad` 是 `None` 时，
          先看看 `w.is_leaf`。
        * 数值可以作为 numpy 数组（先 `detach()`）或 Python 数（`.item()`、`.tolist()`）离开 autograd 的世界；
          无论哪种，用它们算出的东西都不再被记录。
        """,
    ),
    section("example", "a running total that keeps every graph", "一个把所有计算图都留住的累积损失"),
    md(
        en="""
        A loop that adds up the loss of every batch, to report the average, raises nothing. But look at what
        it prints: `total_loss` has a `grad_fn`. It is a tensor in the graph, not a number:
        """,
        zh="""
        一个把每批数据的损失加起来、好报告平均损失的循环，不会报任何错。但看看它打印了什么：`total_loss`
        带着 `grad_fn`，它是计算图里的一个张量，而不是一个数：
        """,
    ),
    code("""
w = torch.tensor([0.5], requires_grad=True)
batches = [torch.tensor([1.0]), torch.tensor([2.0]), torch.tensor([3.0])]
total_loss = 0
for batch in batches:
    loss = ((w * batch - 1) ** 2).sum()
    total_loss += loss
print(total_loss)
"""),
    section("graph"),
    md(
        en="""
        Each `+=` joined one more loss's graph to the total. As long as `total_loss` lives, every one of
        these graphs stays in memory, with the tensors its nodes saved; over ten thousand batches that is
        ten thousand graphs. PyTorch's FAQ calls this "accumulating history across your training loop".
        """,
        zh="""
        每次 `+=` 都把又一个损失的计算图接到了总和上。只要 `total_loss` 还在，这些计算图就全都留在内存里，
        连同各节点保存的张量；一万批数据就是一万张计算图。PyTorch 的 FAQ 管这叫 “accumulating history across
        your training loop”（在训练循环中不断累积历史）。
        """,
    ),
    code("""
GraphView(total_loss, names={"w": w, "total_loss": total_loss})
"""),
    md(
        en="The fix is `.item()`: add plain Python numbers, and each graph can go as soon as its loss is done.",
        zh="改法是 `.item()`：加的是普通的 Python 数，每个损失用完，它的计算图就可以释放了。",
    ),
    code("""
total_loss = 0
for batch in batches:
    loss = ((w * batch - 1) ** 2).sum()
    total_loss += loss.item()
print(total_loss, type(total_loss))
"""),
    section("example", "backward through a graph already used", "对用过的计算图再做反向传播"),
    md(
        en="""
        Here `h` is computed once, before the loop, and each step builds a new `loss` on top of it. The first
        backward works; the second fails, although `loss` itself is new:
        """,
        zh="""
        这里 `h` 在循环之前只算了一次，每一步都在它上面搭一个新的 `loss`。第一次反向传播没问题；
        第二次却失败了，虽然 `loss` 本身是新的：
        """,
    ),
    code("""
w = torch.tensor([0.5], requires_grad=True)
x = torch.tensor([2.0])
h = w * x
for step in range(2):
    loss = (h ** 2).sum()
    try:
        loss.backward()
        print("step", step, "w.grad =", w.grad)
    except RuntimeError as e:
        print(f"{type(e).__name__}: {e}")
"""),
    md(
        en="""
        *"Trying to backward through the graph a second time (or directly access saved tensors after they
        have already been freed)"*: the new `loss` leads back through `h`'s `MulBackward0`, which ran in
        step 0 and, as *"Saved intermediate values of the graph are freed when you call .backward()"* says,
        dropped the `x` it had saved. The suggested `retain_graph=True` would silence the error; the real fix
        is to compute `h` inside the loop, so that each step has a graph of its own.
        """,
        zh="""
        “Trying to backward through the graph a second time (or directly access saved tensors after they have
        already been freed)”：新的 `loss` 要经过 `h` 的 `MulBackward0` 往回走，而这个节点在第 0 步已经运行过，
        并且正如 “Saved intermediate values of the graph are freed when you call .backward()” 所说，丢掉了它保存的 `x`。
        照报错的建议加上 `retain_graph=True` 确实不再报错，但真正的改法是把 `h` 挪进循环里算，让每一步都有自己的计算图。
        """,
    ),
    section("why", "graphs are built, used and freed", "计算图的建立、使用与释放"),
    md(
        en="""
        * Every forward pass builds a new graph; it lives as long as some tensor refers to its output, so
          keep totals and logs as numbers (`.item()`).
        * `backward()` frees what the nodes saved as it goes. A second pass through the same nodes finds
          nothing to work with: rebuild the graph, or, if you really need it twice, `retain_graph=True`.
        """,
        zh="""
        * 每次前向计算都会建立一张新的计算图；只要还有张量引用着它的输出，它就一直活着，所以累积的总和和日志要用数
          （`.item()`）。
        * `backward()` 一边走一边释放节点保存的张量。再经过同样的节点时已经无从计算：重新建图；如果真的需要两次，
          才用 `retain_graph=True`。
        """,
    ),
    section("example", "in-place changes to a leaf", "原地修改叶子张量"),
    md(
        en="""
        The update of a hand-written training step, `w -= lr * w.grad`, is an in-place operation on a leaf.
        *"a leaf Variable that requires grad is being used in an in-place operation"*: read **Variable**
        (PyTorch's name for such tensors before version 0.4) as "tensor", and the message describes `w`
        exactly: a leaf, requiring grad, changed in place (`-=` is `sub_`). `w` is left unchanged. The fix
        is lesson 07's: update under `torch.no_grad()`.
        """,
        zh="""
        手写训练步骤里的更新 `w -= lr * w.grad`，是对叶子张量的原地操作。
        “a leaf Variable that requires grad is being used in an in-place operation”：
        把 **Variable**（PyTorch 0.4 以前对这类张量的叫法）读作“张量”，这句话就把 `w` 描述得分毫不差：叶子张量、需要梯度、
        被原地修改（`-=` 就是 `sub_`）。`w` 没有被改动。改法就是第 07 课的：在 `torch.no_grad()` 下更新。
        """,
    ),
    code("""
w = torch.tensor([0.5, -1.0], requires_grad=True)
(w ** 2).sum().backward()
try:
    w -= 0.1 * w.grad
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
print(w)
with torch.no_grad():
    w -= 0.1 * w.grad
print(w)
"""),
    section("example", "in-place changes to a saved tensor", "原地修改被保存的张量"),
    md(
        en="""
        `exp` saves its result for backward (the derivative of $e^a$ is $e^a$). Changing that result in place
        is allowed, until backward needs it:
        """,
        zh="""
        `exp` 会为反向传播保存自己的结果（$e^a$ 的导数还是 $e^a$）。原地修改这个结果是允许的，直到反向传播要用它：
        """,
    ),
    code("""
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a.exp()
b += 1
try:
    b.sum().backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
b = a.exp()
b = b + 1
b.sum().backward()
print(a.grad)
"""),
    md(
        en="""
        *"one of the variables needed for gradient computation"*: a tensor some node saved. *"[minigrad.FloatTensor
        [3]]"*: its type (float32) and shape. *"which is output 0 of Exp"*: the operation that made it, so it
        is `b`. *"is at version 1; expected version 0"*: `b._version` (lesson 07) is 1 now, and was 0 when
        `exp` saved it: one in-place change since. The out-of-place `b = b + 1` makes a new tensor and leaves
        the saved one alone.
        """,
        zh="""
        “one of the variables needed for gradient computation”：某个节点保存的一个张量。“[minigrad.FloatTensor
        [3]]”：它的类型（float32）和形状。“which is output 0 of Exp”：产生它的运算，所以说的就是 `b`。
        “is at version 1; expected version 0”：`b._version`（第 07 课）现在是 1，而 `exp` 保存它时是 0：
        之后被原地修改过一次。非原地的 `b = b + 1` 会生成一个新张量，不去碰被保存的那个。
        """,
    ),
    section("example", "types and shapes", "类型与形状"),
    md(
        en="""
        Three errors that are about the tensors rather than the graph. *"Only Tensors of floating point and
        complex dtype can require gradients"*: `[1, 2, 3]` makes an `int64` tensor, and a gradient measures
        the change for a tiny nudge, which whole numbers cannot take (lesson 00). Write `1.0` or pass
        `dtype=torch.float32`:
        """,
        zh="""
        接下来三个错误与计算图无关，而与张量本身有关。“Only Tensors of floating point and complex dtype can
        require gradients”：`[1, 2, 3]` 生成的是 `int64` 张量，而梯度衡量的是微小扰动带来的变化，
        整数没法做微小的扰动（第 00 课）。写成 `1.0`，或者传入 `dtype=torch.float32`：
        """,
    ),
    code("""
try:
    steps = torch.tensor([1, 2, 3], requires_grad=True)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
steps = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
print(steps.dtype)
"""),
    md(
        en="""
        *"Mismatch in shape: grad_output[0] has a shape of ... and output[0] has a shape of ..."*: the `v` you
        pass to `y.backward(v)` is the gradient of output 0, `y`, so it must have `y`'s shape (lesson 04).
        `torch.ones_like(y)` always does:
        """,
        zh="""
        “Mismatch in shape: grad_output[0] has a shape of ... and output[0] has a shape of ...”：
        传给 `y.backward(v)` 的 `v` 就是第 0 个输出 `y` 的梯度，所以它的形状必须和 `y` 一样（第 04 课）。
        `torch.ones_like(y)` 一定符合：
        """,
    ),
    code("""
x = torch.ones(2, 3, requires_grad=True)
y = x * 2
try:
    y.backward(torch.ones(3, 2))
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
y.backward(torch.ones_like(y))
print(x.grad)
"""),
    md(
        en="""
        *"view size is not compatible with input tensor's size and stride"*: `view` never copies; it reads
        the same memory with a new shape. After `t()` the elements are no longer stored in the order you read
        them (`m.t()` reads 0, 3, 1, 4, … from memory holding 0, 1, 2, 3, …), so no view can flatten it.
        *"Use .reshape(...) instead"*: `reshape` copies when it must; so does `.contiguous().view(...)`.
        """,
        zh="""
        “view size is not compatible with input tensor's size and stride”：`view` 从不复制数据，只是用新的形状去读
        同一块内存。`t()` 之后，元素在内存里的顺序已经不是你读它们的顺序了（内存里是 0, 1, 2, 3, …，
        `m.t()` 要按 0, 3, 1, 4, … 来读），所以没有哪个 view 能把它展平。“Use .reshape(...) instead”：
        `reshape` 在必要时会复制；`.contiguous().view(...)` 也一样。
        """,
    ),
    code("""
m = torch.arange(6.0).reshape(2, 3)
try:
    m.t().view(6)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
print(m.t().reshape(6))
print(m.t().contiguous().view(6))
"""),
    section("why", "how to read any autograd error", "怎样读懂任何一条 autograd 报错"),
    md(
        en="""
        * The first clause says *what* failed; the bracketed part names the tensor (type, shape, the
          operation that made it, its version); the last sentence is usually the fix.
        * "Variable" means tensor; "leaf" means `is_leaf`; "version" is `_version`, the count of in-place
          changes; "grad_output" is a gradient flowing into a node, one per output.
        * A suggested fix (`retain_graph=True`, `.reshape`) makes the error go away; ask whether it is the
          change you mean before you take it.
        """,
        zh="""
        * 第一句说的是*什么*失败了；方括号里指明是哪个张量（类型、形状、产生它的运算、版本号）；
          最后一句通常就是改法。
        * “Variable” 就是张量；“leaf” 就是 `is_leaf`；“version” 就是 `_version`，即原地修改的次数；
          “grad_output” 是流进某个节点的梯度，每个输出一个。
        * 报错建议的改法（`retain_graph=True`、`.reshape`）都能让报错消失；采纳之前，先想想它是不是你真正想要的改动。
        """,
    ),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "version-in-the-message",
        task=md(
            en="""
            **1. Predict, then run.** `b` below is changed in place twice before backward. Which version will
            the error message say `b` is at? Write your prediction as the answer, run the cell, then run the
            next one and read the message.

            <details><summary>Hint</summary>Which operations after `b = a.exp()` changed `b` itself?</details>
            """,
            zh="""
            **1. 先预测，再运行。** 下面的 `b` 在反向传播之前被原地修改了两次。报错会说 `b` 处在哪个版本？
            把你的预测写成答案，运行单元格，再运行下一个单元格，读一读报错。

            <details><summary>提示</summary>`b = a.exp()` 之后，哪些运算改动了 `b` 本身？</details>
            """,
        ),
        code="""
answer = ...

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.exp()
b.mul_(2)
b.add_(1)
check(answer, b._version, "version-in-the-message")
""",
        solution="answer = 2",
        explain=md(
            en="""
            `b` is made at version 0, and `mul_` and `add_` each add 1: version 2. `exp` saved its output
            `b` at version 0, so the message says *"is at version 2; expected version 0 instead"*.
            """,
            zh="""
            `b` 创建时是版本 0，`mul_` 和 `add_` 各加 1：版本 2。`exp` 保存了版本 0 的输出 `b`，
            所以报错说 “is at version 2; expected version 0 instead”。
            """,
        ),
        mistakes=[
            mistake(0, en="0 is the version exp saved (the message's \"expected version 0\"). b itself has been "
                          "changed since.",
                    zh="0 是 exp 保存下来时的版本（报错里的 “expected version 0”）。b 本身此后又被改过了。"),
            mistake(1, en="both mul_ and add_ change b in place; each counts.",
                    zh="mul_ 和 add_ 都原地修改了 b；每次都要计数。"),
            mistake(3, en="creating b with exp is not an in-place change: b starts at version 0.",
                    zh="用 exp 创建 b 不算原地修改：b 从版本 0 开始。"),
        ],
        predict=True,
    ),
    md(
        en="Now run the backward pass and find the version in the message:",
        zh="现在运行反向传播，在报错里找到版本号：",
    ),
    code("""
try:
    b.sum().backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    *exercise(
        "who-gets-grad",
        task=md(
            en="""
            **2.** Which of these tensors will receive a `.grad` from backward? Give the letters as a set,
            such as `{"a"}`.

            * a: `torch.zeros(3, requires_grad=True) + 1`
            * b: `torch.zeros(3).requires_grad_()`
            * c: `torch.zeros(3, requires_grad=True).double()`
            * d: `torch.zeros(3, dtype=torch.float64, requires_grad=True)`

            <details><summary>Hint</summary>For each one, ask what the *last* thing on the line is: an
            operation that makes a new tensor, or the tensor you created?</details>
            """,
            zh="""
            **2.** 下面哪些张量会在反向传播时得到 `.grad`？用集合写出字母，比如 `{"a"}`。

            * a：`torch.zeros(3, requires_grad=True) + 1`
            * b：`torch.zeros(3).requires_grad_()`
            * c：`torch.zeros(3, requires_grad=True).double()`
            * d：`torch.zeros(3, dtype=torch.float64, requires_grad=True)`

            <details><summary>提示</summary>对每一个，看这一行**最后**做的是什么：是产生新张量的运算，
            还是你创建的那个张量本身？</details>
            """,
        ),
        code="""
answer = ...

candidates = {
    "a": torch.zeros(3, requires_grad=True) + 1,
    "b": torch.zeros(3).requires_grad_(),
    "c": torch.zeros(3, requires_grad=True).double(),
    "d": torch.zeros(3, dtype=torch.float64, requires_grad=True),
}
check(answer, {name for name, t in candidates.items() if t.is_leaf and t.requires_grad}, "who-gets-grad")
""",
        solution='answer = {"b", "d"}',
        explain=md(
            en="""
            `b` and `d` are leaves that require grad. `a` is the result of `+ 1` and `c` of `.double()`, a
            conversion that is recorded like any operation (`ToCopyBackward0`): both are non-leaves, and
            their leaves (the tensors `zeros` made) have no name you could read `.grad` from.
            `requires_grad_()` changes the very tensor `zeros` made, so `b` stays a leaf.
            """,
            zh="""
            `b` 和 `d` 是需要梯度的叶子张量。`a` 是 `+ 1` 的结果，`c` 是 `.double()` 的结果，而类型转换也和其他运算一样
            会被记录（`ToCopyBackward0`）：两者都不是叶子张量，它们的叶子张量（`zeros` 创建的那个）又没有名字，
            无从读取 `.grad`。`requires_grad_()` 改的就是 `zeros` 创建的那个张量本身，所以 `b` 仍是叶子张量。
            """,
        ),
        mistakes=[
            mistake({"b", "c", "d"}, en=".double() is an operation: c is the float64 copy it returns, a non-leaf. "
                                        "Create the tensor with dtype=torch.float64 instead, as d does.",
                    zh=".double() 也是运算：c 是它返回的 float64 副本，不是叶子张量。要像 d 那样，创建时就传 "
                       "dtype=torch.float64。"),
            mistake({"d"}, en="requires_grad_() switches the flag on the tensor zeros made, it does not compute a "
                              "new one: b is a leaf that requires grad.",
                    zh="requires_grad_() 是在 zeros 创建的张量上打开开关，并不会算出新张量：b 是需要梯度的叶子张量。"),
            mistake({"a", "b", "c", "d"}, en="a and c are results of operations (+ 1, .double()): backward does not "
                                             "fill .grad on non-leaves.",
                    zh="a 和 c 是运算（+ 1、.double()）的结果：反向传播不会给非叶子张量填 .grad。"),
        ],
    ),
    *investigate(
        task=md(
            en="""
            **3. Investigate.** The cell below is the running total again; it prints what kind of thing
            `total_loss` is and whether it requires grad. Change `total_loss += loss` to
            `total_loss += loss.detach()` and run it; then try `total_loss += loss.item()`. What is
            `total_loss` each time, and which versions keep the graphs alive?
            """,
            zh="""
            **3. 探究。** 下面的单元格又是那个累积损失的循环，它打印 `total_loss` 是什么类型、是否需要梯度。
            把 `total_loss += loss` 改成 `total_loss += loss.detach()`，运行；再试试 `total_loss += loss.item()`。
            每次 `total_loss` 是什么？哪些写法会让计算图一直留着？
            """,
        ),
        code="""
total_loss = 0
for batch in batches:
    loss = ((w * batch - 1) ** 2).sum()
    total_loss += loss
print(type(total_loss).__name__, total_loss, getattr(total_loss, "requires_grad", None))
""",
        explain=md(
            en="""
            With `loss` the total is a tensor with `grad_fn=<AddBackward0>` that requires grad: it holds on
            to every graph. With `loss.detach()` it is still a tensor, `tensor(…)`, but with no `grad_fn` and
            `requires_grad=False`: each graph can be freed. With `loss.item()` it is a plain Python `float`
            (and `getattr` finds no `requires_grad`). Both fixes work; `.item()` gives a number to print,
            `detach()` keeps a tensor (on a GPU it avoids copying the number to the CPU at every step).
            """,
            zh="""
            用 `loss` 时，总和是一个带 `grad_fn=<AddBackward0>`、需要梯度的张量：它抓住了每一张计算图。
            用 `loss.detach()` 时，它仍是张量 `tensor(…)`，但没有 `grad_fn`，`requires_grad=False`：
            每张计算图都可以释放。用 `loss.item()` 时，它是普通的 Python `float`（`getattr` 也找不到 `requires_grad`）。
            两种改法都行；`.item()` 得到一个可以直接打印的数，`detach()` 保留张量（在 GPU 上可以避免每一步都把数复制到 CPU）。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * `.grad` is `None`: the tensor is not a leaf (`* 0.01`, `.double()` after `requires_grad=True`).
        * `.numpy()` needs `.detach()` first; running totals need `.item()`, or they keep every graph.
        * "backward through the graph a second time": a node already ran and freed what it saved; rebuild
          the graph rather than reaching for `retain_graph`.
        * "leaf Variable ... in-place": update leaves under `no_grad()`. "modified by an inplace operation ...
          version": a saved tensor was changed; compute out of place.
        * Gradients need floating point; `backward(v)` needs `v` shaped like the output; `view` needs
          contiguous memory, `reshape` does not.

        Next: hooks, `retain_grad` and frozen parameters, to look inside a backward pass and steer it.
        """,
        zh="""
        * `.grad` 是 `None`：这个张量不是叶子张量（`* 0.01`，或在 `requires_grad=True` 之后又 `.double()`）。
        * `.numpy()` 之前先 `.detach()`；累积损失要用 `.item()`，否则所有计算图都会被留住。
        * “backward through the graph a second time”：某个节点已经运行过，并释放了它保存的张量；重新建图，
          而不是急着加 `retain_graph`。
        * “leaf Variable ... in-place”：在 `no_grad()` 下更新叶子张量。“modified by an inplace operation ...
          version”：被保存的张量被改过了；改用非原地操作。
        * 梯度需要浮点数；`backward(v)` 的 `v` 要和输出同形；`view` 需要连续的内存，`reshape` 不需要。

        下一课：钩子（hook）、`retain_grad` 和冻结参数：看清反向传播的内部，并引导它。
        """,
    ),
]
