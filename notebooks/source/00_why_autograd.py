"""Lesson 00: a gradient by hand versus a gradient from autograd (seed 002)."""

from lesson import code, comments_in_english, exercise, exercises_intro, investigate, md, mistake, runs_once, section, selfcheck

TITLE = {"en": "Why autograd", "zh": "为什么需要自动微分"}

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

        In this lesson you find one gradient three ways: by nudging the input and measuring, by hand
        the way you learned in a calculus class, and by letting autograd work it out. By the end you
        will know:

        * what a gradient measures, and how to estimate one with nothing but the function;
        * what `backward()` does and where the answer lands (`x.grad`);
        * why the tensor needs a floating-point dtype, and why the gradient printed here is `float64`.

        Throughout the course `torch` is **minigrad**, a small autograd engine written in plain
        Python and numpy that follows PyTorch's API. The tutorial code runs unchanged on it.
        """,
        zh="""
        梯度描述的是：输入稍微动一动，输出会变化多快。训练模型说到底就是在不停地算梯度，
        所以梯度算得又快又准非常重要。

        这一课我们用三种办法求同一个梯度：把输入挪动一点点、量一量输出变了多少；像微积分课上那样手工推导；
        再交给 autograd 自动求。学完之后你会知道：

        * 梯度衡量的是什么，以及怎样只凭函数本身把它估算出来；
        * `backward()` 做了什么，结果存放在哪里（`x.grad`）；
        * 为什么张量必须是浮点类型，为什么这里打印出的梯度是 `float64`。

        整套课程里的 `torch` 其实是 **minigrad**：一个用纯 Python 和 numpy 写成的小型自动微分引擎，
        接口与 PyTorch 一致，教程里的代码原样就能运行。
        """,
    ),
    section("example", "nudge and measure", "挪一点，量一量"),
    md(
        en="""
        Take $y = x^2$ and ask how fast $y$ changes at $x = 3$. Before any calculus you can simply try it:
        move $x$ a little, by $h$, and divide the change in $y$ by the change in $x$. The smaller the
        nudge, the closer the ratio gets to one number:
        """,
        zh="""
        以 $y = x^2$ 为例，问：在 $x = 3$ 处，$y$ 变化得有多快？不用任何微积分，直接试就行：把 $x$ 挪动一点点，
        挪 $h$，再用 $y$ 的变化量除以 $x$ 的变化量。挪得越少，这个比值就越接近同一个数：
        """,
    ),
    code("""
def f(x):
    return x * x


for h in (0.1, 0.01, 0.001):
    print(f"h = {h:<5}  (f(3 + h) - f(3)) / h = {(f(3 + h) - f(3)) / h:.4f}")
"""),
    md(
        en="""
        The ratio heads for 6: near $x = 3$, $y$ grows about 6 times as fast as $x$. That limit is the
        derivative, the gradient of a one-input function. Measuring works for any function you can run,
        but it costs one extra run per input, and it is only approximate. Lesson 10 comes back to it: it
        is how `gradcheck` tests a backward pass.
        """,
        zh="""
        比值趋向 6：在 $x = 3$ 附近，$y$ 的增长速度大约是 $x$ 的 6 倍。这个极限就是导数，也就是单输入函数的梯度。
        这种测量办法对任何能运行的函数都适用，但每个输入都要多算一遍，而且只是近似值。第 10 课还会再用到它：
        `gradcheck` 就是这样检验反向传播的。
        """,
    ),
    section("code", "by hand", "手工求导"),
    md(
        en="""
        The exact answer comes from calculus: derive the formula $\\frac{dy}{dx} = 2x$, then write that
        formula in code:
        """,
        zh="""
        精确的答案来自微积分：先自己推出公式 $\\frac{dy}{dx} = 2x$，再把公式写进代码：
        """,
    ),
    code("""
x  = 3
dy = 2*x
print('y对x的梯度:',dy) 
"""),
    comments_in_english("""
        `'y对x的梯度:'` reads "the gradient of y with respect to x:".
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
    section("code", "with autograd", "自动微分"),
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
    comments_in_english("""
        `# 生成一个tensor数据x`: make a tensor x · `# 根据x计算y`: compute y from x ·
        `# 将y反向传播`: backpropagate y · `# 打印y对x的梯度`: print the gradient of y with respect to x.
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
        只有浮点（以及复数）张量才能需要梯度：导数是变化率，而整数没法“变化一点点”。下面这行在 PyTorch 里会直接报错：
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
view.freeze()
"""),
    comments_in_english("""
        `# 根据x计算y`: compute y from x · `# 根据y计算z`: compute z from y.
        """),
    md(
        en="""
        Step 3: `backward()`. `view` is live: once the backward pass has run, the gradients appear on it.
        Step 2 showed `view.freeze()`, a picture of the moment before, so you can compare before and after.
        (The tutorial's comment says "y", but it is `z` that is propagated back.)
        """,
        zh="""
        第三步：`backward()`。`view` 是“活”的：反向传播一结束，梯度就会出现在图上。
        第二步显示的是 `view.freeze()`，也就是之前那一刻的定格图，方便对比前后的变化。
        （原教程的注释写的是 “y”，实际反向传播的是 `z`。）
        """,
    ),
    code("""
z.backward()                                             # 将y反向传播
view
"""),
    runs_once(),
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
    comments_in_english("""
        `# 将z反向传播`: backpropagate z · `'z对x的梯度:'`: "the gradient of z with respect to x:".
        """),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "slope-of-square",
        task=md(
            en="""
            **1.** For $y = x^2$ at $x = 5$, what is $\\frac{dy}{dx}$?

            <details><summary>Hint</summary>Differentiate by hand, or nudge: how much does $x^2$ change when
            $x$ goes from 5 to 5.001, per unit of change in $x$?</details>
            """,
            zh="""
            **1.** 对于 $y = x^2$，在 $x = 5$ 处 $\\frac{dy}{dx}$ 是多少？

            <details><summary>提示</summary>可以手工求导，也可以挪一挪：$x$ 从 5 变到 5.001 时，$x^2$
            变化了多少？再除以 $x$ 的变化量。</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([5], dtype=float, requires_grad=True)
y = x@x
y.backward()
check(answer, x.grad, "slope-of-square")
""",
        solution="answer = 10.0",
        explain=md(
            en="""
            $\\frac{d}{dx} x^2 = 2x = 10$ at $x = 5$. Nudging gives nearly the same:
            $(5.001^2 - 5^2) / 0.001 = 10.001$.
            """,
            zh="""
            $\\frac{d}{dx} x^2 = 2x$，在 $x = 5$ 处等于 10。挪一挪也能得到几乎相同的数：
            $(5.001^2 - 5^2) / 0.001 = 10.001$。
            """,
        ),
        mistakes=[
            mistake(25, en="25 is y itself, x² at x = 5. The question asks how fast y changes.",
                    zh="25 是 y 本身，也就是 x = 5 时的 x²。题目问的是 y 变化得有多快。"),
            mistake(5, en="5 is x. The slope of x² grows twice as fast as x.",
                    zh="5 是 x 本身。x² 的斜率是 x 的两倍。"),
        ],
    ),
    *exercise(
        "slope-of-cube",
        task=md(
            en="""
            **2. Predict, then run.** Now $w = x \\cdot x \\cdot x$ at $x = 2$. What will `x.grad` be after
            `w.backward()`? Write down your prediction, then run the cell: the check shows the real `x.grad`.

            <details><summary>Hint</summary>$w = x^3$. Differentiate it, or nudge $x$ a little and measure.</details>
            """,
            zh="""
            **2. 先预测，再运行。** 换成 $w = x \\cdot x \\cdot x$，$x = 2$。`w.backward()` 之后 `x.grad` 会是多少？
            先写下你的预测，再运行单元格：检查会显示真实的 `x.grad`。

            <details><summary>提示</summary>$w = x^3$。可以对它求导，也可以把 $x$ 挪一点点量一量。</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([2.0], requires_grad=True)
w = x * x * x
w.backward()
check(answer, x.grad, "slope-of-cube")
""",
        solution="answer = 12.0",
        explain=md(
            en="""
            $\\frac{d}{dx} x^3 = 3x^2 = 12$ at $x = 2$. Autograd gets there without the formula: two
            `MulBackward0` nodes, and `x` reached along three edges, each carrying $x \\cdot x = 4$.
            """,
            zh="""
            $\\frac{d}{dx} x^3 = 3x^2$，在 $x = 2$ 处等于 12。autograd 不需要这个公式：两个 `MulBackward0` 节点，
            有三条边通到 `x`，每条都带回 $x \\cdot x = 4$。
            """,
        ),
        mistakes=[
            mistake(8, en="8 is w itself, 2³. The question asks for its slope.",
                    zh="8 是 w 本身，也就是 2³。题目问的是它的斜率。"),
            mistake(4, en="4 = 2x is the slope of x²; w multiplies x three times.",
                    zh="4 = 2x 是 x² 的斜率；w 是三个 x 相乘。"),
            mistake(6, en="6 = 3x: the exponent comes down, but x³ becomes 3x², not 3x.",
                    zh="6 = 3x：指数确实要乘到前面，但 x³ 的导数是 3x²，不是 3x。"),
        ],
        predict=True,
    ),
    *exercise(
        "grad-dtype",
        task=md(
            en="""
            **3.** What is the dtype of `x.grad` when `x` was made with `dtype=float`? Answer with a dtype
            object such as `torch.float32`.

            <details><summary>Hint</summary>Which dtype does Python's `float` stand for, and which dtype
            would a gradient of `x` need to hold changes of `x`?</details>
            """,
            zh="""
            **3.** 如果 `x` 是用 `dtype=float` 创建的，`x.grad` 的 dtype 是什么？请用 `torch.float32` 这样的
            dtype 对象作答。

            <details><summary>提示</summary>Python 的 `float` 对应哪种 dtype？`x` 的梯度描述的是 `x` 的变化，
            它需要什么 dtype？</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([3], dtype=float, requires_grad=True)
(x@x).backward()
check(answer, x.grad.dtype, "grad-dtype")
""",
        solution="answer = torch.float64",
        explain=md(
            en="""
            Python's `float` is a 64-bit floating-point number, so `x` is `float64`, and a gradient always
            has the dtype (and shape) of its tensor: `torch.float64`. That is why the printed gradient ends
            with `dtype=minigrad.float64` here (`dtype=torch.float64` in PyTorch).
            """,
            zh="""
            Python 的 `float` 是 64 位浮点数，所以 `x` 是 `float64`；而梯度的 dtype（和形状）总与它的张量一致：
            `torch.float64`。所以打印出的梯度末尾带着 `dtype=minigrad.float64`（在 PyTorch 里是 `dtype=torch.float64`）。
            """,
        ),
        mistakes=[mistake(
            "torch.float32",
            en="float32 is PyTorch's default dtype, but x was made with dtype=float, Python's 64-bit float, and a "
               "gradient has its tensor's dtype.",
            zh="float32 是 PyTorch 的默认 dtype，但 x 是用 dtype=float（Python 的 64 位浮点数）创建的，"
               "而梯度的 dtype 与它的张量一致。",
        )],
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** The cell below is the tutorial's computation again. Change `z = 3*y` to
            `z = 3*y + y`, then to `z = y*y`. Before each run, work out `x.grad` by hand ($y = x^2$, $x = 3$),
            then compare. Finally run the cell twice without changing it: does `x.grad` change? Why not?
            """,
            zh="""
            **4. 探究。** 下面的单元格又是教程里的计算。把 `z = 3*y` 改成 `z = 3*y + y`，再改成 `z = y*y`。
            每次运行之前，先手工算出 `x.grad`（$y = x^2$，$x = 3$），再对照。最后，不做任何修改把这个单元格
            运行两次：`x.grad` 变了吗？为什么没变？
            """,
        ),
        code="""
x = torch.tensor([3], dtype=float, requires_grad=True)
y = x@x
z = 3*y
z.backward()
print(x.grad)
""",
        explain=md(
            en="""
            `3*y + y` is $4x^2$, whose derivative is $8x = 24$; `y*y` is $x^4$, with derivative
            $4x^3 = 108$. Autograd follows whatever you compute; no formula has to be written for it.
            Running the cell again prints the same gradient because its first line makes a *new* `x`,
            with no `.grad` yet: gradients add up only on the same tensor, backward after backward.
            """,
            zh="""
            `3*y + y` 就是 $4x^2$，导数是 $8x = 24$；`y*y` 是 $x^4$，导数是 $4x^3 = 108$。你算什么，autograd
            就跟着求什么的导数，不需要为它写任何公式。再次运行这个单元格，打印的梯度不变，因为第一行创建了一个
            **新的** `x`，它还没有 `.grad`：只有对同一个张量一次又一次地反向传播，梯度才会累积起来。
            """,
        ),
    ),
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
