"""Lesson 02: the computation graph y = (w + x) * (w + 1), and graphs that depend on the data (seed 000, 4.1-4.2)."""

from lesson import code, md, section, selfcheck

TITLE = {"en": "The computation graph", "zh": "计算图"}

SEED_CELLS = [
    ("000_16b12d1a36660901.txt", "y = torch.mul(a, b)", "A graph of five tensors"),
]

CELLS = [
    section("goal"),
    md(
        en="""
        Every calculation on tensors that require grad leaves a **computation graph** behind: a directed
        acyclic graph whose nodes are the recorded operations and whose edges say which result fed which
        operation. In this lesson you will:

        * build the graph of $y = (w + x)(w + 1)$ and read it,
        * follow the chain rule along its edges to get the gradients by hand,
        * see that PyTorch's graphs are *dynamic*: they are recorded while your Python code runs, so loops
          and `if`s shape them.
        """,
        zh="""
        只要对需要梯度的张量做计算，就会留下一张**计算图**：一张有向无环图，节点是被记录下来的运算，
        边表示哪个结果被送进了哪个运算。这一课我们会：

        * 搭出 $y = (w + x)(w + 1)$ 的计算图，并学会读它；
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
        两个叶子节点 `x` 和 `w`，两次加法，一次乘法。教程用函数的形式写运算（`torch.add`、`torch.mul`），
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
        数据在图中自上而下流动：叶子节点在最上面，输出 `y` 在最下面。每个灰色节点是一次运算的反向部分
        （两个 `AddBackward0`，一个 `MulBackward0`），白色方框 `a` 和 `b` 挂在产生它们的节点旁边。
        虚线框是常数 1，它不需要梯度。
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
        五个张量里哪些是叶子节点？其余的又分别是哪个运算产生的？叶子节点没有 `grad_fn`；
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
        slider under the picture to replay the construction one operation at a time.
        """,
        zh="""
        **讲课提示：** `trace()` 可以在建图的同时把图画出来。运行下一个单元格，拖动图下方的滑块，
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
GraphView(y_small, y_large)
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
        八个 `MulBackward0` 加上叶子节点的 `AccumulateGrad` 是 9 个；一个加一个是 2 个。
        梯度也沿着实际走过的路径计算：每翻倍一次，梯度就乘以 2，所以 `small` 的梯度是 $2^8 = 256$，
        `large` 的是 2。
        """,
    ),
    code("""
y_small.sum().backward()
y_large.sum().backward()
print(small.grad, large.grad)
"""),
    section("try"),
    md(
        en="""
        Work out each answer before you run its cell: `check(answer, expected)` prints ✓ when yours matches
        what minigrad computes. The next cell loads `check` and tries it on 1 + 1.

        **1.** Take $y = (w + x)(w + 1)$ again, now with $x = 3$ and $w = 2$. What is `w.grad`?

        <details><summary>Hint</summary>Add the two paths: ∂y/∂w = (w + 1) + (w + x).</details>
        """,
        zh="""
        先自己算出答案，再运行单元格：你的答案和 minigrad 算出的结果一致时，`check(answer, expected)` 会打印 ✓。
        下一个单元格导入 `check`，拿 1 + 1 试一下。

        **1.** 还是 $y = (w + x)(w + 1)$，这次 $x = 3$，$w = 2$。`w.grad` 是多少？

        <details><summary>提示</summary>两条路径相加：∂y/∂w = (w + 1) + (w + x)。</details>
        """,
    ),
    selfcheck(),
    code("""
answer = 8.0

x = torch.tensor([3.], requires_grad=True)
w = torch.tensor([2.], requires_grad=True)
y = torch.mul(torch.add(w, x), torch.add(w, 1))
y.backward()
check(answer, w.grad)
"""),
    md(
        en="""
        **2.** How many nodes does `count_nodes` find for `double_until(torch.tensor([1., 0.], requires_grad=True), 10)`?

        <details><summary>Hint</summary>The length goes 2, 4, 8, 16: count the multiplications, then add the leaf's AccumulateGrad.</details>
        """,
        zh="""
        **2.** 对 `double_until(torch.tensor([1., 0.], requires_grad=True), 10)`，`count_nodes` 会数出几个节点？

        <details><summary>提示</summary>长度依次是 2、4、8、16：数一数乘了几次，再加上叶子节点的 AccumulateGrad。</details>
        """,
    ),
    code("""
answer = 5

check(answer, count_nodes(double_until(torch.tensor([1., 0.], requires_grad=True), 10)))
"""),
    md(
        en="""
        **3.** `s = torch.mul(v, v)` with `v = 3`: the same tensor enters both inputs of one multiplication.
        What is `v.grad`?

        <details><summary>Hint</summary>Two edges lead from the node back to v; each carries the other input's value.</details>
        """,
        zh="""
        **3.** `s = torch.mul(v, v)`，`v = 3`：同一个张量同时作为一次乘法的两个输入。`v.grad` 是多少？

        <details><summary>提示</summary>从这个节点有两条边通回 v，每条边带回的是另一个输入的值。</details>
        """,
    ),
    code("""
answer = 6.0

v = torch.tensor([3.], requires_grad=True)
s = torch.mul(v, v)
s.backward()
check(answer, v.grad)
"""),
    section("recap"),
    md(
        en="""
        * The graph's nodes are the recorded operations (`grad_fn`), its edges are the
          `next_functions` links; each leaf that requires grad is reached through its `AccumulateGrad` node.
        * Backward multiplies local derivatives along each path, and adds the paths that meet at a tensor.
        * The graph is recorded while the code runs (define-by-run), so it can be different on every run,
          shaped by loops and conditions on the data.

        Next: `backward()` and `.grad` in detail: accumulating, zeroing, running backward twice.
        """,
        zh="""
        * 图的节点是被记录下来的运算（`grad_fn`），边是 `next_functions` 链接；每个需要梯度的叶子节点
          都通过它的 `AccumulateGrad` 节点接入图中。
        * 反向传播沿每条路径把局部导数相乘，在同一个张量处汇合的多条路径再相加。
        * 计算图在代码运行时被记录（define-by-run），每次运行都可以不同，由依赖数据的循环和条件决定形状。

        下一课：细看 `backward()` 和 `.grad`：梯度累加、清零、反向传播两次。
        """,
    ),
]
