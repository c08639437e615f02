"""Lesson 08: inside the engine — a custom Function checked with gradcheck, and a backward pass taken one node
at a time."""

from lesson import code, md, section, selfcheck

TITLE = {"en": "Inside the engine: your own Function, one backward step at a time",
         "zh": "走进引擎：自己写 Function，单步执行反向传播"}

SEED_CELLS = []

CELLS = [
    section("goal"),
    md(
        en="""
        Every `grad_fn` you have printed so far (`AddBackward0`, `MulBackward0`, …) is a node that knows
        two things: how to compute its result going forward, and how to turn the gradient of that result
        into gradients of its inputs going backward. In this lesson you open that box:

        * write an operation of your own as a `torch.autograd.Function` with `forward`, `backward` and `ctx`;
        * test its `backward` against numerical differentiation with `gradcheck`, in `float64`;
        * walk through a backward pass **one node at a time** with the graph widget, and see what each
          node receives and what it passes on.

        There is no code from the tutorials here: this is the machinery under all of it.
        """,
        zh="""
        到目前为止打印过的每个 `grad_fn`（`AddBackward0`、`MulBackward0` 等）都是一个节点，它知道两件事：
        前向时怎样算出结果；反向时怎样把结果的梯度转换成输入的梯度。本课就来打开这个盒子：

        * 用 `torch.autograd.Function` 自己写一个运算，包括 `forward`、`backward` 和 `ctx`；
        * 用 `gradcheck` 在 `float64` 下把 `backward` 和数值微分对比检验；
        * 借助计算图组件**一个节点一个节点地**走完一次反向传播，看每个节点收到了什么、又传出了什么。

        这一课没有来自教程的代码：这里讲的是它们背后的机制。
        """,
    ),
    section("example", "a Function of your own", "自己写一个 Function"),
    md(
        en="""
        A `Function` has two static methods. `forward(ctx, x)` computes the result from plain inputs (nothing
        inside it is recorded). `backward(ctx, grad_output)` receives $\\partial L / \\partial\\,\\text{result}$
        and returns $\\partial L / \\partial x$. `ctx` carries whatever `backward` will need; here that is the
        result itself, because $\\frac{d}{dx} e^x = e^x$. `Exp.apply(x)` runs it and records the node.
        """,
        zh="""
        `Function` 有两个静态方法。`forward(ctx, x)` 用普通输入算出结果（其中的运算不会被记录）。
        `backward(ctx, grad_output)` 接收 $\\partial L / \\partial\\,\\text{结果}$，返回 $\\partial L / \\partial x$。
        `ctx` 用来携带 `backward` 要用到的东西；这里要带的就是结果本身，因为 $\\frac{d}{dx} e^x = e^x$。
        调用 `Exp.apply(x)` 会执行它，并记录下这个节点。
        """,
    ),
    code("""
import minigrad as torch


class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        result = x.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = Exp.apply(x)
print(y)
print(y.grad_fn)
"""),
    md(
        en="""
        The node is named after the class, `ExpBackward`, as in PyTorch (the built-in one is `ExpBackward0`).
        It is also the very `ctx` that `forward` received, so it holds the saved result; and like every node
        it links to the node of its input, the `AccumulateGrad` of `x`:
        """,
        zh="""
        节点以类名命名，叫 `ExpBackward`，和 PyTorch 一致（内置的那个叫 `ExpBackward0`）。
        它正是 `forward` 收到的那个 `ctx`，所以里面存着保存下来的结果；它也和其他节点一样，
        连向输入的节点，也就是 `x` 的 `AccumulateGrad`：
        """,
    ),
    code("""
print(y.grad_fn.saved_tensors)
print(y.grad_fn.next_functions)
"""),
    section("graph"),
    md(
        en="Your node sits in the graph like any built-in one, between the leaf `x` and the output `y`:",
        zh="你写的节点和内置节点一样待在图里，位于叶子节点 `x` 和输出 `y` 之间：",
    ),
    code("""
from widgets import GraphView
GraphView(y, names={"x": x, "y": y})
"""),
    md(
        en="""
        Backward through it: the gradient of `y.sum()` with respect to each $x_i$ is $e^{x_i}$, which is `y`.
        """,
        zh="""
        对它做反向传播：`y.sum()` 对每个 $x_i$ 的梯度是 $e^{x_i}$，也就是 `y` 本身。
        """,
    ),
    code("""
y.sum().backward()
print(x.grad)
print(x.grad.eq(y).all())
"""),
    section("example", "checking backward with gradcheck", "用 gradcheck 检验 backward"),
    md(
        en="""
        A `backward` you write by hand can be wrong, and nothing would complain: you would just get wrong
        gradients. `torch.autograd.gradcheck(f, inputs)` compares your backward with finite differences,
        $\\frac{f(x + \\varepsilon) - f(x - \\varepsilon)}{2\\varepsilon}$, for every input element, and
        returns `True` when they agree. Here is a second Function, `Square`, with
        $\\frac{d}{dx} x^2 = 2x$; both pass:
        """,
        zh="""
        手写的 `backward` 可能出错，而且不会有任何报错提醒：你只会悄悄得到错误的梯度。
        `torch.autograd.gradcheck(f, inputs)` 会对每个输入元素，把你的 backward 和有限差分
        $\\frac{f(x + \\varepsilon) - f(x - \\varepsilon)}{2\\varepsilon}$ 作比较，一致时返回 `True`。
        下面是第二个 Function `Square`，$\\frac{d}{dx} x^2 = 2x$；两个都能通过：
        """,
    ),
    code("""
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 2 * x


x64 = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Square.apply, (x64,)))
print(torch.autograd.gradcheck(Exp.apply, (x64,)))
"""),
    md(
        en="""
        Now a classic slip: forgetting the factor 2. The forward pass is the same, so every value still looks
        right, but `gradcheck` catches it (with `raise_exception=False` it returns `False` instead of raising):
        """,
        zh="""
        再来看一个常见的疏忽：漏掉了因子 2。前向计算完全一样，所有数值看起来都对，但 `gradcheck` 能抓住它
        （加上 `raise_exception=False`，它会返回 `False` 而不是抛出异常）：
        """,
    ),
    code("""
class BadSquare(Square):
    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * x


print(BadSquare.apply(x64))
print(torch.autograd.gradcheck(BadSquare.apply, (x64,), raise_exception=False))
"""),
    md(
        en="""
        Why `float64`? Finite differences subtract two nearly equal numbers. In `float32` (about 7 significant
        digits) that difference is mostly rounding noise, so even the correct `Exp` fails the check:
        """,
        zh="""
        为什么要用 `float64`？有限差分是两个非常接近的数相减。`float32` 只有大约 7 位有效数字，
        相减之后剩下的几乎全是舍入误差，所以即使是正确的 `Exp` 也通不过检验：
        """,
    ),
    code("""
x32 = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
print(x32.dtype)
print(torch.autograd.gradcheck(Exp.apply, (x32,), raise_exception=False))
"""),
    section("example", "one backward step at a time", "单步执行反向传播"),
    md(
        en="""
        How does `backward()` decide which node runs when? Take the graph of lesson 02 again,
        $y = (w + x)(w + 1)$, this time computing $b = w + 1$ before $a = w + x$. `w` is used twice, so its
        gradient arrives along two paths and must be added up. The widget can drive the real backward pass one
        node at a time: each `view.step()` runs the next node and returns what happened, and the picture
        highlights it.
        """,
        zh="""
        `backward()` 是怎样决定哪个节点什么时候运行的？再拿第 02 课的图 $y = (w + x)(w + 1)$ 来看，
        这次先算 $b = w + 1$，再算 $a = w + x$。`w` 用了两次，它的梯度会沿两条路径回来，必须加在一起。
        计算图组件可以驱动真实的反向传播一次只走一个节点：每调用一次 `view.step()` 就运行下一个节点，
        返回发生了什么，图上也会把它高亮出来。
        """,
    ),
    code("""
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
b = torch.add(w, 1)
a = torch.add(w, x)
y = torch.mul(a, b)
names = {"w": w, "x": x, "a": a, "b": b, "y": y}
view = GraphView(y, names=names)
view
"""),
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
    print(f"step {step.index}: {called(step.node)} received", *step.grad_outputs.values())
    for (target, _), grad in zip(step.node.next_functions, step.grad_inputs):
        if target is not None:
            print(f"  sent {grad} to {called(target)}")
    if isinstance(step.node, torch.autograd.AccumulateGrad):
        print("  .grad is now", step.node.variable.grad)


called(y.grad_fn)
"""),
    md(
        en="""
        Step 0 always starts at the output. `MulBackward0` receives $\\partial y / \\partial y = 1$ and applies
        the product rule: $a$'s node gets $1 \\cdot b = 2$, $b$'s node gets $1 \\cdot a = 3$.
        """,
        zh="""
        第 0 步总是从输出开始。`MulBackward0` 收到 $\\partial y / \\partial y = 1$，按乘积法则：
        传给 $a$ 的节点 $1 \\cdot b = 2$，传给 $b$ 的节点 $1 \\cdot a = 3$。
        """,
    ),
    code("""
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
        而且叶子节点优先运行。它没有自己的 backward，只负责把梯度加进 `x.grad`。`w` 的 `AccumulateGrad`
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
        The walk is over, and the gradients are those of `y.backward()`, because it *was* the real backward
        pass. `view.reset()` puts the gradients back so the walk can be repeated; the
        buttons above the picture do the same things interactively. The widget drives minigrad's backward loop,
        which minigrad also offers as a generator, `torch.autograd.backward_steps`. This one is minigrad's own:
        PyTorch runs its engine in C++ and has no such function.
        """,
        zh="""
        单步走完了，得到的梯度和 `y.backward()` 完全一样，因为这**就是**真正的反向传播。
        `view.reset()` 会把梯度恢复原样，好再走一遍；图上方的按钮做的也是同样的事，只是可以点着操作。
        组件驱动的是 minigrad 的反向传播循环，minigrad 也把这个循环以生成器的形式提供了出来：
        `torch.autograd.backward_steps`。这是 minigrad 独有的：PyTorch 的引擎用 C++ 实现，没有这样的函数。
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
        * A `Function` describes an operation and its derivative. `apply` creates the node (an object of
          `ExpBackward`, a class made for your Function), hands it to `forward` as `ctx` and runs `forward`
          with recording off. The node is linked to the inputs' nodes (`next_functions`) and becomes the
          `grad_fn` of the result.
        * `backward` gets one gradient per output and returns one per input: the chain rule for this one
          operation. The engine does the rest.
        * The engine first walks the graph from the output and counts, for every node, how many edges point
          at it. It then runs ready nodes, passes each result along `next_functions`, and a node becomes
          ready when all its gradients have arrived. That is why `w` (used twice) is accumulated only once,
          with the sum. minigrad's loop is iterative, so deep graphs cannot overflow the Python stack.
        * `AccumulateGrad` nodes at the leaves are where `.grad` gets written. Without `retain_graph`, each
          node drops its saved tensors after running.
        * `gradcheck` is how every built-in op of minigrad is tested too. Always run it in `float64`.
        """,
        zh="""
        * `Function` 描述一个运算及其导数。`apply` 会创建节点（一个 `ExpBackward` 对象，这个类是专门为你的
          Function 生成的），把它作为 `ctx` 交给 `forward`，并在关闭记录的情况下运行 `forward`。
          这个节点连向各输入的节点（`next_functions`），并成为结果的 `grad_fn`。
        * `backward` 每个输出收到一个梯度，每个输入返回一个梯度：这就是单个运算上的链式法则。其余的交给引擎。
        * 引擎先从输出出发把图走一遍，数清每个节点有几条边指向它。然后运行已就绪的节点，把结果沿
          `next_functions` 传下去；某个节点的梯度全部到齐时，它就变为就绪。所以用了两次的 `w` 只累加一次，加的是总和。
          minigrad 的这个循环是迭代实现的，再深的图也不会撑爆 Python 的调用栈。
        * 叶子节点对应的 `AccumulateGrad` 负责写 `.grad`。不加 `retain_graph` 时，每个节点运行后就丢掉保存的张量。
        * minigrad 的每个内置运算也都是用 `gradcheck` 检验的。记得一定要在 `float64` 下运行它。
        """,
    ),
    section("try"),
    md(
        en="""
        Work out each answer before you run its cell: `check(answer, expected)` prints ✓ when yours matches
        what minigrad computes. The next cell loads `check` and tries it on 1 + 1.

        **1.** Complete `Cube` ($x^3$): write the return line of `backward`. The check passes when `gradcheck`
        agrees with you.

        <details><summary>Hint</summary>d(x³)/dx = 3x², multiplied by the incoming gradient.</details>
        """,
        zh="""
        先自己算出答案，再运行单元格：你的答案和 minigrad 算出的结果一致时，`check(answer, expected)` 会打印 ✓。
        下一个单元格导入 `check`，拿 1 + 1 试一下。

        **1.** 补全 `Cube`（$x^3$）：写出 `backward` 的返回语句。`gradcheck` 认可你的实现，检查就通过了。

        <details><summary>提示</summary>d(x³)/dx = 3x²，再乘上传进来的梯度。</details>
        """,
    ),
    selfcheck(),
    code("""
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x ** 2


answer = torch.autograd.gradcheck(Cube.apply, (x64,), raise_exception=False)
check(answer, True)
"""),
    md(
        en="""
        **2.** How many nodes does the backward pass of $y = (w + x)(w + 1)$ run, counting the
        `AccumulateGrad` nodes?

        <details><summary>Hint</summary>Count the steps above: three operations and two leaves.</details>
        """,
        zh="""
        **2.** $y = (w + x)(w + 1)$ 的反向传播一共运行几个节点（`AccumulateGrad` 也算在内）？

        <details><summary>提示</summary>数一数上面的步骤：三个运算，两个叶子节点。</details>
        """,
    ),
    code("""
answer = 5

y = torch.mul(torch.add(w, x), torch.add(w, 1))
check(answer, len(list(torch.autograd.backward_steps((y,), (None,)))))
"""),
    md(
        en="""
        **3.** Now $y = (w + x)(w + 1)$ at $w = 3$, $x = 2$. What does `MulBackward0` send to the node of
        $a = w + x$ in step 0?

        <details><summary>Hint</summary>∂(a·b)/∂a = b = w + 1.</details>
        """,
        zh="""
        **3.** 这次取 $w = 3$、$x = 2$，仍然是 $y = (w + x)(w + 1)$。第 0 步里 `MulBackward0` 传给
        $a = w + x$ 的节点的是多少？

        <details><summary>提示</summary>∂(a·b)/∂a = b = w + 1。</details>
        """,
    ),
    code("""
answer = 4.0

w = torch.tensor([3.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
y = torch.mul(torch.add(w, x), torch.add(w, 1))
first = next(torch.autograd.backward_steps((y,), (None,)))
check(answer, first.grad_inputs[0])
"""),
    section("recap"),
    md(
        en="""
        * `class F(torch.autograd.Function)` with static `forward(ctx, ...)` and `backward(ctx, grad)`;
          `ctx.save_for_backward(...)` / `ctx.saved_tensors` carry values between them; call it with `F.apply(x)`.
        * `torch.autograd.gradcheck(F.apply, (x64,))` checks `backward` against finite differences: use `float64`.
        * The engine counts each node's incoming edges, runs a node once all its gradients have arrived, and
          writes `.grad` at the leaves' `AccumulateGrad` nodes. `GraphView.step()` and
          `torch.autograd.backward_steps` let you watch it node by node.

        Next: put it all together and train a small model.
        """,
        zh="""
        * `class F(torch.autograd.Function)`，带静态方法 `forward(ctx, ...)` 和 `backward(ctx, grad)`；
          用 `ctx.save_for_backward(...)` / `ctx.saved_tensors` 在两者之间传值；调用时写 `F.apply(x)`。
        * `torch.autograd.gradcheck(F.apply, (x64,))` 把 `backward` 与有限差分作比较：要用 `float64`。
        * 引擎先数清每个节点的入边，等某个节点的梯度全部到齐才运行它，并在叶子节点对应的 `AccumulateGrad` 里写入 `.grad`。
          `GraphView.step()` 和 `torch.autograd.backward_steps` 让你一个节点一个节点地观察这一过程。

        下一课：把学过的内容组合起来，训练一个小模型。
        """,
    ),
]
