"""Lesson 00: a gradient by hand versus a gradient from autograd (seed 002)."""

from lesson import code, md, section, selfcheck

TITLE = {"en": "Why autograd", "zh": "为什么需要自动求导"}

SEED_CELLS = [
    ("002_4dc453239ac345a2.txt", "dy = 2*x", "By hand"),
    ("002_4dc453239ac345a2.txt", "y.backward()", "With autograd"),
    ("002_4dc453239ac345a2.txt", "x = torch.tensor([3],dtype=(float),requires_grad=True)",
     "Step by step: 1. the input"),
    ("002_4dc453239ac345a2.txt", "z = 3*y", "Step by step: 2. the computation"),
    ("002_4dc453239ac345a2.txt", "z.backward()",
     "Step by step: 3. backward"),
    ("002_4dc453239ac345a2.txt", "print('z对x的梯度:',x.grad)   ", "Step by step: 4. the gradient"),
    ("002_4dc453239ac345a2.txt", "# 将z反向传播",
     "The whole program"),
]

CELLS = [
    section("goal"),
    md(
        en="""
        A gradient tells you how fast an output changes when you nudge an input. Training a
        model is mostly computing gradients, so it pays to get them cheaply and without mistakes.

        In this lesson you compute one gradient twice: first by hand, the way you learned in a
        calculus class, then by letting autograd work it out. By the end you will know:

        * what `backward()` does and where the answer lands (`x.grad`);
        * why the tensor needs a floating-point dtype, and why the gradient printed here is `float64`.

        Throughout the course `torch` is **minigrad**, a small autograd engine written in plain
        Python and numpy that follows PyTorch's API. The tutorial code runs unchanged on it.
        """,
        zh="""
        梯度描述的是：输入稍微动一动，输出会变化多快。训练模型说到底就是在不停地算梯度，
        所以梯度算得又快又准非常重要。

        这一课我们把同一个梯度算两遍：先像微积分课上那样手工推导，再交给 autograd 自动求。学完之后你会知道：

        * `backward()` 做了什么，结果存放在哪里（`x.grad`）；
        * 为什么张量必须是浮点类型，为什么这里打印出的梯度是 `float64`。

        整套课程里的 `torch` 其实是 **minigrad**：一个用纯 Python 和 numpy 写成的小型自动求导引擎，
        接口与 PyTorch 一致，教程里的代码原样就能运行。
        """,
    ),
    section("code", "by hand", "手工求导"),
    md(
        en="""
        Take $y = x^2$ and ask for its slope at $x = 3$. Without autograd you first derive the
        formula $\\frac{dy}{dx} = 2x$, then write that formula in code:
        """,
        zh="""
        以 $y = x^2$ 为例，求它在 $x = 3$ 处的斜率。没有 autograd 时，得先自己推出公式
        $\\frac{dy}{dx} = 2x$，再把公式写进代码：
        """,
    ),
    code("""
x  = 3
dy = 2*x
print('y对x的梯度:',dy) 
"""),
    md(
        en="""
        The answer is right, but the program knows nothing about $y$: the derivative lives only in
        your head. Change $y$ and you must derive and rewrite `dy` again. A network with millions of
        numbers and dozens of layers changes all the time; deriving every formula by hand does not scale.
        """,
        zh="""
        结果没错，但程序其实根本不知道 $y$ 是什么：导数公式只存在于你的脑子里。
        $y$ 一变，就得重新推导、重新改写 `dy`。神经网络有成百上千万个参数、几十层结构，而且经常调整，
        每次都手推公式是行不通的。
        """,
    ),
    section("code", "with autograd", "自动求导"),
    md(
        en="""
        Now the same question with tensors. Mark `x` with `requires_grad=True`, compute `y` from it,
        and call `y.backward()`. The only change from the tutorial is the first line, which binds the
        name `torch` to minigrad.
        """,
        zh="""
        换成张量再问一次。给 `x` 打上 `requires_grad=True` 的标记，用它算出 `y`，然后调用 `y.backward()`。
        和原教程相比只改了第一行：让 `torch` 这个名字指向 minigrad。
        """,
    ),
    code("""
import minigrad as torch
x = torch.tensor([3],dtype=(float),requires_grad=True)   # 生成一个tensor数据x
y = x@x                                                  # 根据x计算y
y.backward()                                             # 将y反向传播
print('y对x的梯度:',x.grad)                               # 打印y对x的梯度
"""),
    section("graph"),
    md(
        en="""
        Nobody wrote `2*x` this time, yet `x.grad` holds 6. Here is the graph that `y = x@x` left
        behind. Data flows downwards: the blue box at the top is `x`, now showing its gradient, the grey
        boxes are the nodes autograd recorded, and the green box at the bottom is the output `y`:
        """,
        zh="""
        这次没有人写 `2*x`，`x.grad` 里却是 6。下面是 `y = x@x` 留下的计算图。数据自上而下流动：
        最上面的蓝色方框是 `x`，里面已经标出了它的梯度；灰色方框是 autograd 记录下来的节点；最下面的绿色方框是输出 `y`：
        """,
    ),
    code("""
from widgets import GraphView
GraphView(y)
"""),
    section("why"),
    md(
        en="""
        * `x` is a vector holding one number, so `x@x` (a dot product) is $3 \\cdot 3 = 9$, exactly $x^2$.
        * Because `x` requires grad, the multiplication was **recorded**: `y` remembers that it came
          from `DotBackward0`, and that node knows the derivative of a dot product
          ($\\frac{\\partial}{\\partial x}\\, x \\cdot x = 2x$).
        * `y.backward()` walks that record backwards, from `y` to `x`, and stores the result in `x.grad`.

        Why `dtype=(float)`? Python's `float` is a 64-bit float, so `x` is `float64` and its gradient is
        too; that is why the output says `dtype=minigrad.float64` (in PyTorch: `torch.float64`; the
        default `float32` is not printed). Only floating-point (and complex) tensors may ask for gradients:
        a derivative is a rate of change, and integers cannot change by a little. In PyTorch this line raises:
        """,
        zh="""
        * `x` 是只含一个数的向量，所以 `x@x`（点积）等于 $3 \\cdot 3 = 9$，正好是 $x^2$。
        * 因为 `x` 需要梯度，这次乘法被**记录**了下来：`y` 记得自己来自 `DotBackward0`，
          而这个节点知道点积的导数（$\\frac{\\partial}{\\partial x}\\, x \\cdot x = 2x$）。
        * `y.backward()` 沿着这份记录从 `y` 往回走到 `x`，把结果存进 `x.grad`。

        为什么写 `dtype=(float)`？Python 的 `float` 是 64 位浮点数，所以 `x` 是 `float64`，它的梯度也是，
        输出里因此带着 `dtype=minigrad.float64`（在 PyTorch 里是 `torch.float64`；默认的 `float32` 不会打印出来）。
        只有浮点（以及复数）张量才能要求梯度：导数是变化率，而整数没法“变化一点点”。下面这行在 PyTorch 里会直接报错：
        """,
    ),
    code("""
try:
    torch.tensor([3], requires_grad=True)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    section("code", "step by step", "分步来看"),
    md(
        en="""
        The tutorial then goes through the same idea in four steps, with one more operation,
        $z = 3y$. Step 1: the input, a float tensor that requires grad.
        """,
        zh="""
        原教程接着把同样的过程拆成四步，并多加了一步运算 $z = 3y$。第一步：输入，一个需要梯度的浮点张量。
        """,
    ),
    code("""
import minigrad as torch
x = torch.tensor([3],dtype=(float),requires_grad=True)   # 生成一个tensor数据x
x
"""),
    md(
        en="Step 2: compute from it. Each operation adds a node to the graph (run the cell and look):",
        zh="第二步：用它做计算。每一步运算都会在图里添上一个节点（运行后看看图）：",
    ),
    code("""
y = x@x                                                  # 根据x计算y
z = 3*y                                                  # 根据y计算z
view = GraphView(z)
view
"""),
    md(
        en="""
        Step 3: `backward()`. The view from step 2 is live: once the backward pass has run, the gradients
        appear on it. The last line shows the same view again here, so you can compare before and after.
        (The tutorial's comment says "y", but it is `z` that is propagated back.)
        """,
        zh="""
        第三步：`backward()`。第二步里的图是“活”的：反向传播一结束，梯度就会出现在图上。
        最后一行把同一个视图在这里再显示一次，方便对比前后的变化。
        （原教程的注释写的是 “y”，实际反向传播的是 `z`。）
        """,
    ),
    code("""
z.backward()                                             # 将y反向传播
view
"""),
    md(en="Step 4: read the gradient.", zh="第四步：读出梯度。"),
    code("""
print('z对x的梯度:',x.grad)   
"""),
    md(
        en="""
        Why 18? The chain rule, one node at a time: $z = 3y$ gives $\\frac{dz}{dy} = 3$, and $y = x \\cdot x$
        gives $\\frac{dy}{dx} = 2x = 6$; multiplied, $\\frac{dz}{dx} = 3 \\cdot 6 = 18$. The backward pass
        does exactly this: it starts with 1 at `z`, multiplies by 3 at `MulBackward0`, by $2x$ at
        `DotBackward0`, and deposits the product at `x`; the graph above shows each of these nodes.
        """,
        zh="""
        为什么是 18？链式法则，一个节点一个节点地乘：由 $z = 3y$ 得 $\\frac{dz}{dy} = 3$，由 $y = x \\cdot x$
        得 $\\frac{dy}{dx} = 2x = 6$，相乘得 $\\frac{dz}{dx} = 3 \\cdot 6 = 18$。反向传播做的正是这件事：
        从 `z` 处的 1 出发，经过 `MulBackward0` 乘以 3，经过 `DotBackward0` 乘以 $2x$，最后把乘积存到 `x` 上。
        上面的图里能看到每一个这样的节点。
        """,
    ),
    section("code", "the whole program", "完整程序"),
    md(
        en="All four steps in one cell, as the tutorial ends. A fresh `x` starts without a gradient, so we get 18 again:",
        zh="原教程最后把四步合成一个单元格。新建的 `x` 没有旧梯度，所以结果仍是 18：",
    ),
    code("""
import minigrad as torch
x = torch.tensor([3],dtype=(float),requires_grad=True)   # 生成一个tensor数据x
y = x@x                                                  # 根据x计算y
z = 3*y                                                  # 根据y计算z
z.backward()                                             # 将z反向传播
print('z对x的梯度:',x.grad)       
"""),
    section("try"),
    md(
        en="""
        Each exercise has a cell with `answer = ...`. Work the answer out on paper first, type it in,
        and run the cell: `check(answer, expected)` compares it with what autograd computes and prints
        ✓ when they agree. The next cell loads `check` and tries it on 1 + 1. (The exercise cells already
        contain a worked answer; change it and see what happens.)

        **1.** For $y = x^2$ at $x = 5$, what is $\\frac{dy}{dx}$?

        <details><summary>Hint</summary>The slope of x² is 2x.</details>
        """,
        zh="""
        每道题都有一个写着 `answer = ...` 的单元格。先在纸上算出答案，填进去再运行：`check(answer, expected)`
        会把它和 autograd 算出的结果作比较，一致就打出 ✓。下一个单元格先导入 `check`，拿 1 + 1 试一下。
        （练习单元格里已经填好了参考答案，改一改看看会怎样。）

        **1.** 对于 $y = x^2$，在 $x = 5$ 处 $\\frac{dy}{dx}$ 是多少？

        <details><summary>提示</summary>x² 的斜率是 2x。</details>
        """,
    ),
    selfcheck(),
    code("""
answer = 10.0

x = torch.tensor([5], dtype=float, requires_grad=True)
y = x@x
y.backward()
check(answer, x.grad)
"""),
    md(
        en="""
        **2.** Now $w = x \\cdot x \\cdot x$ at $x = 2$. Predict `x.grad`, then let autograd check you.

        <details><summary>Hint</summary>The derivative of x³ is 3x².</details>
        """,
        zh="""
        **2.** 换成 $w = x \\cdot x \\cdot x$，$x = 2$。先预测 `x.grad`，再让 autograd 来验证。

        <details><summary>提示</summary>x³ 的导数是 3x²。</details>
        """,
    ),
    code("""
answer = 12.0

x = torch.tensor([2.0], requires_grad=True)
w = x * x * x
w.backward()
check(answer, x.grad)
"""),
    md(
        en="""
        **3.** What is the dtype of `x.grad` when `x` was made with `dtype=float`? Answer with a dtype
        object such as `torch.float32`.

        <details><summary>Hint</summary>A gradient always has the dtype of its tensor, and Python's float has 64 bits.</details>
        """,
        zh="""
        **3.** 如果 `x` 是用 `dtype=float` 创建的，`x.grad` 的 dtype 是什么？请用 `torch.float32` 这样的
        dtype 对象作答。

        <details><summary>提示</summary>梯度的 dtype 总和张量本身一致，而 Python 的 float 是 64 位。</details>
        """,
    ),
    code("""
answer = torch.float64

x = torch.tensor([3], dtype=float, requires_grad=True)
(x@x).backward()
check(answer, x.grad.dtype)
"""),
    section("recap"),
    md(
        en="""
        * By hand you derive a formula for every function; with autograd you only write the forward computation.
        * Tensors created with `requires_grad=True` record every operation applied to them; `backward()`
          replays the record in reverse (the chain rule) and writes the gradient into `.grad`.
        * Gradients need floating-point tensors; `dtype=float` means `float64`.

        Next: what exactly does a tensor remember, and which tensors take part?
        """,
        zh="""
        * 手工求导要为每个函数推导公式；用 autograd 只需写出前向计算。
        * 用 `requires_grad=True` 创建的张量会记录作用在它身上的每一步运算；`backward()` 沿记录倒着走一遍
          （也就是链式法则），把梯度写进 `.grad`。
        * 求梯度需要浮点张量；`dtype=float` 就是 `float64`。

        下一课：张量究竟记住了什么？哪些张量会参与求导？
        """,
    ),
]
