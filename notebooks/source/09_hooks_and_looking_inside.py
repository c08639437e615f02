"""Lesson 09: hooks and looking inside — register_hook on tensors and nodes, retain_grad, frozen parameters, and
evaluation with no_grad, inference_mode and model.eval(), each shown on the live graph."""

from lesson import code, exercise, exercises_intro, investigate, md, mistake, section, selfcheck

TITLE = {"en": "Hooks and looking inside", "zh": "钩子：看清反向传播的内部"}

SEED_CELLS = []

CELLS = [
    section("goal"),
    md(
        en="""
        `backward()` fills `.grad` on the leaves and nowhere else: the gradients that flow through the middle
        of the graph are gone when it returns. This lesson shows how to look at them, change them, and leave
        parts of the graph out:

        * `tensor.register_hook(f)` and `grad_fn.register_hook(f)`: a function of yours that backward calls
          with a gradient on its way, and that may replace it;
        * `retain_grad()`: keep an intermediate tensor's `.grad`;
        * `requires_grad_(False)` on parameters: freezing them, which PyTorch calls *excluding* them from
          the graph;
        * `torch.no_grad()`, `torch.inference_mode()` and `model.eval()` for evaluation, which do quite
          different things.

        The live graph shows what each of them changes.
        """,
        zh="""
        `backward()` 只给叶子张量填 `.grad`，别处一概不填：流经计算图中间的梯度，在它返回时就不见了。
        本课讲怎样看到这些梯度、修改它们，以及把计算图的一部分排除在外：

        * `tensor.register_hook(f)` 和 `grad_fn.register_hook(f)`：你写的一个函数，反向传播把途经的梯度交给它，
          它还可以换掉这个梯度；
        * `retain_grad()`：保留中间张量的 `.grad`；
        * 对参数调用 `requires_grad_(False)`：冻结参数，PyTorch 称之为把它们从计算图中*排除*；
        * 用于评估的 `torch.no_grad()`、`torch.inference_mode()` 和 `model.eval()`，它们做的事大不相同。

        计算图会实时显示它们各自改变了什么。
        """,
    ),
    section("example", "a hook on a tensor", "张量上的钩子"),
    md(
        en="""
        `h = x * 3` is an intermediate tensor, so `h.grad` stays `None`. A hook registered on `h` is called
        during backward with $\\partial y / \\partial h$, the gradient arriving at `h`; `register_hook`
        returns a handle whose `remove()` takes the hook off again:
        """,
        zh="""
        `h = x * 3` 是一个中间张量，所以 `h.grad` 一直是 `None`。注册在 `h` 上的钩子会在反向传播时被调用，
        拿到 $\\partial y / \\partial h$，也就是到达 `h` 的梯度；`register_hook` 返回一个句柄，调用它的 `remove()`
        就能把钩子摘掉：
        """,
    ),
    code("""
import minigrad as torch
from minigrad import nn
from widgets import GraphView

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
y = (h ** 2).sum()
handle = h.register_hook(lambda grad: print("gradient arriving at h:", grad))
y.backward()
handle.remove()
print("x.grad:", x.grad)
"""),
    md(
        en="""
        $y = \\sum h_i^2$, so the gradient at `h` is $2h = [6, 12]$, and `x` gets three times that. A hook
        that **returns** a tensor replaces the gradient: everything upstream of `h` sees the new one. Here it
        clips the gradient to $[-5, 5]$, as gradient clipping does:
        """,
        zh="""
        $y = \\sum h_i^2$，所以到达 `h` 的梯度是 $2h = [6, 12]$，`x` 得到它的三倍。钩子如果**返回**一个张量，
        就会替换掉原来的梯度：`h` 上游的一切看到的都是新梯度。这里它把梯度截断到 $[-5, 5]$，梯度裁剪就是这样做的：
        """,
    ),
    code("""
x.grad = None
h = x * 3
y = (h ** 2).sum()
h.register_hook(lambda grad: grad.clamp(-5, 5))
y.backward()
print("x.grad:", x.grad)
"""),
    section("graph"),
    md(
        en="""
        Hooks leave the graph as it was: the same nodes, the same edges. What changed is the gradient that
        flowed along them, and so `x.grad` in the picture: $3 \\cdot [5, 5]$, not $3 \\cdot [6, 12]$. The hook
        sat on `h`, the output of `MulBackward0`, so the clipped gradient is what that node received:
        """,
        zh="""
        钩子不改变计算图：节点还是那些节点，边还是那些边。变的是沿边流过的梯度，所以图中的 `x.grad` 是
        $3 \\cdot [5, 5]$，而不是 $3 \\cdot [6, 12]$。钩子挂在 `h` 上，而 `h` 是 `MulBackward0` 的输出，
        所以这个节点收到的就是截断后的梯度：
        """,
    ),
    code("""
GraphView(y, names={"x": x, "h": h, "y": y})
"""),
    section("example", "a hook on a node, and retain_grad", "节点上的钩子与 retain_grad"),
    md(
        en="""
        A node takes hooks too. `grad_fn.register_hook(f)` calls `f(grad_inputs, grad_outputs)` after the
        node has run: what it received (one gradient per output) and what it sends on (one per input, in the
        order of `next_functions`). For `c = a * b` that is the product rule at work:
        """,
        zh="""
        节点也能挂钩子。`grad_fn.register_hook(f)` 会在节点运行之后调用 `f(grad_inputs, grad_outputs)`：
        它收到了什么（每个输出一个梯度），又传出了什么（每个输入一个，顺序与 `next_functions` 相同）。
        对 `c = a * b` 来说，看到的正是乘积法则：
        """,
    ),
    code("""
a = torch.tensor([2.0], requires_grad=True)
b = torch.tensor([5.0], requires_grad=True)
c = a * b


def show(grad_inputs, grad_outputs):
    print("MulBackward0 received", grad_outputs, "and sent", grad_inputs)


c.grad_fn.register_hook(show)
c.backward()
"""),
    md(
        en="""
        When all you want is to keep an intermediate's gradient, `retain_grad()` does it without a hook of your
        own: `h.grad` is filled like a leaf's, and the graph marks `h` as "retains grad":
        """,
        zh="""
        如果只是想留下中间张量的梯度，用 `retain_grad()` 就行，不必自己写钩子：`h.grad` 会像叶子张量的那样被填上，
        图中也会把 `h` 标成 “retains grad”：
        """,
    ),
    code("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
h.retain_grad()
y = (h ** 2).sum()
y.backward()
print(h.is_leaf, h.retains_grad, h.grad)
GraphView(y, names={"x": x, "h": h, "y": y})
"""),
    section("why", "hooks", "钩子"),
    md(
        en="""
        * A tensor hook runs when the gradient with respect to that tensor has been computed; its return value,
          if not `None`, is used instead. On a leaf it runs before the gradient is added into `.grad`.
        * A node hook sees a node's inputs and outputs of one backward step, exactly what the step-through of
          lesson 11 shows.
        * `retain_grad()` is such a hook, built in: it stores the gradient as `.grad`. Every hook stays until
          its handle's `remove()`, and runs in every later backward through that tensor.
        """,
        zh="""
        * 张量上的钩子在该张量的梯度算出来时运行；如果它返回的不是 `None`，就用返回值代替原梯度。
          在叶子张量上，它在梯度累积进 `.grad` 之前运行。
        * 节点上的钩子看到的是某个节点一步反向计算的输入和输出，正是第 11 课单步执行时显示的内容。
        * `retain_grad()` 就是一个内置的钩子：它把梯度存为 `.grad`。每个钩子都会一直留着，直到调用句柄的
          `remove()`，之后每次经过这个张量的反向传播都会运行它。
        """,
    ),
    section("example", "freezing parameters", "冻结参数"),
    md(
        en="""
        To fine-tune only part of a model, you freeze the rest: `requires_grad_(False)` on its parameters.
        Here is a small network, first whole:
        """,
        zh="""
        只想微调模型的一部分时，就把其余部分冻结：对这些参数调用 `requires_grad_(False)`。下面先看一个完整的小网络：
        """,
    ),
    code("""
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
data = torch.tensor([[1.0, 2.0]])
GraphView(model(data), names=dict(model.named_parameters()), live=False)  # before the freezing below
"""),
    md(
        en="""
        That is the whole model: two layers, four parameters, each a leaf with its `AccumulateGrad`. Now
        freeze the first layer (`Module.requires_grad_` sets the flag on each of its parameters) and train
        one step's worth of backward:
        """,
        zh="""
        这是整个模型：两层，四个参数，每个参数都是叶子张量，各有自己的 `AccumulateGrad`。现在冻结第一层
        （`Module.requires_grad_` 会给它的每个参数设置这个标志），再做一次反向传播：
        """,
    ),
    code("""
model[0].requires_grad_(False)
out = model(data)
out.sum().backward()
for name, parameter in model.named_parameters():
    print(name, parameter.requires_grad, parameter.grad)
"""),
    section("graph"),
    md(
        en="""
        The whole model drew 14 boxes; with the first layer frozen there are 7. Its weight and bias are
        leaves that no longer require grad, so no edge leads back to them. The first layer and its ReLU
        are gone: their result needs no gradient any more, so it is only a dashed *constant* tag on the second
        layer's node, and backward has less to do and less to store. PyTorch's introduction to autograd calls
        this *exclusion from the DAG* (the directed acyclic graph that autograd records).
        """,
        zh="""
        整个模型画出来是 14 个框；冻结第一层之后只剩 7 个。第一层的权重和偏置成了不需要梯度的叶子张量，
        没有边再通往它们。第一层和它的 ReLU 都不见了：它们的结果不再需要梯度，
        只在第二层的节点上留下一个虚线的“常量”标签，反向传播要做的事更少，要保存的也更少。
        PyTorch 的 autograd 入门教程把这称为 “exclusion from the DAG”（从有向无环图中排除，
        这个有向无环图就是 autograd 记录下的计算图）。
        """,
    ),
    code("""
GraphView(out, names=dict(model.named_parameters()))
"""),
    section("example", "evaluating a model", "评估模型"),
    md(
        en="""
        To evaluate a model you want no graph at all: under `torch.no_grad()` nothing is recorded, the output
        has no `grad_fn`, and the picture has a single box. `model.eval()` is something else: it switches
        layers such as dropout and batch normalization to their evaluation behaviour, and leaves recording on.
        The graph after `eval()` is the same 7 boxes as before:
        """,
        zh="""
        评估模型时根本不需要计算图：在 `torch.no_grad()` 下什么都不记录，输出没有 `grad_fn`，图里只有一个框。
        `model.eval()` 则是另一回事：它让 dropout、批量规范化这类层切换到评估时的行为，记录却照常进行。
        `eval()` 之后的计算图仍然是原来那 7 个框：
        """,
    ),
    code("""
from IPython.display import display

with torch.no_grad():
    prediction = model(data)
print("under no_grad:", prediction.grad_fn)
display(GraphView(prediction))
model.eval()
prediction = model(data)
print("after eval():", model.training, prediction.grad_fn)
display(GraphView(prediction, names=dict(model.named_parameters())))
"""),
    md(
        en="""
        `torch.inference_mode()` is a stricter `no_grad`, made for serving a model: its results are marked as
        *inference tensors*, which skip even the version counter, and autograd refuses to use them later in a
        recorded computation. The message says both ways out, a `clone()` or plain `no_grad()`:
        """,
        zh="""
        `torch.inference_mode()` 是更严格的 `no_grad`，专为部署模型做推理而设计：其中得到的结果被标记为
        *推理张量*（inference tensor），连版本计数器都省掉了，autograd 也不允许之后把它们用在被记录的计算里。
        报错把两条出路都写明了：`clone()` 一份，或者改用普通的 `no_grad()`：
        """,
    ),
    code("""
with torch.inference_mode():
    prediction = model(data)
print(prediction.grad_fn, prediction.is_inference())
scale = torch.tensor([2.0], requires_grad=True)
try:
    (prediction * scale).sum().backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
"""),
    section("why", "what each switch changes", "每个开关改变了什么"),
    md(
        en="""
        * `requires_grad_(False)` on a leaf changes the graph: operations on it record no edge back to it.
          (Only leaves can be switched off; a computed tensor is left out with `detach()`, lesson 05.)
        * `torch.no_grad()` records nothing inside its block, whatever the flags say: use it for evaluation
          and for updates (lesson 12).
        * `model.eval()` records as before; it only sets `model.training = False` for the layers that behave
          differently in evaluation. Evaluation code uses both: `model.eval()` and `with torch.no_grad():`.
        * `torch.inference_mode()` is `no_grad` for results that will never meet autograd again: a little
          cheaper, and an error if they do.
        """,
        zh="""
        * 对叶子张量调用 `requires_grad_(False)` 会改变计算图：在它上面的运算不再记录通往它的边。
          （只有叶子张量能这样关掉；要把算出来的张量排除在外，用 `detach()`，见第 05 课。）
        * `torch.no_grad()` 在它的代码块里什么都不记录，不管各个标志怎么设：评估和参数更新都用它（第 12 课）。
        * `model.eval()` 照常记录；它只是为那些评估时表现不同的层设置 `model.training = False`。
          评估代码两者都要用：`model.eval()` 加上 `with torch.no_grad():`。
        * `torch.inference_mode()` 是给今后再也不会碰到 autograd 的结果用的 `no_grad`：开销更小一点，
          如果它们又碰到了 autograd，就会报错。
        """,
    ),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "hook-doubles",
        task=md(
            en="""
            **1. Predict, then run.** A hook on `h = x * 3` doubles the gradient that arrives there. The cell
            prints `x.grad`: write down what it will print, put it in `answer` as a list, then run it.

            <details><summary>Hint</summary>Follow the gradient from the output: what arrives at `h`, what
            the hook makes of it, and what `MulBackward0` does with that on its way to `x`.</details>
            """,
            zh="""
            **1. 先预测，再运行。** `h = x * 3` 上的钩子把到达那里的梯度翻倍。这个单元格会打印 `x.grad`：
            先写下它会打印什么，以列表的形式填进 `answer`，再运行。

            <details><summary>提示</summary>从输出开始跟着梯度走：到达 `h` 的是什么，钩子把它变成了什么，
            `MulBackward0` 又在把它传给 `x` 的路上做了什么。</details>
            """,
        ),
        code="""
answer = ...

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
h.register_hook(lambda grad: grad * 2)
(h * h).sum().backward()
print(x.grad)
check(answer, x.grad, "hook-doubles")
""",
        solution="answer = [36.0, 72.0]",
        explain=md(
            en="""
            The gradient arriving at `h` is $2h = [6, 12]$; the hook returns $[12, 24]$, and that replaces it.
            `MulBackward0` then multiplies by 3 on the way to `x`: $[36, 72]$. Without the hook it would be
            $[18, 36]$.
            """,
            zh="""
            到达 `h` 的梯度是 $2h = [6, 12]$；钩子返回 $[12, 24]$，替换了它。`MulBackward0` 在传给 `x` 的路上再乘以 3：
            $[36, 72]$。没有钩子的话是 $[18, 36]$。
            """,
        ),
        mistakes=[
            mistake([18, 36], en="that is x.grad without the hook. The hook's return value replaces the gradient "
                                 "at h, and everything upstream sees the doubled one.",
                    zh="这是没有钩子时的 x.grad。钩子的返回值会替换 h 处的梯度，上游看到的都是翻倍后的梯度。"),
            mistake([12, 24], en="that is the doubled gradient at h. On the way to x it still goes through "
                                 "MulBackward0, which multiplies by 3.",
                    zh="这是 h 处翻倍后的梯度。它传到 x 之前还要经过 MulBackward0，乘以 3。"),
        ],
        predict=True,
    ),
    *exercise(
        "frozen-last-layer",
        task=md(
            en="""
            **2.** Freeze the *second* layer instead of the first. How many of the four parameters get a
            `.grad` from backward?

            <details><summary>Hint</summary>Freezing a layer takes its parameters out of the graph. Does it
            take out what flows *through* the layer?</details>
            """,
            zh="""
            **2.** 改为冻结*第二*层，不冻结第一层。反向传播之后，四个参数里有几个得到了 `.grad`？

            <details><summary>提示</summary>冻结一层，会把它的参数移出计算图。那么*穿过*这一层的梯度呢？</details>
            """,
        ),
        code="""
answer = ...

torch.manual_seed(0)
trial = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
trial[2].requires_grad_(False)
trial(data).sum().backward()
check(answer, sum(parameter.grad is not None for parameter in trial.parameters()), "frozen-last-layer")
""",
        solution="answer = 2",
        explain=md(
            en="""
            The first layer's weight and bias still get theirs. The second layer's parameters are left out,
            but its input, the ReLU's output, still requires grad (it comes from the first layer), so
            `AddmmBackward0` still passes a gradient back through the frozen weight to the first layer.
            Freezing decides who *receives* a gradient, not where gradients may *pass*.
            """,
            zh="""
            第一层的权重和偏置仍然得到各自的梯度。第二层的参数被排除在外，但它的输入，也就是 ReLU 的输出，
            仍然需要梯度（它来自第一层），所以 `AddmmBackward0` 仍会穿过被冻结的权重，把梯度传回第一层。
            冻结决定的是谁*得到*梯度，而不是梯度能从哪里*经过*。
            """,
        ),
        mistakes=[
            mistake(0, en="freezing the last layer does not stop the gradient flowing through it: the first layer "
                          "still gets one.",
                    zh="冻结最后一层并不会挡住穿过它的梯度：第一层照样能得到梯度。"),
            mistake(4, en="the two frozen parameters no longer require grad, so they get no .grad.",
                    zh="被冻结的两个参数不再需要梯度，所以得不到 .grad。"),
        ],
    ),
    *investigate(
        task=md(
            en="""
            **3. Investigate.** Two hooks on one tensor: the cell below registers `grad * 2`, then `grad + 1`,
            and prints `x.grad`. Swap the two `register_hook` lines and run it again. Does the order matter?
            What does each hook receive?
            """,
            zh="""
            **3. 探究。** 一个张量上挂两个钩子：下面的单元格先注册 `grad * 2`，再注册 `grad + 1`，然后打印 `x.grad`。
            把两行 `register_hook` 对调，再运行一次。顺序有没有关系？每个钩子收到的是什么？
            """,
        ),
        code="""
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
h.register_hook(lambda grad: grad * 2)
h.register_hook(lambda grad: grad + 1)
(h * h).sum().backward()
print(x.grad)
""",
        explain=md(
            en="""
            It matters: `[39., 75.]` one way, `[42., 78.]` the other. Hooks run in the order they were
            registered, and each receives what the one before returned: $(2 \\cdot [6, 12]) + 1 = [13, 25]$,
            or $([6, 12] + 1) \\cdot 2 = [14, 26]$, each then times 3 on the way to `x`.
            """,
            zh="""
            有关系：一种顺序得到 `[39., 75.]`，另一种得到 `[42., 78.]`。钩子按注册的先后运行，每个钩子收到的是前一个的返回值：
            $(2 \\cdot [6, 12]) + 1 = [13, 25]$，或者 $([6, 12] + 1) \\cdot 2 = [14, 26]$，传到 `x` 时再各乘以 3。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * `t.register_hook(lambda grad: ...)` sees (and may replace) the gradient with respect to `t`;
          `t.grad_fn.register_hook(lambda grad_inputs, grad_outputs: ...)` sees a node's step; `handle.remove()`.
        * `t.retain_grad()` keeps `.grad` on an intermediate tensor.
        * `parameter.requires_grad_(False)` freezes: the graph stops at it, and it gets no `.grad`.
        * Evaluate with `model.eval()` **and** `torch.no_grad()` (or `torch.inference_mode()`): the first
          changes layers, the second stops recording.

        Next: write an operation of your own as a `Function`, and check its backward with `gradcheck`.
        """,
        zh="""
        * `t.register_hook(lambda grad: ...)` 看到（并可替换）关于 `t` 的梯度；
          `t.grad_fn.register_hook(lambda grad_inputs, grad_outputs: ...)` 看到一个节点的一步；`handle.remove()` 摘掉钩子。
        * `t.retain_grad()` 让中间张量保留 `.grad`。
        * `parameter.requires_grad_(False)` 冻结参数：计算图到它为止，它也得不到 `.grad`。
        * 评估时 `model.eval()` **和** `torch.no_grad()`（或 `torch.inference_mode()`）都要用：前者改变层的行为，
          后者停止记录。

        下一课：自己写一个 `Function` 运算，并用 `gradcheck` 检验它的反向传播。
        """,
    ),
]
