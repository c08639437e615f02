"""Lesson 01: requires_grad, leaves, grad_fn, and which tensors take part (seeds 001, 004)."""

from lesson import code, comments_in_english, exercise, exercises_intro, investigate, md, mistake, section, selfcheck

TITLE = {"en": "Tensors that remember", "zh": "会记住来历的张量"}

SEED_CELLS = [
    ("001_c17695ba3ebeb67f.txt", "#pre", "Asking for gradients"),
    ("001_c17695ba3ebeb67f.txt", "b=t.zeros(3,4).requires_grad_()", "Asking for gradients"),
    ("001_c17695ba3ebeb67f.txt", "print(d.backward())", "Computing with them"),
    ("001_c17695ba3ebeb67f.txt", "print(a.grad)", "Who requires grad"),
    ("001_c17695ba3ebeb67f.txt", "print(a.is_leaf, b.is_leaf, c.is_leaf)", "Leaves"),
    ("001_c17695ba3ebeb67f.txt", "a=t.randn(3,4,requires_grad=True)", "Three ways, side by side"),
    ("001_c17695ba3ebeb67f.txt", "x=t.ones(2,2,requires_grad=True)", "grad_fn"),
    ("004_6a046a34fe0ce8e2.txt", "x = torch.ones(2,2, requires_grad=True)", "grad_fn"),
    ("004_6a046a34fe0ce8e2.txt", "y = x + 2", "grad_fn"),
    ("004_6a046a34fe0ce8e2.txt", "print(y.grad_fn)", "grad_fn"),
]

CELLS = [
    section("goal"),
    md(
        en="""
        Autograd can only differentiate what it has seen. In this lesson you meet the flag that makes a
        tensor visible to it, `requires_grad`, and the two things every tensor can tell you about its past:

        * `is_leaf`: did you create this tensor yourself, or is it the result of an operation?
        * `grad_fn`: if it is a result, which operation made it?

        You will also see the rule that decides which results need gradients, and why a result's own
        `.grad` stays empty.
        """,
        zh="""
        autograd 只能对它“看见”的计算求导。这一课先来认识让张量被看见的开关 `requires_grad`，
        以及每个张量都能回答的两个关于“来历”的问题：

        * `is_leaf`：这个张量是由你直接创建的，还是某个运算的结果？
        * `grad_fn`：如果是运算结果，是哪个运算产生了它？

        我们还会看到决定“哪些结果需要梯度”的规则，以及为什么运算结果自己的 `.grad` 是空的。
        """,
    ),
    section("code", "asking for gradients", "让张量需要梯度"),
    md(
        en="""
        This tutorial imports the library as `t`. Here `t` is minigrad, and we fix the random seed so the
        random numbers are the same every time you run the notebook (they are the same numbers PyTorch
        would draw with seed 0).
        """,
        zh="""
        这篇教程把库导入为 `t`。这里的 `t` 就是 minigrad。我们还固定了随机种子，
        这样每次运行 notebook 得到的随机数都一样（和 PyTorch 在种子 0 下抽到的数完全相同）。
        """,
    ),
    code("""
#pre
import minigrad as t
t.manual_seed(0)
print(t.__name__)
"""),
    md(
        en="""
        Two tensors that require gradients: `a` gets the flag when it is created, `b` gets it right after,
        from the in-place method `requires_grad_()` (the trailing underscore means "changes this tensor").
        The string in the middle lists the other spellings; we try them below.
        """,
        zh="""
        两个需要梯度的张量：`a` 在创建时就打开了开关，`b` 创建后立刻用原地方法 `requires_grad_()` 打开
        （方法名末尾的下划线表示“直接修改这个张量”）。中间那段字符串列出了另外几种写法，后面会逐一试。
        """,
    ),
    code("""
a=t.randn(3,4,requires_grad=True)
'''
其他形式：
    a=t.randn(3,4).requires_grad_()

    a=t.randn(3,4)
    a.requires_grad=True
'''
print(a)
b=t.zeros(3,4).requires_grad_()
print(b)
"""),
    comments_in_english("""
        `其他形式：` means "other forms": the string lists two more ways to write the first line.
        """),
    section("code", "computing with them", "用它们做计算"),
    md(
        en="""
        Add them, sum the result to a single number, and run the backward pass. `backward()` returns
        nothing (its work is filling in `.grad`), which is why the third line prints `None`.
        """,
        zh="""
        把两者相加，再求和成一个数，然后执行反向传播。`backward()` 本身没有返回值（它的工作是填写 `.grad`），
        所以第三行打印出 `None`。
        """,
    ),
    code("""
c=a+b
print(c)
d = c.sum()
print(d)
print(d.backward()) # 反向传播
print(d.requires_grad)
"""),
    comments_in_english("""
        `# 反向传播`: backpropagation.
        """),
    section("graph"),
    md(
        en="What was recorded on the way from `a` and `b` to `d`:",
        zh="从 `a`、`b` 到 `d`，一路上记录下了这些：",
    ),
    code("""
from widgets import GraphView
GraphView(d)
"""),
    md(
        en="""
        Read the picture from top to bottom: the blue boxes are the tensors you made (`a` and `b`), the grey
        boxes are the operations that were recorded (`AddBackward0`, `SumBackward0`), and the green box is
        the result `d`. The white box is `c`, hanging off the node that made it. `AccumulateGrad` is where
        a gradient arriving at a leaf is stored into its `.grad`: the leaves now show `grad`, all ones.
        """,
        zh="""
        从上往下读这张图：蓝色方框是你创建的张量（`a` 和 `b`），灰色方框是被记录下来的运算
        （`AddBackward0`、`SumBackward0`），绿色方框是结果 `d`。白色方框是 `c`，挂在产生它的节点旁边。
        `AccumulateGrad` 负责把传到叶子张量的梯度存进它的 `.grad`：现在两个叶子张量上都显示了 `grad`，全是 1。
        """,
    ),
    section("why", "who requires grad", "谁需要梯度"),
    code("""
print(a.grad) # 即对a求导

# 此处虽然没有指定c需要求导，但c依赖于a，而a需要求导，
# 因此c的requires_grad属性会自动设为True
print(a.requires_grad, b.requires_grad, c.requires_grad)
"""),
    comments_in_english("""
        * `# 即对a求导`: that is, the derivative with respect to a.
        * Although c was never asked to require grad, c depends on a, and a requires grad, so c's
          `requires_grad` is set to True automatically.
        """),
    md(
        en="""
        `a.grad` is all ones: $d = \\sum_{ij} (a_{ij} + b_{ij})$, and each entry of `a` appears in that sum
        exactly once, so nudging any one of them by $\\epsilon$ moves `d` by $\\epsilon$.

        Nobody set the flag on `c`, yet `c.requires_grad` is `True`. The rule is simple: **a result requires
        grad if any of its inputs does.** If `a` needs a gradient, so does everything computed from `a`,
        because the gradient has to travel back through it.
        """,
        zh="""
        `a.grad` 全是 1：$d = \\sum_{ij} (a_{ij} + b_{ij})$，`a` 的每个元素在这个和里恰好出现一次，
        所以把其中任意一个挪动 $\\epsilon$，`d` 也跟着变 $\\epsilon$。

        我们并没有给 `c` 打开开关，可 `c.requires_grad` 却是 `True`。规则很简单：**只要有一个输入需要梯度，
        运算结果就需要梯度。** `a` 要梯度，那么由 `a` 算出来的一切也都要，因为梯度得从它们身上一路传回来。
        """,
    ),
    section("why", "leaves", "叶子张量"),
    md(
        en="""
        A **leaf** is a tensor at the edge of the graph: one you created, not one an operation produced.
        Only leaves keep their gradient in `.grad`. A result like `c` passes its gradient on towards the
        leaves and does not keep it, so `c.grad` is `None`. PyTorch also prints a warning when you read
        the `.grad` of a non-leaf, because it is usually a mistake. (The next cell first tells Python to
        print warnings in one short line, without the temporary file name of the cell.)
        """,
        zh="""
        **叶子张量**（leaf）是位于图边缘的张量：由你创建，而不是由某个运算产生。只有叶子张量会把梯度保存在
        `.grad` 里。像 `c` 这样的中间结果只负责把梯度继续传给叶子张量，自己并不保留，所以 `c.grad` 是 `None`。
        读取非叶子张量的 `.grad` 时 PyTorch 还会给出警告，因为这通常是写错了。
        （下一个单元格先让 Python 把警告打印成简短的一行，不显示单元格的临时文件名。）
        """,
    ),
    code("""
import warnings
warnings.formatwarning = lambda message, category, *rest, **kw: f"{category.__name__}: {message}\\n"
warnings.warn("this is how a warning looks now")
"""),
    code("""
# 由用户创建的variable属于叶子节点，对应的grad_fn是None
print(a.is_leaf, b.is_leaf, c.is_leaf)

# c.grad是None, 因c不是叶子节点，它的梯度是用来计算a的梯度
# 所以虽然c.requires_grad = True,但其梯度计算完之后即被释放
print(c.grad is None)
"""),
    comments_in_english("""
        * A variable created by the user is a leaf, and its `grad_fn` is None.
        * `c.grad` is None because c is not a leaf: its gradient is only used to compute a's gradient, so
          although `c.requires_grad = True`, its gradient is freed once it has been used.
        """),
    md(
        en="""
        Tensors that do not require grad count as leaves too: no gradient will ever flow back into them, so
        there is no history worth keeping. Only the result of an operation on a tensor that requires grad is
        a non-leaf.
        """,
        zh="""
        不需要梯度的张量也算叶子张量：反正不会有梯度流回它们，也就没有什么“来历”值得记录。
        只有对需要梯度的张量做运算得到的结果，才是非叶子张量。
        """,
    ),
    code("""
p = t.ones(2)
q = t.ones(2, requires_grad=True)
print((p * 2).requires_grad, (p * 2).is_leaf)
print((p + q).requires_grad, (p + q).is_leaf)
"""),
    section("code", "three ways, side by side", "三种写法对比"),
    md(
        en="""
        The tutorial shows the first spelling again in its prose; together with the two in the string
        above, these are the three ways to ask for gradients. All three give the same kind of tensor:
        """,
        zh="""
        教程正文里又写了一遍第一种写法；加上前面字符串里的两种，一共就是让张量需要梯度的三种方式。
        三种写法得到的是同一种张量：
        """,
    ),
    code("""
a=t.randn(3,4,requires_grad=True)
print(a.requires_grad, a.is_leaf)
a=t.randn(3,4).requires_grad_()
print(a.requires_grad, a.is_leaf)
a=t.randn(3,4)
a.requires_grad=True
print(a.requires_grad, a.is_leaf)
"""),
    md(
        en="""
        In all three the flag goes on a *leaf*: `requires_grad_()` is applied to the fresh tensor
        `t.randn(3,4)` before anything is computed from it, and returns that same tensor. (A non-leaf gets
        its flag from its inputs; lesson 05 shows what happens if you try to switch it off.)
        """,
        zh="""
        三种写法都是把开关加在**叶子张量**上：`requires_grad_()` 作用在刚创建的 `t.randn(3,4)` 上，
        此时还没有用它算过任何东西，返回的也正是这个张量本身。（非叶子张量的开关由它的输入决定；
        如果硬要把它关掉会怎样，第 05 课会看到。）
        """,
    ),
    section("code", "grad_fn", "grad_fn"),
    md(
        en="""
        The tutorial ends with a 2×2 tensor of ones; a second tutorial starts from the same tensor and
        looks at `grad_fn`, so we continue with it (imported there as `torch`).
        """,
        zh="""
        这篇教程最后创建了一个 2×2 的全 1 张量；另一篇教程正好从同一个张量出发讲 `grad_fn`，
        我们就接着用它（那篇教程把库导入为 `torch`）。
        """,
    ),
    code("""
x=t.ones(2,2,requires_grad=True)
print(x)
"""),
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
        `y.grad_fn` is a node object, `AddBackward0`: the backward half of the addition that made `y`
        (the `0x…` part is its memory address and changes from run to run). It knows how to turn the
        gradient of `y` into gradients of the inputs, and it knows where to send them:
        `next_functions` lists one `(node, index)` pair per input. The first input, `x`, is a leaf, so its
        entry is `AccumulateGrad`, which holds `x` itself as `.variable`. The second input, the number 2,
        needs no gradient: `None`.
        """,
        zh="""
        `y.grad_fn` 是一个节点对象 `AddBackward0`，也就是产生 `y` 的那次加法的“反向部分”
        （`0x…` 是它的内存地址，每次运行都不同）。它知道怎样把 `y` 的梯度换算成输入的梯度，
        也知道该把梯度送到哪里：`next_functions` 为每个输入列出一对 `(节点, 序号)`。
        第一个输入 `x` 是叶子张量，对应的是 `AccumulateGrad`，它的 `.variable` 就是 `x` 本身；
        第二个输入是数字 2，不需要梯度，所以是 `None`。
        """,
    ),
    code("""
print(x.grad_fn)
print(y.grad_fn.name())
print(y.grad_fn.next_functions)
print(y.grad_fn.next_functions[0][0].variable is x)
GraphView(y)
"""),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "result-requires-grad",
        task=md(
            en="""
            **1. Predict, then run.** `u` requires grad, `v` does not. Does `u * v` require
            grad? Write down your prediction (`True` or `False`) as the answer, then run the cell: the check
            shows what `(u * v).requires_grad` really is.

            <details><summary>Hint</summary>Think about what a gradient of <code>u</code> would have to
            pass through.</details>
            """,
            zh="""
            **1. 先预测，再运行。** `u` 需要梯度，`v` 不需要。`u * v` 需要梯度吗？先把你的预测
            （`True` 或 `False`）写成答案，再运行单元格：检查会显示 `(u * v).requires_grad` 的真实值。

            <details><summary>提示</summary>想一想：`u` 的梯度要经过哪里才能回到 `u`？</details>
            """,
        ),
        code="""
answer = ...

u = torch.ones(3, requires_grad=True)
v = torch.ones(3)
check(answer, (u * v).requires_grad, "result-requires-grad")
""",
        solution="answer = True",
        explain=md(
            en="""
            A result requires grad as soon as *any* of its inputs does: the gradient of `u` has to flow
            back through `u * v`, so that product must be on the record. `v` gets no gradient, and that
            is all that `v.requires_grad == False` means.
            """,
            zh="""
            只要有**任何一个**输入需要梯度，结果就需要梯度：`u` 的梯度必须经过 `u * v` 流回来，
            所以这个乘积必须被记录下来。`v` 拿不到梯度，`v.requires_grad == False` 的意思仅此而已。
            """,
        ),
        mistakes=[mistake(
            False,
            en="that would be the rule if every input had to require grad. Here one does, and its gradient "
               "must flow back through u * v.",
            zh="如果要求所有输入都需要梯度，结果才需要梯度，那答案才是 False。这里有一个输入需要梯度，"
               "它的梯度必须经过 u * v 流回去。",
        )],
        predict=True,
    ),
    *exercise(
        "count-leaves",
        task=md(
            en="""
            **2.** Back in the first example: of `a`, `b`, `c` and `d`, how many are leaves? (The cell
            rebuilds them, since `a` was replaced above.)

            <details><summary>Hint</summary>For each tensor, ask: did I create it, or did an operation on
            tensors that require grad produce it?</details>
            """,
            zh="""
            **2.** 回到第一个例子：`a`、`b`、`c`、`d` 中有几个是叶子张量？（单元格会重新创建它们，
            因为 `a` 在前面被换掉了。）

            <details><summary>提示</summary>逐个问自己：这个张量是我直接创建的，还是对需要梯度的张量
            做运算得到的？</details>
            """,
        ),
        code="""
answer = ...

a = t.randn(3, 4, requires_grad=True)
b = t.zeros(3, 4).requires_grad_()
c = a + b
d = c.sum()
check(answer, sum(tensor.is_leaf for tensor in (a, b, c, d)), "count-leaves")
""",
        solution="answer = 2",
        explain=md(
            en="""
            `a` and `b` are leaves: you created them (`requires_grad_()` switches the flag on the very
            tensor that `t.zeros(3, 4)` made, it computes nothing). `c = a + b` and `d = c.sum()` are
            results of operations on tensors that require grad, so they are not leaves.
            """,
            zh="""
            `a` 和 `b` 是叶子张量：它们由你直接创建（`requires_grad_()` 只是在 `t.zeros(3, 4)` 创建的那个
            张量上打开开关，并没有做运算）。`c = a + b` 和 `d = c.sum()` 是对需要梯度的张量做运算的结果，
            所以不是叶子张量。
            """,
        ),
        mistakes=[
            mistake(4, en="every variable here is a tensor you named, but c and d are results of operations "
                          "on tensors that require grad: they are not leaves.",
                    zh="这里每个变量都是你起了名字的张量，但 c 和 d 是对需要梯度的张量做运算的结果，不是叶子张量。"),
            mistake(1, en="requires_grad_() does not make a new tensor by an operation: b is the tensor "
                          "t.zeros(3, 4) created, with its flag switched on, so b is a leaf too.",
                    zh="requires_grad_() 并不是通过运算产生新张量：b 就是 t.zeros(3, 4) 创建的那个张量，"
                       "只是打开了开关，所以 b 也是叶子张量。"),
            mistake(3, en="d = c.sum() is also the result of an operation; only the tensors you created are leaves.",
                    zh="d = c.sum() 也是运算的结果；只有你直接创建的张量才是叶子张量。"),
        ],
    ),
    *exercise(
        "node-name",
        task=md(
            en="""
            **3.** What is the name of the node that made `d`? Answer with a string in quotes.

            <details><summary>Hint</summary>`d` came from `c.sum()`. Look at how the node of `y = x + 2`
            was named above, and follow the same pattern.</details>
            """,
            zh="""
            **3.** 产生 `d` 的节点叫什么名字？用加引号的字符串作答。

            <details><summary>提示</summary>`d` 来自 `c.sum()`。看看上面 `y = x + 2` 的节点是怎么命名的，
            照着同样的规律来。</details>
            """,
        ),
        code="""
answer = ...

check(answer, d.grad_fn.name(), "node-name")
""",
        solution='answer = "SumBackward0"',
        explain=md(
            en="""
            A node is named after the operation whose backward it runs, `Sum` + `Backward`, plus a number
            that tells apart PyTorch's versions of that backward formula. For most operations it is `0`,
            but not for all: lesson 07 meets `TBackward1`, and a `Function` you write yourself (lesson 10)
            gets your class's name and `Backward` with no number at all.
            """,
            zh="""
            节点以它负责反向计算的那个运算命名：`Sum` 加 `Backward`，后面的数字用来区分 PyTorch 里同一运算的
            不同反向公式。大多数运算是 `0`，但并非全部如此：第 07 课会遇到 `TBackward1`，而你自己写的
            `Function`（第 10 课）得到的是类名加 `Backward`，根本没有数字。
            """,
        ),
        mistakes=[
            mistake("AddBackward0", en="that is the node of c = a + b. d is one step further: d = c.sum().",
                    zh="那是 c = a + b 的节点。d 还要再往后一步：d = c.sum()。"),
            mistake("SumBackward", en="nearly: the name of a built-in operation's node ends with a number.",
                    zh="差一点：内置运算的节点名最后还有一个数字。"),
        ],
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** The cell below makes a tensor of whole numbers and prints its dtype. Change
            it so that `n` asks for gradients: add `requires_grad=True` inside `t.tensor(...)`. Run it. What
            does autograd say, and why does that make sense? Then write the numbers as `1., 2., 3.` and run
            it again: what changed in the printed dtype?
            """,
            zh="""
            **4. 探究。** 下面的单元格创建了一个整数张量，并打印它的 dtype。把它改成让 `n` 需要梯度：在
            `t.tensor(...)` 里加上 `requires_grad=True`，运行。autograd 说了什么？为什么这说得通？然后把数字
            写成 `1., 2., 3.` 再运行一次：打印出的 dtype 有什么变化？
            """,
        ),
        code="""
n = t.tensor([1, 2, 3])
print(n.dtype, n.requires_grad)
""",
        explain=md(
            en="""
            With `requires_grad=True` on whole numbers, autograd stops with
            `RuntimeError: Only Tensors of floating point and complex dtype can require gradients`.
            A gradient says how the output changes when an input moves by a tiny amount, and an integer
            cannot move by a tiny amount. Writing `1., 2., 3.` makes the tensor `float32`, and then
            `requires_grad=True` is accepted.
            """,
            zh="""
            对整数张量加上 `requires_grad=True`，autograd 会报错：
            `RuntimeError: Only Tensors of floating point and complex dtype can require gradients`
            （只有浮点和复数类型的张量才能需要梯度）。梯度描述的是输入变化一点点时输出怎样变化，
            而整数没法只变化“一点点”。写成 `1., 2., 3.` 后张量的类型变成 `float32`，
            `requires_grad=True` 就被接受了。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * Three ways to ask for gradients: `requires_grad=True` when creating, `.requires_grad_()`, or
          setting `.requires_grad = True`. Only floating-point (and complex) tensors can have it.
        * A result requires grad when any of its inputs does.
        * Leaves are the tensors you made (and every tensor that needs no grad); only leaves keep a `.grad`.
        * A non-leaf remembers its maker in `grad_fn`; `grad_fn.next_functions` links it to the nodes of its
          inputs, so the tensors and nodes together form a graph.

        Next: that graph, drawn and walked.
        """,
        zh="""
        * 让张量需要梯度有三种写法：创建时传 `requires_grad=True`、调用 `.requires_grad_()`、或直接设置
          `.requires_grad = True`。只有浮点（以及复数）张量才能需要梯度。
        * 只要有一个输入需要梯度，运算结果就需要梯度。
        * 叶子张量是由你直接创建的张量（以及所有不需要梯度的张量）；只有叶子张量会保留 `.grad`。
        * 非叶子张量用 `grad_fn` 记住是谁产生了它；`grad_fn.next_functions` 又连向各个输入的节点，
          张量和节点就这样连成了一张图。

        下一课：把这张图画出来，并沿着它走一遍。
        """,
    ),
]
