"""Lesson 04: backward(v) on a non-scalar output is a vector-Jacobian product (seeds 000, 003, 004)."""

from lesson import code, comments_in_english, exercise, exercises_intro, investigate, md, mistake, runs_once, section, selfcheck

TITLE = {"en": "Non-scalar outputs", "zh": "非标量输出"}

SEED_CELLS = [
    ("000_16b12d1a36660901.txt", "v = torch.tensor([0.1, 1.0, 0.0001], dtype = torch.float)", "The doubling loop"),
    ("004_6a046a34fe0ce8e2.txt", "print(y.data.norm(), y)", "The loop, step by step"),
    ("004_6a046a34fe0ce8e2.txt", "v = torch.tensor([0.1, 1.0, 0.001], dtype=torch.float)", "The loop, step by step"),
]

CELLS = [
    section("goal"),
    md(
        en="""
        So far every `backward()` started from a single number. Here the output is a vector, and
        `backward()` wants an argument. By the end of this lesson you will know

        * why PyTorch refuses `y.backward()` when `y` has more than one element;
        * what `y.backward(v)` computes: the vector–Jacobian product $v^\\top J$, which is also the gradient of
          the scalar `(y * v).sum()`;
        * how to build the Jacobian $J$ explicitly, row by row, and check that $v^\\top J$ is exactly what
          lands in `x.grad`.
        """,
        zh="""
        到目前为止，每次 `backward()` 都是从一个数出发的。这一课的输出是向量，`backward()` 需要一个参数。
        学完之后你会知道：

        * 为什么当 `y` 不止一个元素时，PyTorch 拒绝执行 `y.backward()`；
        * `y.backward(v)` 算的是什么：向量–雅可比积 $v^\\top J$，它也等于标量 `(y * v).sum()` 的梯度；
        * 怎样一行一行地显式构造雅可比矩阵 $J$，并验证 $v^\\top J$ 正是写进 `x.grad` 的结果。
        """,
    ),
    section("code", "the doubling loop", "翻倍循环"),
    md(
        en="""
        Draw three random numbers, double them until the vector's norm (its length) passes 1000, then call
        backward with
        a vector `v`. (`y.data` is `y` without its history; lesson 05 looks at it. The seed makes the random
        numbers repeatable.)
        """,
        zh="""
        随机取三个数，不断翻倍，直到向量的范数（模长）超过 1000，然后用向量 `v` 调用反向传播。
        （`y.data` 是去掉了计算历史的 `y`，第 05 课会细讲。固定随机种子是为了让结果可以复现。）
        """,
    ),
    code("""
import minigrad as torch
torch.manual_seed(0)

# 梯度
x = torch.randn(3, requires_grad = True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
v = torch.tensor([0.1, 1.0, 0.0001], dtype = torch.float)
y.backward(v)
print(x.grad)
"""),
    section("graph"),
    code("""
from widgets import GraphView
GraphView(y)
"""),
    md(
        en="""
        The graph is a chain of `MulBackward0` nodes, one per doubling: nine of them for these random numbers.
        The printed gradient is exactly $512 \\cdot v = 2^9 \\cdot v$; PyTorch switches to scientific notation
        (`5.1200e+01` is 51.2) because the entries span several orders of magnitude.
        """,
        zh="""
        这张图是一串 `MulBackward0` 节点，每翻倍一次就多一个：对这组随机数一共九个。
        打印出的梯度正好是 $512 \\cdot v = 2^9 \\cdot v$；因为各元素的数量级相差很大，
        PyTorch 改用科学计数法显示（`5.1200e+01` 就是 51.2）。
        """,
    ),
    section("why", "a vector output needs a vector v", "向量输出需要向量 v"),
    md(
        en="""
        Without `v`, PyTorch stops:
        """,
        zh="""
        不传 `v` 的话，PyTorch 会直接报错：
        """,
    ),
    code("""
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
try:
    y.backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    md(
        en="""
        For a scalar output there is one derivative per input entry, and together they make a tensor shaped
        like the input: the gradient. For a vector output $y$ of length $m$ and an input $x$ of length $n$,
        there is one derivative $\\frac{\\partial y_i}{\\partial x_j}$ for every pair: an $m \\times n$
        matrix, the **Jacobian** $J$. For matrix inputs and outputs it becomes a four-dimensional tensor, and
        chaining such objects through a deep network would be slow and enormous.
        """,
        zh="""
        输出是标量时，每个输入元素对应一个导数，合起来就是和输入形状相同的张量，也就是梯度。
        如果输出 $y$ 是长度为 $m$ 的向量、输入 $x$ 长度为 $n$，那么每一对 $(i, j)$ 都有一个导数
        $\\frac{\\partial y_i}{\\partial x_j}$，组成一个 $m \\times n$ 的矩阵，即**雅可比矩阵** $J$。
        如果输入和输出都是矩阵，它就成了四维张量；在深层网络里把这样的东西一层层乘下去，又慢又占内存。
        """,
    ),
    md(
        en="""
        Autograd never builds $J$. It asks instead: *how much do you care about each entry of $y$?* That is
        `v`, with one weight per entry of `y`. Then it computes the gradient of the single number
        $\\sum_i v_i\\, y_i$, which is

        $$\\frac{\\partial}{\\partial x_j} \\sum_i v_i\\, y_i = \\sum_i v_i \\frac{\\partial y_i}{\\partial x_j} = (v^\\top J)_j .$$

        This costs about as much as the forward pass, whatever the size of $J$. In training, the final output
        is a scalar loss $L$, and the `v` arriving at any intermediate $y$ is $\\frac{\\partial L}{\\partial y}$:
        every node of the backward pass does exactly this vector–Jacobian product.

        In the doubling loop, $y = 2^9 x$, so $J = 512\\, I$ (512 on the diagonal, zeros elsewhere) and
        $v^\\top J = 512\\, v$, the result above.
        """,
        zh="""
        autograd 从不构造 $J$。它换了个问法：**你对 $y$ 的每个元素各有多在意？** 这就是 `v`，
        `y` 的每个元素对应一个权重。然后它去求一个数 $\\sum_i v_i\\, y_i$ 的梯度：

        $$\\frac{\\partial}{\\partial x_j} \\sum_i v_i\\, y_i = \\sum_i v_i \\frac{\\partial y_i}{\\partial x_j} = (v^\\top J)_j$$

        不管 $J$ 有多大，这样做的代价都和一次前向计算差不多。训练时最终输出是一个标量损失 $L$，
        传到任何中间结果 $y$ 上的 `v` 就是 $\\frac{\\partial L}{\\partial y}$：反向传播的每个节点做的都正是这种向量–雅可比积。

        在翻倍循环里 $y = 2^9 x$，所以 $J = 512\\, I$（对角线上是 512，其余为 0），
        $v^\\top J = 512\\, v$，正是上面的结果。
        """,
    ),
    section("code", "the loop, step by step", "逐步打印的循环"),
    md(
        en="""
        The other tutorial prints the loop as it runs. How many doublings happen depends on the random
        start, so we pick seed 8, whose numbers need ten doublings like the tutorial's did. The printed values
        differ from the tutorial's, but the pattern is the same: the norm doubles every line.
        """,
        zh="""
        另一篇教程把循环的每一步都打印了出来。翻倍多少次取决于随机的起点，我们选用种子 8，
        它和原教程一样需要翻倍十次。打印的数值和教程里不同，规律却一样：每一行范数都翻一倍。
        """,
    ),
    code("""
torch.manual_seed(8)
x = torch.randn(3, requires_grad=True)
# Tensor.data.norm()等于torch.norm(Tensor)，在默认情况下计算的是Forbenius Norm(matrix) 或者 L2 Norm(Vector)
y = x * 2
while y.data.norm() < 1000:
    print(y.data.norm(), y)
    y = y * 2
    
print(y)
"""),
    comments_in_english("""
        `# Tensor.data.norm() equals torch.norm(Tensor); by default it computes the Frobenius norm (matrix) or
        the L2 norm (vector)`
        """),
    code("""
# 这里y是一个向量， x也是一个向量，dy/dx应该是一个Jacobian矩阵， 但是若果y与x是更高维的Tensor，这里就无法给出导数的定义，
# 所以PyTorch规定，Tensor.backward()，若果backward中没有额外的参数就不能求导，只能求scalar对Tensor的导数
# 这里给出一个简单的例子，假设y也是一个中间变量，已知最终结果对y的求导结果为v，求最终结果对于x的求导
# 可以理解为(y_transpose * v)得到一个scalar后再到x求导，这里的v可以像上面一个理解为最终结果对y的求导，
# 也可以理解为对y各个分量求和的权重
v = torch.tensor([0.1, 1.0, 0.001], dtype=torch.float)
y.backward(v)
print(x.grad)
"""),
    runs_once(),
    comments_in_english("""
        Here y is a vector and x is a vector too, so dy/dx should be a Jacobian matrix; but if y and x were
        higher-dimensional tensors, no derivative could be defined here. So PyTorch rules that
        `Tensor.backward()` cannot differentiate without an extra argument, and only takes the derivative of a
        scalar with respect to a tensor. A simple example: suppose y is an intermediate variable too, and the
        derivative of the final result with respect to y is known to be v; find the derivative of the final
        result with respect to x. Think of it as (y_transpose * v) giving a scalar that is then differentiated
        with respect to x; v can be read, as above, as the derivative of the final result with respect to y,
        or as the weights of a sum over y's components.
        """),
    md(
        en="""
        Ten doublings: $J = 2^{10} I = 1024\\, I$, and `x.grad` is $1024\\, v$, the same numbers the tutorial
        printed.
        """,
        zh="""
        翻倍十次：$J = 2^{10} I = 1024\\, I$，`x.grad` 等于 $1024\\, v$，和原教程打印的数完全一样。
        """,
    ),
    section("why", "the Jacobian, explicitly", "显式写出雅可比矩阵"),
    md(
        en="""
        A diagonal $J$ hides the interesting part, so take a function where every output depends on every
        input: $y_i = x_i \\cdot S$ with $S = x_1 + x_2 + x_3$.
        """,
        zh="""
        对角矩阵看不出什么门道，换一个每个输出都依赖所有输入的函数：$y_i = x_i \\cdot S$，其中 $S = x_1 + x_2 + x_3$。
        """,
    ),
    code("""
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * x.sum()
print(y)
GraphView(y, live=False)  # the graph as it is now, before the cells below fill x.grad
"""),
    md(
        en="""
        By hand: $\\frac{\\partial y_i}{\\partial x_j} = S\\,[i = j] + x_i$, so with $S = 6$

        $$J = \\begin{pmatrix} 7 & 1 & 1 \\\\ 2 & 8 & 2 \\\\ 3 & 3 & 9 \\end{pmatrix}.$$

        Autograd can produce $J$ too, one row at a time. Row $i$ is the gradient of $y_i$ alone, which is the
        vector–Jacobian product with the one-hot vector $e_i$ (1 at position $i$, 0 elsewhere). So for each
        row: clear `x.grad`, run `y.backward(e, retain_graph=True)` (the graph is needed again for the next
        row), and read `x.grad`. (Lesson 06 shows `torch.autograd.grad`, which returns such a product
        directly, without touching `x.grad`.)
        """,
        zh="""
        手工推导：$\\frac{\\partial y_i}{\\partial x_j} = S\\,[i = j] + x_i$，代入 $S = 6$：

        $$J = \\begin{pmatrix} 7 & 1 & 1 \\\\ 2 & 8 & 2 \\\\ 3 & 3 & 9 \\end{pmatrix}$$

        autograd 也能把 $J$ 算出来，一次一行。第 $i$ 行就是 $y_i$ 单独的梯度，也就是与独热向量 $e_i$
        （第 $i$ 位是 1，其余为 0）的向量–雅可比积。所以每一行都这样做：清空 `x.grad`，执行
        `y.backward(e, retain_graph=True)`（下一行还要用这张图），再读出 `x.grad`。
        （第 06 课会介绍 `torch.autograd.grad`，它直接返回这个乘积，不会改动 `x.grad`。）
        """,
    ),
    code("""
rows = []
for e in torch.eye(3):
    x.grad = None
    y.backward(e, retain_graph=True)
    rows.append(x.grad)
J = torch.stack(rows)
print(J)
"""),
    md(
        en="""
        Now the claim of this lesson: `y.backward(v)` puts $v^\\top J$ into `x.grad`, and so does the
        backward pass of the scalar `(y * v).sum()`.
        """,
        zh="""
        现在验证本课的结论：`y.backward(v)` 写进 `x.grad` 的是 $v^\\top J$，对标量 `(y * v).sum()`
        做反向传播得到的也是它。
        """,
    ),
    code("""
v = torch.tensor([0.1, 1.0, 0.001])
x.grad = None
y.backward(v, retain_graph=True)
print(x.grad)
print(v @ J)

x.grad = None
(y * v).sum().backward(retain_graph=True)
print(x.grad)
"""),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "one-hot-v",
        task=md(
            en="""
            **1.** `y = x * 3` for a vector `x` of three numbers. What does
            `y.backward(torch.tensor([1., 0., 0.]))` put in `x.grad`? Answer with a list.

            <details><summary>Hint</summary>Write down $J$ for $y = 3x$, then ask which part of it a
            one-hot `v` keeps.</details>
            """,
            zh="""
            **1.** `x` 是含三个数的向量，`y = x * 3`。`y.backward(torch.tensor([1., 0., 0.]))` 会往 `x.grad`
            里写什么？用列表作答。

            <details><summary>提示</summary>先写出 $y = 3x$ 的 $J$，再想想独热向量 `v` 会留下它的哪一部分。</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 3
y.backward(torch.tensor([1., 0., 0.]))
check(answer, x.grad, "one-hot-v")
""",
        solution="answer = [3., 0., 0.]",
        explain=md(
            en="""
            $J = 3I$, and $v^\\top J$ with $v = e_1$ is the first row of $J$: $(3, 0, 0)$. Only $y_1$ is
            weighed, and only $x_1$ affects $y_1$.
            """,
            zh="""
            $J = 3I$，$v = e_1$ 时 $v^\\top J$ 就是 $J$ 的第一行：$(3, 0, 0)$。只有 $y_1$ 被计入，
            而只有 $x_1$ 会影响 $y_1$。
            """,
        ),
        mistakes=[
            mistake([3., 3., 3.], en="that is the gradient of y.sum(), with v all ones. This v weighs y₁ only.",
                    zh="那是 y.sum() 的梯度，对应 v 全为 1。这个 v 只计入 y₁。"),
            mistake([1., 0., 0.], en="that is v itself. backward(v) multiplies v by the Jacobian, here 3I.",
                    zh="那是 v 本身。backward(v) 要把 v 乘上雅可比矩阵，这里是 3I。"),
        ],
    ),
    *exercise(
        "rows-of-j",
        task=md(
            en="""
            **2. Predict, then run.** Back to $y = x \\cdot S$ at $x = (1, 2, 3)$. What is `x.grad` after
            `y.backward(torch.ones(3))`? Write down your prediction as a list, then run the cell: the check
            shows the real `x.grad`.

            <details><summary>Hint</summary>Use the matrix $J$ written out above, and work out what
            $v^\\top J$ does when every entry of $v$ is 1.</details>
            """,
            zh="""
            **2. 先预测，再运行。** 回到 $y = x \\cdot S$，$x = (1, 2, 3)$。执行
            `y.backward(torch.ones(3))` 之后，`x.grad` 是什么？先把你的预测写成列表，再运行单元格：检查会显示真实的 `x.grad`。

            <details><summary>提示</summary>用上面写出的矩阵 $J$，想一想 $v$ 的每个元素都是 1 时 $v^\\top J$
            做了什么。</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * x.sum()
y.backward(torch.ones(3))
check(answer, x.grad, "rows-of-j")
""",
        solution="answer = [12., 12., 12.]",
        explain=md(
            en="""
            With $v$ all ones, $v^\\top J$ adds up the rows of $J$: each column sums to
            $S + (x_1 + x_2 + x_3) = 6 + 6 = 12$. Every $x_j$ moves its own $y_j$ by $S$ and every $y_i$
            by $x_i$ through $S$.
            """,
            zh="""
            $v$ 全为 1 时，$v^\\top J$ 就是把 $J$ 的各行相加：每一列的和都是 $S + (x_1 + x_2 + x_3) = 6 + 6 = 12$。
            每个 $x_j$ 既以系数 $S$ 影响自己的 $y_j$，又通过 $S$ 以系数 $x_i$ 影响每个 $y_i$。
            """,
        ),
        mistakes=[
            mistake([7., 8., 9.], en="that is the diagonal of J only. Each x_j also changes every y_i through the "
                                     "sum S.",
                    zh="那只是 J 的对角线。每个 x_j 还会通过和 S 影响所有的 y_i。"),
            mistake([6., 6., 6.], en="6 is S, the derivative if the sum were a constant. It is computed from x, so "
                                     "x also reaches y through it.",
                    zh="6 是 S，也就是把求和当成常数时的导数。但 S 是由 x 算出来的，x 也会经由它影响 y。"),
        ],
        predict=True,
    ),
    *exercise(
        "last-row",
        task=md(
            en="""
            **3.** Same function, new numbers: $y = x \\cdot S$ at $x = (1, 2, 4)$. What lands in `x.grad`
            after `y.backward(torch.tensor([0., 0., 1.]))`? Answer with a list.

            <details><summary>Hint</summary>This `v` keeps one row of $J$. Which output is it about, and
            how does each $x_j$ change that output?</details>
            """,
            zh="""
            **3.** 同一个函数，换一组数：$y = x \\cdot S$，$x = (1, 2, 4)$。执行
            `y.backward(torch.tensor([0., 0., 1.]))` 之后，`x.grad` 是什么？用列表作答。

            <details><summary>提示</summary>这个 `v` 只保留 $J$ 的一行。它关心的是哪个输出？每个 $x_j$
            又怎样影响这个输出？</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([1., 2., 4.], requires_grad=True)
y = x * x.sum()
y.backward(torch.tensor([0., 0., 1.]))
check(answer, x.grad, "last-row")
""",
        solution="answer = [4., 4., 11.]",
        explain=md(
            en="""
            `v` picks the last row of $J$, the gradient of $y_3 = x_3 \\cdot S$ alone. Through $S$ every
            $x_j$ moves $y_3$ by $x_3 = 4$; $x_3$ also appears as the first factor, which adds $S = 7$:
            $(4, 4, 4 + 7)$.
            """,
            zh="""
            `v` 选出 $J$ 的最后一行，也就是 $y_3 = x_3 \\cdot S$ 单独的梯度。每个 $x_j$ 都通过 $S$ 以系数
            $x_3 = 4$ 影响 $y_3$；$x_3$ 还是第一个因子，再加上 $S = 7$：$(4, 4, 4 + 7)$。
            """,
        ),
        mistakes=[
            mistake([4., 4., 4.], en="that counts only the path through S. x₃ is also the first factor of "
                                     "y₃ = x₃ · S, which adds S.",
                    zh="这只算了经过 S 的路径。x₃ 还是 y₃ = x₃ · S 的第一个因子，这一项还要再加上 S。"),
            mistake([0., 0., 11.], en="x₁ and x₂ change S, and so y₃: their entries are not 0.",
                    zh="x₁ 和 x₂ 会改变 S，从而改变 y₃：它们对应的元素不是 0。"),
        ],
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** The cell below is the doubling loop again; it counts the doublings and prints
            them with `x.grad`. Change the seed in its first line to a few other numbers (1, 2, 3...) and run
            it each time. What changes, what stays the same, and why? What would `x.grad` be if the
            loop stopped at 10000 instead?
            """,
            zh="""
            **4. 探究。** 下面的单元格又是翻倍循环；它数出翻倍的次数，和 `x.grad` 一起打印出来。把第一行的
            随机种子换成别的数（1、2、3……），每次都运行一下。哪些变了，哪些没变？为什么？如果循环到
            10000 才停，`x.grad` 会是多少？
            """,
        ),
        code="""
torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
y = x * 2
doublings = 1
while y.data.norm() < 1000:
    y = y * 2
    doublings += 1
y.backward(torch.tensor([0.1, 1.0, 0.001]))
print(doublings, x.grad)
""",
        explain=md(
            en="""
            The random start changes how many doublings it takes for the norm to pass 1000 (a short start
            vector needs more), and `x.grad` is always $2^k v$ for $k$ doublings: the direction of `v` never
            changes, only the power of 2. With a limit of 10000 the loop runs about three times more
            (since $2^{3.3} \\approx 10$), and `x.grad` grows by that factor of $2^3$ or $2^4$.
            """,
            zh="""
            随机的起点决定了范数要翻倍几次才超过 1000（起始向量越短，需要的次数越多），而 `x.grad` 总是
            $2^k v$，$k$ 是翻倍次数：`v` 的方向从不改变，变的只是 2 的幂次。把界限改成 10000，循环大约要多跑
            三次（因为 $2^{3.3} \\approx 10$），`x.grad` 也随之变成原来的 $2^3$ 或 $2^4$ 倍。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * `backward()` with no argument only works for a scalar output; for anything larger pass a tensor `v`
          shaped like the output.
        * `y.backward(v)` computes the vector–Jacobian product $v^\\top J$, the gradient of `(y * v).sum()`;
          the full Jacobian is never built.
        * A one-hot `v` reads out one row of $J$; stacking the rows gives the whole matrix.
        * Inside backward, every node receives such a `v` (the gradient of the final loss with respect to its
          output) and passes $v^\\top J$ on to its inputs.

        Next: how to stop recording, with `no_grad`, `detach` and `.data`.
        """,
        zh="""
        * 不带参数的 `backward()` 只适用于标量输出；输出更大时，要传一个与输出形状相同的张量 `v`。
        * `y.backward(v)` 计算的是向量–雅可比积 $v^\\top J$，也就是 `(y * v).sum()` 的梯度；完整的雅可比矩阵从不被构造。
        * 独热向量 `v` 能读出 $J$ 的一行，把各行叠起来就得到整个矩阵。
        * 在反向传播内部，每个节点都会收到这样一个 `v`（最终损失对它输出的梯度），再把 $v^\\top J$ 传给它的输入。

        下一课：怎样停止记录：`no_grad`、`detach` 和 `.data`。
        """,
    ),
]
