"""Lesson 02: the computation graph y = (w + x) * (w + 1), and graphs that depend on the data (seed 000, 4.1-4.2)."""

from lesson import code, exercise, exercises_intro, investigate, md, mistake, section, selfcheck

TITLE = {"en": "The computation graph", "zh": "计算图"}

SEED_CELLS = [
    ("000_16b12d1a36660901.txt", "y = torch.mul(a, b)", "A graph of five tensors"),
]

CELLS = [
    section("goal"),
    md(
        en="""
        Every calculation on tensors that require grad leaves a **computation graph** behind: a directed
        acyclic graph of tensors and the operations between them. In this lesson you will:

        * build the graph of $y = (w + x)(w + 1)$ and read it, in the tutorial's way and in autograd's,
        * follow the chain rule along its edges to get the gradients by hand,
        * see that PyTorch's graphs are *dynamic*: they are recorded while your Python code runs, so loops
          and `if`s shape them.
        """,
        zh="""
        只要对需要梯度的张量做计算，就会留下一张**计算图**：一张由张量和它们之间的运算组成的有向无环图。
        这一课我们会：

        * 搭出 $y = (w + x)(w + 1)$ 的计算图，并学会用教程的方式和 autograd 的方式读它；
        * 沿着图上的边应用链式法则，手工算出梯度；
        * 看到 PyTorch 的图是**动态**的：它在 Python 代码运行的同时被记录下来，所以循环和 `if` 会决定图的形状。
        """,
    ),
    section("code", "a graph of five tensors", "五个张量的图"),
    md(
        en="""
        Two leaves, `x` and `w`, two additions and a multiplication. The tutorial writes the operations as
        functions (`torch.add`, `torch.mul`), which is the same as `w + x` and `a * b`.
        """,
        zh="""
        两个叶子张量 `x` 和 `w`，两次加法，一次乘法。教程用函数的形式写运算（`torch.add`、`torch.mul`），
        和 `w + x`、`a * b` 完全等价。
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
    section("graph"),
    code("""
from widgets import GraphView, trace
GraphView(y)
"""),
    md(
        en="""
        Data flows down the picture: the leaves at the top, the output `y` at the bottom. Each grey node is
        the backward half of one operation (`AddBackward0` twice, `MulBackward0` once), and the white boxes
        `a` and `b` hang off the nodes that made them. The dashed box is the constant 1, which needs no
        gradient.
        """,
        zh="""
        数据在图中自上而下流动：叶子张量在最上面，输出 `y` 在最下面。每个灰色节点是一次运算的反向部分
        （两个 `AddBackward0`，一个 `MulBackward0`），白色方框 `a` 和 `b` 挂在产生它们的节点旁边。
        虚线框是常数 1，它不需要梯度。
        """,
    ),
    md(
        en="""
        The tutorial describes the same graph the other way round: "nodes are data (vectors, matrices,
        tensors), edges are operations (add, multiply, convolution...)". That is how you would draw it on
        a whiteboard: five tensors as circles, with arrows labelled `add` and `mul` between them. Autograd
        has to store something it can *run* backwards, so it keeps the operations as the nodes (the
        `grad_fn` objects) and links them by edges that stand for the tensors passed between them.
        Both are pictures of one computation; the widget draws autograd's and hangs each tensor beside
        the node that made it, so you can read it either way.
        """,
        zh="""
        教程对同一张图的描述正好反过来：“节点表示数据，如向量、矩阵、张量；而边表示运算，如加减乘除、卷积等”。
        在白板上我们也会这样画：五个张量画成圆圈，圆圈之间的箭头标上 `add` 和 `mul`。autograd 需要保存一个
        能**倒着运行**的东西，所以它把运算存成节点（也就是 `grad_fn` 对象），节点之间的边代表在运算之间传递的张量。
        两种画法描述的是同一次计算；这个小部件画的是 autograd 的视角，并把每个张量挂在产生它的节点旁边，
        所以两种读法都行。
        """,
    ),
    section("why", "two paths to w", "通往 w 的两条路"),
    md(
        en="""
        Backward walks the same graph upwards, multiplying by one local derivative per edge:

        * at `MulBackward0`, $y = a \\cdot b$, so $\\frac{\\partial y}{\\partial a} = b = 2$ and
          $\\frac{\\partial y}{\\partial b} = a = 3$;
        * at each `AddBackward0` the derivative is 1, so the gradient passes through unchanged.

        `x` is reached by one path only: $\\frac{\\partial y}{\\partial x} = b = 2$. `w` feeds *both*
        additions, so two paths arrive at it, and their contributions add up:
        $\\frac{\\partial y}{\\partial w} = b + a = 2 + 3 = 5$. That is the `tensor([5.])` printed above.
        """,
        zh="""
        反向传播沿同一张图往上走，每经过一条边就乘上一个局部导数：

        * 在 `MulBackward0` 处，$y = a \\cdot b$，所以 $\\frac{\\partial y}{\\partial a} = b = 2$，
          $\\frac{\\partial y}{\\partial b} = a = 3$；
        * 在每个 `AddBackward0` 处导数是 1，梯度原样通过。

        到 `x` 只有一条路：$\\frac{\\partial y}{\\partial x} = b = 2$。`w` 同时参与了**两次**加法，
        所以有两条路通向它，两路的贡献相加：$\\frac{\\partial y}{\\partial w} = b + a = 2 + 3 = 5$，
        也就是上面打印出的 `tensor([5.])`。
        """,
    ),
    code("""
print(x.grad)
"""),
    md(
        en="""
        Which of the five tensors are leaves, and which operation made each of the others? The leaves have no
        `grad_fn`; every other tensor points at its node (the `0x…` addresses differ from run to run).
        """,
        zh="""
        五个张量里哪些是叶子张量？其余的又分别是哪个运算产生的？叶子张量没有 `grad_fn`；
        其他张量都指向产生它的节点（`0x…` 地址每次运行都不一样）。
        """,
    ),
    code("""
for name, tensor in [("x", x), ("w", w), ("a", a), ("b", b), ("y", y)]:
    print(name, tensor.is_leaf, tensor.grad_fn)
"""),
    md(
        en="""
        The edges are stored in the nodes themselves. `next_functions` holds one `(node, input index)` pair
        per input of the operation; the backward pass follows exactly these links. Notice that the node of
        `w` (an `AccumulateGrad`) is reached from both additions: that is where the two paths meet and
        the two contributions are summed before `w.grad` is written.
        """,
        zh="""
        边就存放在节点里。`next_functions` 为运算的每个输入保存一对 `(节点, 输入序号)`，
        反向传播正是沿着这些链接走的。注意 `w` 的节点（一个 `AccumulateGrad`）同时被两次加法指向：
        两条路径就在这里汇合，两份贡献先相加，再写进 `w.grad`。
        """,
    ),
    code("""
print(y.grad_fn.next_functions)
node_a, node_b = (node for node, index in y.grad_fn.next_functions)
print(node_a.next_functions)
print(node_b.next_functions)
print(node_a.next_functions[0][0] is node_b.next_functions[0][0])
"""),
    md(
        en="""
        **For presenters:** `trace()` draws a graph while it is being built. Run the next cell and use the
        slider above the picture to replay the construction one operation at a time.
        """,
        zh="""
        **讲课提示：** `trace()` 可以在建图的同时把图画出来。运行下一个单元格，拖动图上方的滑块，
        就能一步一步回放建图的过程。
        """,
    ),
    code("""
with trace() as view:
    x = torch.tensor([2.], requires_grad = True)
    w = torch.tensor([1.], requires_grad = True)
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)
"""),
    section("example", "graphs that depend on the data", "随数据而变的图"),
    md(
        en="""
        Older frameworks such as TensorFlow 1 were *static*: you first described the whole graph, then
        pushed data through it again and again, and a loop had to be a special graph operation. PyTorch
        is *define-by-run*: there is no graph until your code runs, and each run records a fresh one.
        Ordinary Python `while` and `if` therefore decide which operations are recorded.

        This function keeps doubling its input until the result is long enough. How many
        multiplications end up in the graph depends on the numbers it is given:
        """,
        zh="""
        早期的框架（比如 TensorFlow 1）是**静态图**：先完整地描述一张图，再一遍遍地把数据送进去，
        循环也必须写成专门的图运算。PyTorch 则是“边运行边定义”（define-by-run）：代码运行之前并没有图，
        每运行一次就记录一张新图。因此普通的 Python `while` 和 `if` 就能决定哪些运算被记录下来。

        下面这个函数不断把输入翻倍，直到结果足够长为止。图里最终有几次乘法，取决于传进来的数：
        """,
    ),
    code("""
def double_until(x, limit):
    y = x * 2
    while y.data.norm() < limit:
        y = y * 2
    return y

small = torch.tensor([0.5, 0.5], requires_grad=True)
large = torch.tensor([30., 40.], requires_grad=True)
y_small = double_until(small, 100)
y_large = double_until(large, 100)
print(y_small, y_large)
GraphView(y_small, y_large, live=False)  # a picture of this moment: no gradients yet
"""),
    md(
        en="""
        Same function, two different graphs: eight multiplications for the short vector, one for the long
        one. The graph is a record of what *actually happened*. You can count its nodes yourself by
        following `next_functions` from the output, visiting each node once:
        """,
        zh="""
        同一个函数，两张不同的图：短向量乘了八次，长向量只乘了一次。计算图记录的是**实际发生**的运算。
        你也可以从输出出发，沿着 `next_functions` 走一遍，每个节点只数一次，自己数出节点个数：
        """,
    ),
    code("""
def count_nodes(tensor):
    seen, to_visit = set(), [tensor.grad_fn]
    while to_visit:
        node = to_visit.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        to_visit.extend(parent for parent, index in node.next_functions)
    return len(seen)

print(count_nodes(y_small), count_nodes(y_large))
"""),
    md(
        en="""
        Eight `MulBackward0` nodes plus the `AccumulateGrad` of the leaf make 9; one plus one make 2.
        And the gradients follow the path that was taken: each doubling multiplies the gradient by 2,
        so `small` gets $2^8 = 256$ and `large` gets 2.
        """,
        zh="""
        八个 `MulBackward0` 加上叶子张量的 `AccumulateGrad` 是 9 个；一个加一个是 2 个。
        梯度也沿着实际走过的路径计算：每翻倍一次，梯度就乘以 2，所以 `small` 的梯度是 $2^8 = 256$，
        `large` 的是 2。
        """,
    ),
    code("""
small.grad = large.grad = None  # so that running the cell again gives the same
double_until(small, 100).sum().backward()
double_until(large, 100).sum().backward()
print(small.grad, large.grad)
"""),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "two-paths",
        task=md(
            en="""
            **1.** Take $y = (w + x)(w + 1)$ again, now with $x = 3$ and $w = 2$. What is `w.grad`?

            <details><summary>Hint</summary>`w` reaches `y` along two paths. Work out what each path
            carries back, then decide how they combine at `w`.</details>
            """,
            zh="""
            **1.** 还是 $y = (w + x)(w + 1)$，这次 $x = 3$，$w = 2$。`w.grad` 是多少？

            <details><summary>提示</summary>从 `w` 到 `y` 有两条路径。先算出每条路径各带回多少，
            再想想它们在 `w` 处怎样合并。</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([3.], requires_grad=True)
w = torch.tensor([2.], requires_grad=True)
y = torch.mul(torch.add(w, x), torch.add(w, 1))
y.backward()
check(answer, w.grad, "two-paths")
""",
        solution="answer = 8.0",
        explain=md(
            en="""
            With $a = w + x = 5$ and $b = w + 1 = 3$: the path through `a` carries $b = 3$, the path
            through `b` carries $a = 5$, and the two contributions add at `w`: $3 + 5 = 8$.
            """,
            zh="""
            此时 $a = w + x = 5$，$b = w + 1 = 3$：经过 `a` 的路径带回 $b = 3$，经过 `b` 的路径带回 $a = 5$，
            两份贡献在 `w` 处相加：$3 + 5 = 8$。
            """,
        ),
        mistakes=[
            mistake(3, en="3 is what one path carries (through a = w + x, the factor b = w + 1). The path through "
                          "b reaches w too.",
                    zh="3 只是一条路径带回的值（经过 a = w + x，乘的是 b = w + 1）。经过 b 的那条路径也会到达 w。"),
            mistake(5, en="5 is what one path carries (through b = w + 1, the factor a = w + x). The path through "
                          "a reaches w too.",
                    zh="5 只是一条路径带回的值（经过 b = w + 1，乘的是 a = w + x）。经过 a 的那条路径也会到达 w。"),
            mistake(15, en="15 is y itself (5 × 3), not its derivative; and paths that meet at a tensor add, they "
                           "do not multiply.",
                    zh="15 是 y 本身的值（5 × 3），不是它的导数；而且在同一个张量处汇合的路径是相加，不是相乘。"),
        ],
    ),
    *exercise(
        "count-doublings",
        task=md(
            en="""
            **2. Predict, then run.** What will `count_nodes` say for
            `double_until(torch.tensor([1., 0.], requires_grad=True), 10)`? Write your prediction as the
            answer, then run the cell: the check shows the real count.

            <details><summary>Hint</summary>Follow the vector's norm through `double_until` by hand, and
            remember which kinds of node `count_nodes` counts.</details>
            """,
            zh="""
            **2. 先预测，再运行。** 对 `double_until(torch.tensor([1., 0.], requires_grad=True), 10)`，
            `count_nodes` 会数出几个？把你的预测写成答案，再运行单元格：检查会显示真实的个数。

            <details><summary>提示</summary>手工跟着 `double_until` 走一遍，记下向量的范数（模长）怎样变化；
            再想想 `count_nodes` 会数哪几种节点。</details>
            """,
        ),
        code="""
answer = ...

nodes = count_nodes(double_until(torch.tensor([1., 0.], requires_grad=True), 10))
check(answer, nodes, "count-doublings")
""",
        solution="answer = 5",
        explain=md(
            en="""
            The norm goes 1 → 2 (the first `x * 2`, always done) → 4 → 8 → 16: the loop doubles while the
            norm is below 10, so it stops at 16. Four `MulBackward0` nodes, plus the `AccumulateGrad` of the
            leaf: 5.
            """,
            zh="""
            范数依次是 1 → 2（第一次 `x * 2`，总会执行）→ 4 → 8 → 16：循环在范数小于 10 时继续翻倍，
            到 16 停下。四个 `MulBackward0` 节点，加上叶子张量的 `AccumulateGrad`，一共 5 个。
            """,
        ),
        mistakes=[
            mistake(4, en="4 counts the multiplications; the leaf's AccumulateGrad is a node of the graph too.",
                    zh="4 只数了乘法；叶子张量的 AccumulateGrad 也是图中的一个节点。"),
            mistake(3, en="the loop stopped one doubling early: at norm 8 the condition 8 < 10 still holds, so it "
                          "doubles once more.",
                    zh="循环少翻倍了一次：范数为 8 时，条件 8 < 10 仍然成立，所以还要再翻倍一次。"),
            mistake(6, en="one doubling too many: at norm 16 the loop's condition 16 < 10 is false and it stops.",
                    zh="多翻倍了一次：范数为 16 时，循环条件 16 < 10 不成立，循环就停了。"),
        ],
        predict=True,
    ),
    *exercise(
        "same-tensor-twice",
        task=md(
            en="""
            **3.** `s = torch.mul(v, v)` with `v = 3`: the same tensor enters both inputs of one
            multiplication. What is `v.grad`?

            <details><summary>Hint</summary>Count the edges from the multiplication's node back to `v`,
            and what each one carries.</details>
            """,
            zh="""
            **3.** `s = torch.mul(v, v)`，`v = 3`：同一个张量同时作为一次乘法的两个输入。`v.grad` 是多少？

            <details><summary>提示</summary>数一数从这个乘法节点通回 `v` 的边有几条，每条各带回什么。</details>
            """,
        ),
        code="""
answer = ...

v = torch.tensor([3.], requires_grad=True)
s = torch.mul(v, v)
s.backward()
check(answer, v.grad, "same-tensor-twice")
""",
        solution="answer = 6.0",
        explain=md(
            en="""
            `MulBackward0` sends the other input's value along each of its two edges, $3$ and $3$, and both
            edges end at `v`'s `AccumulateGrad`, where they add: $6 = 2v$, the derivative of $v^2$.
            """,
            zh="""
            `MulBackward0` 沿两条边各送回另一个输入的值，$3$ 和 $3$；两条边都通向 `v` 的 `AccumulateGrad`，
            在那里相加：$6 = 2v$，正是 $v^2$ 的导数。
            """,
        ),
        mistakes=[
            mistake(3, en="3 is what one edge carries. Both inputs of the multiplication are v, so two edges lead "
                          "back to it.",
                    zh="3 只是一条边带回的值。乘法的两个输入都是 v，所以有两条边通回它。"),
            mistake(9, en="9 is s = v · v itself, not the gradient.",
                    zh="9 是 s = v · v 本身的值，不是梯度。"),
        ],
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** The cell below runs `double_until` on a new vector, counts the graph's nodes
            and prints the gradient. Change the starting numbers, first to `[0.05, 0.05]`, then to
            `[100., 0.]`, and run it each time. How do the number of nodes, the picture and `start.grad`
            change, and why does the same code give different graphs?
            """,
            zh="""
            **4. 探究。** 下面的单元格对一个新向量运行 `double_until`，数出图中的节点，并打印梯度。
            修改起始的数：先改成 `[0.05, 0.05]`，再改成 `[100., 0.]`，每次都运行一下。节点个数、图和
            `start.grad` 各怎样变化？为什么同一段代码会得到不同的图？
            """,
        ),
        code="""
start = torch.tensor([0.5, 0.5], requires_grad=True)
result = double_until(start, 100)
result.sum().backward()
print(count_nodes(result), start.grad)
GraphView(result)
""",
        explain=md(
            en="""
            `[0.05, 0.05]` (norm about 0.07) needs eleven doublings to pass 100: 12 nodes, a long chain, and
            a gradient of $2^{11} = 2048$. `[100., 0.]` already has norm 100, so only the first `x * 2` runs:
            2 nodes and a gradient of 2. The graph records the operations that actually ran, and the
            `while` loop decides that from the data, every time the code runs.
            """,
            zh="""
            `[0.05, 0.05]`（范数约 0.07）要翻倍十一次才超过 100：12 个节点，一条长链，梯度是 $2^{11} = 2048$。
            `[100., 0.]` 的范数一开始就是 100，所以只执行第一次 `x * 2`：2 个节点，梯度是 2。
            计算图记录的是实际执行了的运算，而 `while` 循环每次运行时都根据数据来决定执行多少次。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * Autograd's graph has the recorded operations (`grad_fn`) as nodes and the `next_functions` links
          as edges; each leaf that requires grad is reached through its `AccumulateGrad` node. The tutorial's
          picture, tensors as nodes and operations as edges, shows the same computation.
        * Backward multiplies local derivatives along each path, and adds the paths that meet at a tensor.
        * The graph is recorded while the code runs (define-by-run), so it can be different on every run,
          shaped by loops and conditions on the data.

        Next: `backward()` and `.grad` in detail: accumulating, zeroing, running backward twice.
        """,
        zh="""
        * 在 autograd 的图里，节点是被记录下来的运算（`grad_fn`），边是 `next_functions` 链接；每个需要梯度的
          叶子张量都通过它的 `AccumulateGrad` 节点接入图中。教程的画法（张量作节点、运算作边）描述的是同一次计算。
        * 反向传播沿每条路径把局部导数相乘，在同一个张量处汇合的多条路径再相加。
        * 计算图在代码运行时被记录（define-by-run），每次运行都可以不同，由依赖数据的循环和条件决定形状。

        下一课：细看 `backward()` 和 `.grad`：梯度累积、清零、反向传播两次。
        """,
    ),
]
