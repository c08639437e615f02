"""Lesson 11: the engine step by step — the order in which backward runs the nodes, and how gradients from two
paths meet at a leaf."""

from lesson import code, exercise, exercises_intro, investigate, md, mistake, section, selfcheck

TITLE = {"en": "The engine, one backward step at a time", "zh": "引擎：单步执行反向传播"}

SEED_CELLS = []

CELLS = [
    section("goal"),
    md(
        en="""
        `backward()` is one call, but behind it an engine runs the graph's nodes one after another: each
        receives the gradient of its result, applies its own `backward` (the part you wrote yourself in the
        last lesson) and passes the gradients on. In this lesson you drive that engine **one node at a time**
        with the graph widget, and see:

        * in which order the nodes run, and why;
        * what each node receives and what it sends to each of its `next_functions`;
        * how the two gradients of a tensor used twice meet, and are added, before `.grad` is written.

        There is no code from the tutorials here: this is what `backward()` does in all of them.
        """,
        zh="""
        `backward()` 只是一次调用，背后却有一个引擎把图中的节点一个接一个地运行：每个节点收到自己结果的梯度，
        执行自己的 `backward`（上一课你亲手写的正是这一部分），再把梯度传下去。本课借助计算图组件，
        **一个节点一个节点地**驱动这个引擎，看清：

        * 节点按什么顺序运行，为什么；
        * 每个节点收到了什么，又向它的每个 `next_functions` 传出了什么；
        * 一个被用了两次的张量，它的两份梯度怎样汇合、相加，然后才写进 `.grad`。

        这一课没有来自教程的代码：这里讲的是所有教程里的 `backward()` 在做什么。
        """,
    ),
    section("example", "the graph to walk", "要走的图"),
    md(
        en="""
        How does `backward()` decide which node runs when? Take the graph of lesson 02 again,
        $y = (w + x)(w + 1)$, this time computing $b = w + 1$ before $a = w + x$. `w` is used twice, so its
        gradient arrives along two paths and must be added up. The widget shows the backward pass one node at
        a time: each `view.step()` shows the next node the engine runs and returns what it did, and the picture
        highlights it. It only shows: a walk writes no `.grad`, runs no hook and keeps the graph as it is.
        """,
        zh="""
        `backward()` 是怎样决定哪个节点什么时候运行的？再拿第 02 课的图 $y = (w + x)(w + 1)$ 来看，
        这次先算 $b = w + 1$，再算 $a = w + x$。`w` 用了两次，它的梯度会沿两条路径回来，必须加在一起。
        计算图组件可以一次一个节点地展示反向传播：每调用一次 `view.step()`，就展示引擎接下来运行的节点，
        返回它做了什么，图上也会把它高亮出来。它只是展示：单步不写入 `.grad`，不运行钩子，也不改动这张图。
        """,
    ),
    code("""
import minigrad as torch
from widgets import GraphView

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
b = torch.add(w, 1)
a = torch.add(w, x)
y = torch.mul(a, b)
names = {"w": w, "x": x, "a": a, "b": b, "y": y}
print(y, y.grad_fn.next_functions)
"""),
    section("graph"),
    md(
        en="""
        Drawn, the graph has three operation nodes and two `AccumulateGrad` nodes, one per leaf. Keep the
        picture in sight: each step below lights up the node that ran. (`live=False` keeps the values and
        gradients of this moment, so the cells at the end that do fill `.grad` leave the picture as it is.)
        """,
        zh="""
        画出来，这张图有三个运算节点和两个 `AccumulateGrad` 节点（每个叶子张量一个）。
        让图一直留在视线里：下面每走一步，刚运行的节点都会被高亮。（`live=False` 让图保持此刻的数值和梯度，
        所以后面真正填写 `.grad` 的单元格不会改变这张图。）
        """,
    ),
    code("""
view = GraphView(y, names=names, live=False)
view
"""),
    section("example", "one backward step at a time", "单步执行反向传播"),
    md(
        en="""
        Two small helpers: `called` names a node after its tensor, and `show` prints a step in words.
        `step.node` is the node that ran, `step.grad_outputs` what it received, and `step.grad_inputs` what
        it sent to each entry of its `next_functions`:
        """,
        zh="""
        两个辅助函数：`called` 用张量的名字来称呼节点，`show` 把一步用文字打印出来。`step.node` 是刚运行的节点，
        `step.grad_outputs` 是它收到的梯度，`step.grad_inputs` 是它发给 `next_functions` 中各个节点的梯度：
        """,
    ),
    code("""
def called(node):
    for name, tensor in names.items():
        if node is tensor.grad_fn or getattr(node, "variable", None) is tensor:
            return f"{type(node).__name__} of {name}"
    return type(node).__name__


def show(step):
    if step is None:
        print("no node left to run: view.reset() starts the walk again")
        return
    print(f"step {step.index}: {called(step.node)} received", *step.grad_outputs.values())
    for (target, _), grad in zip(step.node.next_functions, step.grad_inputs):
        if target is not None:
            print(f"  sent {grad} to {called(target)}")
    if isinstance(step.node, torch.autograd.AccumulateGrad):
        print("  backward() would add it to .grad; a walk writes nothing: .grad is", step.node.variable.grad)


called(y.grad_fn)
"""),
    md(
        en="""
        Step 1 always starts at the output. `MulBackward0` receives $\\partial y / \\partial y = 1$ and applies
        the product rule: $a$'s node gets $1 \\cdot b = 2$, $b$'s node gets $1 \\cdot a = 3$.
        """,
        zh="""
        第 1 步总是从输出开始。`MulBackward0` 收到 $\\partial y / \\partial y = 1$，按乘积法则：
        传给 $a$ 的节点 $1 \\cdot b = 2$，传给 $b$ 的节点 $1 \\cdot a = 3$。
        """,
    ),
    code("""
view.reset()  # from the start, whatever the buttons above did
show(view.step())
"""),
    md(
        en="""
        Both additions are ready now. Among ready nodes the engine takes the one created last, as PyTorch
        does: that is $a = w + x$. An addition passes its gradient on unchanged to each of its inputs.
        """,
        zh="""
        现在两个加法都已就绪。和 PyTorch 一样，引擎在就绪的节点里先取最后创建的那个，也就是 $a = w + x$。
        加法把梯度原样传给它的每个输入。
        """,
    ),
    code("""
show(view.step())
"""),
    md(
        en="""
        `x`'s `AccumulateGrad` has received everything it will ever get (one path leads to `x`), so it is
        ready, and leaves go first. It has no backward of its own: it adds into `x.grad`. `w`'s
        `AccumulateGrad` is not ready yet: a second gradient is still on its way.
        """,
        zh="""
        `x` 的 `AccumulateGrad` 已经收到了它能收到的全部梯度（通向 `x` 的路径只有一条），所以它就绪了，
        而且叶子张量优先运行。它没有自己的 backward，只负责把梯度加进 `x.grad`。`w` 的 `AccumulateGrad`
        还没有就绪：还有一份梯度在路上。
        """,
    ),
    code("""
show(view.step())
"""),
    md(
        en="Then the other addition, $b = w + 1$, sends its 3 towards `w`:",
        zh="接着运行另一个加法 $b = w + 1$，它把 3 传向 `w`：",
    ),
    code("""
show(view.step())
"""),
    md(
        en="""
        Only now is `w`'s `AccumulateGrad` ready. It waited until **both** additions had sent their part, and
        receives their sum, $2 + 3 = 5$, once. One more `step()` finds nothing left to run and returns `None`.
        """,
        zh="""
        直到现在，`w` 的 `AccumulateGrad` 才就绪。它一直等到**两个**加法都把自己那份传过来，
        一次性收到它们的和 $2 + 3 = 5$。再调用一次 `step()`，已经没有节点可运行，返回 `None`。
        """,
    ),
    code("""
show(view.step())
print(view.step())
print(w.grad, x.grad)
"""),
    md(
        en="""
        The walk is over. It showed the real backward pass node by node, but wrote nothing: `w.grad` and
        `x.grad` are still `None`, and `y.backward()` would add exactly what the two `AccumulateGrad` steps
        received. `view.reset()` goes back to the start; the buttons above the picture do the same things
        interactively. minigrad also offers its backward loop as a generator, `torch.autograd.backward_steps`,
        numbered the same way. That one *is* the pass: run to the end, it fills `.grad`. It is minigrad's own:
        PyTorch runs its engine in C++ and has no such function.
        """,
        zh="""
        单步走完了。它一个节点一个节点地展示了真正的反向传播，但什么也没写入：`w.grad` 和 `x.grad` 仍然是 `None`，
        而 `y.backward()` 会加上的正是两个 `AccumulateGrad` 步骤收到的梯度。`view.reset()` 回到起点；
        图上方的按钮做的也是同样的事，只是可以点着操作。minigrad 也把反向传播循环以生成器的形式提供了出来：
        `torch.autograd.backward_steps`，步骤编号方式相同。它**就是**反向传播本身：走到底就会填好 `.grad`。
        这是 minigrad 独有的：PyTorch 的引擎用 C++ 实现，没有这样的函数。
        """,
    ),
    code("""
view.reset()
print(w.grad, x.grad)
for step in torch.autograd.backward_steps((y,), (None,), retain_graph=True):
    print(step)
print(w.grad, x.grad)
"""),
    section("why"),
    md(
        en="""
        * Before running anything, the engine walks the graph from the output and counts, for every node,
          how many edges point at it: that is how many gradients it must wait for.
        * It then runs ready nodes, passes each result along `next_functions`, and a node becomes ready when
          all its gradients have arrived. That is why `w` (used twice) is accumulated only once, with the sum.
          Among ready nodes, leaves' `AccumulateGrad` go first, then the node created last, as in PyTorch.
        * `AccumulateGrad` nodes at the leaves are where `.grad` gets written. Without `retain_graph`, each
          node drops its saved tensors after running (lesson 03's second backward fails because of that).
        * minigrad's loop is iterative, so deep graphs cannot overflow the Python stack.
        """,
        zh="""
        * 在运行任何节点之前，引擎先从输出出发把图走一遍，数清每个节点有几条边指向它：这就是它要等的梯度份数。
        * 然后运行已就绪的节点，把结果沿 `next_functions` 传下去；某个节点的梯度全部到齐时，它就变为就绪。
          所以用了两次的 `w` 只累积一次，加的是总和。在就绪的节点里，叶子张量的 `AccumulateGrad` 先运行，
          其余的按创建顺序从后往前，和 PyTorch 一致。
        * 叶子张量的 `AccumulateGrad` 节点负责写 `.grad`。不加 `retain_graph` 时，每个节点运行后就丢掉保存的张量
          （第 03 课的第二次反向传播失败，原因就在这里）。
        * minigrad 的这个循环是迭代实现的，再深的图也不会撑爆 Python 的调用栈。
        """,
    ),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "steps-in-a-walk",
        task=md(
            en="""
            **1. Predict, then run.** The cell builds $y = (w + x)(w + 1)$ afresh and counts the steps of its
            backward pass. How many steps will it count? Write down your prediction, then run the cell: the
            check shows the real count.

            <details><summary>Hint</summary>Which kinds of node got a step in the walk above, and did any
            node run twice?</details>
            """,
            zh="""
            **1. 先预测，再运行。** 这个单元格重新构造 $y = (w + x)(w + 1)$，并数出它的反向传播一共走了几步。
            它会数出几步？先写下你的预测，再运行单元格：检查会显示真实的步数。

            <details><summary>提示</summary>上面单步走的时候，哪几种节点各占了一步？有没有哪个节点运行了两次？</details>
            """,
        ),
        code="""
answer = ...

y = torch.mul(torch.add(w, x), torch.add(w, 1))
steps = len(list(torch.autograd.backward_steps((y,), (None,))))
check(answer, steps, "steps-in-a-walk")
""",
        solution="answer = 5",
        explain=md(
            en="""
            Three operation nodes (`MulBackward0` and two `AddBackward0`) and two `AccumulateGrad` nodes, one
            per leaf: 5. `w` is reached along two paths, but its `AccumulateGrad` runs once, with the sum.
            """,
            zh="""
            三个运算节点（`MulBackward0` 和两个 `AddBackward0`）加上两个 `AccumulateGrad` 节点（每个叶子张量一个）：
            一共 5 步。`w` 有两条路径通达，但它的 `AccumulateGrad` 只运行一次，收到的是总和。
            """,
        ),
        mistakes=[
            mistake(3, en="3 counts the operations only; each leaf's AccumulateGrad node runs as a step too.",
                    zh="3 只数了运算节点；每个叶子张量的 AccumulateGrad 节点也要占一步。"),
            mistake(6, en="w's AccumulateGrad waits for both paths and runs once, with their sum, not once per path.",
                    zh="w 的 AccumulateGrad 会等两条路径都到齐，然后只运行一次，收到的是总和，而不是每条路径运行一次。"),
        ],
        predict=True,
    ),
    *exercise(
        "first-step",
        task=md(
            en="""
            **2.** Now $y = (w + x)(w + 1)$ at $w = 3$, $x = 2$. What does `MulBackward0` send to the node of
            $a = w + x$ in step 1?

            <details><summary>Hint</summary>What does the product rule hand to one factor of a product?</details>
            """,
            zh="""
            **2.** 这次取 $w = 3$、$x = 2$，仍然是 $y = (w + x)(w + 1)$。第 1 步里 `MulBackward0` 传给
            $a = w + x$ 的节点的是多少？

            <details><summary>提示</summary>乘积法则交给乘积中某一个因子的是什么？</details>
            """,
        ),
        code="""
answer = ...

w = torch.tensor([3.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
y = torch.mul(torch.add(w, x), torch.add(w, 1))
first = next(torch.autograd.backward_steps((y,), (None,)))
check(answer, first.grad_inputs[0], "first-step")
""",
        solution="answer = 4.0",
        explain=md(
            en="""
            $\\partial (a \\cdot b) / \\partial a = b = w + 1 = 4$, times the 1 that `MulBackward0` received.
            Each factor of a product gets the *other* factor.
            """,
            zh="""
            $\\partial (a \\cdot b) / \\partial a = b = w + 1 = 4$，再乘以 `MulBackward0` 收到的 1。
            乘积中的每个因子得到的都是**另一个**因子。
            """,
        ),
        mistakes=[
            mistake(5, en="5 is a = w + x itself. The node of a receives the other factor, b.",
                    zh="5 是 a = w + x 本身。a 的节点收到的是另一个因子 b。"),
            mistake(1, en="1 is what MulBackward0 received. It multiplies by the local derivative before sending.",
                    zh="1 是 MulBackward0 收到的梯度。它要先乘上局部导数再往下传。"),
            mistake(20, en="20 is y itself, the product. Step 1 sends a derivative, not a value.",
                    zh="20 是 y 本身，也就是乘积的值。第 1 步传出的是导数，不是数值。"),
        ],
    ),
    *exercise(
        "edges-into-a-leaf",
        task=md(
            en="""
            **3.** For `y = torch.mul(torch.mul(w, w), w)`, how many gradients does the `AccumulateGrad` of
            `w` wait for before it runs? (The cell counts the edges that point at it.)

            <details><summary>Hint</summary>The engine counts edges, not tensors: look at the inputs of
            each multiplication.</details>
            """,
            zh="""
            **3.** 对于 `y = torch.mul(torch.mul(w, w), w)`，`w` 的 `AccumulateGrad` 要等几份梯度才会运行？
            （单元格会数出指向它的边有几条。）

            <details><summary>提示</summary>引擎数的是边，而不是张量：看看每次乘法的输入。</details>
            """,
        ),
        code="""
answer = ...

w = torch.tensor([2.], requires_grad=True)
y = torch.mul(torch.mul(w, w), w)
inner = y.grad_fn.next_functions[0][0]
accumulate = y.grad_fn.next_functions[1][0]
edges = sum(target is accumulate for node in (y.grad_fn, inner) for target, _ in node.next_functions)
check(answer, edges, "edges-into-a-leaf")
""",
        solution="answer = 3",
        explain=md(
            en="""
            The inner `w * w` has two edges to `w`'s node and the outer multiplication one more: 3. The
            engine waits for all three gradients, adds them ($4 + 4 + 4 = 12 = 3w^2$), and runs
            `AccumulateGrad` once.
            """,
            zh="""
            里面的 `w * w` 有两条边指向 `w` 的节点，外面的乘法再有一条：一共 3 条。引擎会等这三份梯度都到齐，
            把它们相加（$4 + 4 + 4 = 12 = 3w^2$），然后只运行一次 `AccumulateGrad`。
            """,
        ),
        mistakes=[
            mistake(1, en="there is one AccumulateGrad node per leaf, but it waits for every edge that points at it.",
                    zh="每个叶子张量只有一个 AccumulateGrad 节点，但它要等所有指向它的边。"),
            mistake(2, en="that counts the multiplications. The inner one, w * w, has two edges to w by itself.",
                    zh="这数的是乘法的次数。里面的 w * w 自己就有两条边指向 w。"),
        ],
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** The cell below rebuilds the graph of this lesson and prints its whole walk
            with `show`. Swap the two lines that make `b` and `a` (so that `a = w + x` is created first) and
            run it again. Which addition runs first now, and when does each `AccumulateGrad` run? Does
            `w.grad` change? Why, or why not?
            """,
            zh="""
            **4. 探究。** 下面的单元格重新构造本课的图，并用 `show` 打印完整的反向传播过程。把构造 `b` 和 `a`
            的两行对调（让 `a = w + x` 先被创建），再运行一次。现在哪个加法先运行？每个 `AccumulateGrad`
            分别在什么时候运行？`w.grad` 变了吗？为什么？
            """,
        ),
        code="""
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
b = torch.add(w, 1)
a = torch.add(w, x)
y = torch.mul(a, b)
names = {"w": w, "x": x, "a": a, "b": b, "y": y}
for step in torch.autograd.backward_steps((y,), (None,)):
    show(step)
print(w.grad, x.grad)
""",
        explain=md(
            en="""
            With `a` created first, `b = w + 1` is now the newer node, so it runs first (step 1), then
            `a = w + x`. After that both leaves are ready: `w`'s `AccumulateGrad` (with $3 + 2 = 5$) and then
            `x`'s. The order changed, the gradients did not: `w.grad` is 5 either way, because the engine
            only runs a node once all its gradients have arrived, and addition does not care about order.
            """,
            zh="""
            先创建 `a` 之后，`b = w + 1` 成了较新的节点，所以它先运行（第 1 步），然后才是 `a = w + x`。
            之后两个叶子张量都已就绪：先是 `w` 的 `AccumulateGrad`（收到 $3 + 2 = 5$），再是 `x` 的。
            顺序变了，梯度没变：`w.grad` 无论如何都是 5，因为引擎要等一个节点的梯度全部到齐才运行它，
            而加法与先后顺序无关。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * The engine counts each node's incoming edges, runs a node once all its gradients have arrived, and
          writes `.grad` at the leaves' `AccumulateGrad` nodes.
        * Gradients that reach a node along several paths are added before the node runs.
        * `GraphView.step()` and minigrad's `torch.autograd.backward_steps` let you watch it node by node.

        Next: put it all together and train a small model.
        """,
        zh="""
        * 引擎先数清每个节点的入边，等某个节点的梯度全部到齐才运行它，并在叶子张量的 `AccumulateGrad` 节点里写入 `.grad`。
        * 沿几条路径到达同一个节点的梯度，会在它运行之前先加在一起。
        * `GraphView.step()` 和 minigrad 的 `torch.autograd.backward_steps` 让你一个节点一个节点地观察这一过程。

        下一课：把学过的内容组合起来，训练一个小模型。
        """,
    ),
]
