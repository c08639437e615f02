"""Lesson 12: training a small model with nn and optim, the graph and gradients updating after each step."""

from lesson import code, exercise, exercises_intro, investigate, md, mistake, section, selfcheck

TITLE = {"en": "Putting it together: training a model", "zh": "融会贯通：训练一个模型"}

SEED_CELLS = []

CELLS = [
    section("goal"),
    md(
        en="""
        Everything so far comes together in one loop, the loop that trains every neural network:

        1. **forward**: compute a loss from the model's parameters (a graph is recorded);
        2. **backward**: `loss.backward()` fills each parameter's `.grad`;
        3. **step**: the optimizer moves each parameter a little against its gradient (under `no_grad`,
           lesson 05, changing leaves in place, lesson 07);
        4. **zero_grad**: clear the gradients, because they accumulate (lesson 03).

        You will fit a straight line with `nn.Linear`, `nn.MSELoss` and `optim.SGD`, and watch the graph,
        the parameters and their gradients change after every step. Then the same loop trains a small
        network with `nn.CrossEntropyLoss` and `optim.Adam`.
        """,
        zh="""
        前面学过的内容会在一个循环里汇合，这正是训练所有神经网络的那个循环：

        1. **前向**：用模型参数算出损失（同时记录下计算图）；
        2. **反向**：`loss.backward()` 填好每个参数的 `.grad`；
        3. **更新**：优化器让每个参数沿梯度的反方向挪一小步（在 `no_grad` 下进行，见第 05 课；
           原地修改叶子张量，见第 07 课）；
        4. **清零**：把梯度清掉，因为梯度会累积（第 03 课）。

        你将用 `nn.Linear`、`nn.MSELoss` 和 `optim.SGD` 拟合一条直线，并观察每一步之后计算图、参数和梯度的变化。
        然后用同一个循环，配合 `nn.CrossEntropyLoss` 和 `optim.Adam` 训练一个小型网络。
        """,
    ),
    section("example", "data and model", "数据与模型"),
    md(
        en="""
        Twenty points near the line $y = 3x + 0.5$, with a little noise. The random generator is seeded, so
        the numbers (and everything trained from them) are the same every run, and the same as PyTorch's.
        """,
        zh="""
        在直线 $y = 3x + 0.5$ 附近取二十个点，加上一点噪声。随机数生成器固定了种子，所以这些数
        （以及用它们训练出来的一切）每次运行都一样，也和 PyTorch 给出的完全相同。
        """,
    ),
    code("""
import minigrad as torch
from minigrad import nn, optim

torch.manual_seed(0)
x = torch.rand(20, 1) * 2 - 1
y = 3 * x + 0.5 + 0.1 * torch.randn(20, 1)
print(x[:3], y[:3])
"""),
    md(
        en="""
        `nn.Linear(1, 1)` computes `x @ weight.T + bias`: one weight and one bias, both `nn.Parameter`s
        (leaf tensors that require grad), starting at random values. `MSELoss` is the mean squared error;
        `SGD` with `lr=0.1` will do `p -= 0.1 * p.grad` for every parameter. (The cell seeds the generator
        too, so running it again starts from the same values.)
        """,
        zh="""
        `nn.Linear(1, 1)` 计算 `x @ weight.T + bias`：一个权重、一个偏置，都是 `nn.Parameter`
        （需要梯度的叶子张量），初始值是随机的。`MSELoss` 是均方误差；`lr=0.1` 的 `SGD` 会对每个参数执行
        `p -= 0.1 * p.grad`。（这个单元格也固定了随机种子，所以重新运行时总是从相同的初始值开始。）
        """,
    ),
    code("""
torch.manual_seed(1)
model = nn.Linear(1, 1)
loss_fn = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
print(model)
print(model.weight, model.bias)
"""),
    section("graph", "one step, piece by piece", "一步一步拆开看"),
    md(
        en="""
        The forward pass, and its graph. `AddmmBackward0` is the linear layer (bias + x @ weightᵀ, with
        `TBackward0` for the transpose), `MseLossBackward0` the loss. `x` and `y` are data that need no
        gradient: they are the dashed tags `x` and `y` on the nodes that use them, and no gradient flows back
        into them. This view is live: it follows the parameters through the whole lesson, so after Run All
        it already shows where training ends (a weight near 3, the last step's gradients). Run the cells one
        at a time to watch it change.
        """,
        zh="""
        前向计算和它的计算图。`AddmmBackward0` 是线性层（bias + x @ weightᵀ，转置对应 `TBackward0`），
        `MseLossBackward0` 是损失。`x` 和 `y` 是不需要梯度的数据：它们就是用到它们的节点上那两个虚线小标签 `x` 和 `y`，梯度不会流回它们。这个视图是“活”的：它会跟着参数走完整节课，所以“全部运行”（Run All）之后它显示的已经是训练结束时的样子
        （权重接近 3，梯度是最后一步的）。逐个运行单元格，就能看着它一步步变化。
        """,
    ),
    code("""
from widgets import GraphView

loss = loss_fn(model(x), y)
print(loss)
view = GraphView(loss, names={"weight": model.weight, "bias": model.bias, "loss": loss})
view
"""),
    md(
        en="""
        Backward: the parameters get their gradients. `view.freeze()` keeps a picture of this moment; the view
        above stays live and follows the model through the rest of the lesson.
        """,
        zh="""
        反向传播：参数得到了梯度。`view.freeze()` 把这一刻定格成一张图；上面的视图一直是“活”的，会跟着模型走完本课剩下的部分。
        """,
    ),
    code("""
loss.backward(retain_graph=True)  # keeps the graph, so the cell can run again (the gradients then add up)
print(model.weight.grad, model.bias.grad)
view.freeze()
"""),
    md(
        en="""
        Step: both gradients are negative (the loss falls as the parameters grow), so SGD increases both:
        each parameter becomes $p - 0.1 \\cdot \\text{grad}$. The cell prints that sum for the weight next to
        the weight itself. The picture updates too: the leaves are the very tensors the optimizer just
        changed in place.
        """,
        zh="""
        更新：两个梯度都是负的（参数变大，损失就下降），所以 SGD 让两者都增大：每个参数都变成
        $p - 0.1 \\cdot \\text{grad}$。单元格把权重的这个算式和更新后的权重并排打印出来。上面的图也随之更新：
        图里的叶子张量正是优化器刚刚原地修改的那两个张量。
        """,
    ),
    code("""
before, grad = model.weight.item(), model.weight.grad.item()
optimizer.step()
print(f"{before:.4f} - 0.1 * ({grad:.4f}) = {before - 0.1 * grad:.4f}")
print(model.weight, model.bias)
"""),
    md(
        en="""
        Zero the gradients before the next backward pass. Like PyTorch, `zero_grad()` sets them to `None`
        rather than filling them with zeros:
        """,
        zh="""
        在下一次反向传播之前把梯度清零。和 PyTorch 一样，`zero_grad()` 是把它们设为 `None`，而不是填上 0：
        """,
    ),
    code("""
optimizer.zero_grad()
print(model.weight.grad, model.bias.grad)
"""),
    section("example", "the training loop", "训练循环"),
    md(
        en="""
        The four moves, packed into one function:
        """,
        zh="""
        把这四步打包成一个函数：
        """,
    ),
    code("""
def train_step():
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss


loss = train_step()
print(f"loss {loss.item():.4f}   weight {model.weight.item():.4f}   bias {model.bias.item():.4f}")
"""),
    md(
        en="""
        **Live demo.** Run the next cell again and again (Ctrl+Enter keeps the focus on it). Each run is one
        training step: the loss shrinks, the weight heads for 3 and the bias for 0.5, and the picture shows the
        new loss's graph with the gradients of that step. The view further up follows along as well.
        """,
        zh="""
        **现场演示。** 反复运行下面这个单元格（按 Ctrl+Enter，焦点会留在原处）。每运行一次就是一步训练：
        损失变小，权重向 3 靠拢，偏置向 0.5 靠拢；图里画的是新一步损失的计算图，以及这一步的梯度。
        上面那张图也会跟着变化。
        """,
    ),
    code("""
loss = train_step()
print(f"loss {loss.item():.4f}   weight {model.weight.item():.4f}   bias {model.bias.item():.4f}")
GraphView(loss, names={"weight": model.weight, "bias": model.bias, "loss": loss})
"""),
    md(
        en="A hundred more steps, printing every twentieth:",
        zh="再训练一百步，每二十步打印一次：",
    ),
    code("""
for step in range(100):
    loss = train_step()
    if step % 20 == 0:
        print(step, loss)
print(model.weight, model.bias)
"""),
    md(
        en="""
        The weight and bias found are close to the 3 and 0.5 the data came from, and as close as twenty
        noisy points allow; more steps would not get nearer.
        """,
        zh="""
        学到的权重和偏置和生成数据用的 3 与 0.5 很接近；二十个带噪声的点也只能做到这么好了，再多训练几步也不会更近。
        """,
    ),
    section("example", "a small network", "一个小型网络"),
    md(
        en="""
        The loop does not care what the model is. Here is a network with a hidden layer that learns to tell
        which points lie in the first or third quadrant (label 1) from the others (label 0), a pattern no
        straight line can separate. `CrossEntropyLoss` is the usual loss for classes, and `Adam` adapts the
        step size of each parameter on its own.
        """,
        zh="""
        训练循环并不关心模型长什么样。下面这个带隐藏层的网络要学会区分：点落在第一或第三象限（标签 1），
        还是其他象限（标签 0）。这种模式没有哪条直线能分开。`CrossEntropyLoss` 是分类问题常用的损失，
        `Adam` 会为每个参数各自调整步长。
        """,
    ),
    code("""
torch.manual_seed(0)
points = torch.randn(40, 2)
labels = (points[:, 0] * points[:, 1] > 0).long()
net = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))
criterion = nn.CrossEntropyLoss()
adam = optim.Adam(net.parameters(), lr=0.05)
print(net)
"""),
    code("""
for step in range(150):
    adam.zero_grad()
    loss = criterion(net(points), labels)
    loss.backward()
    adam.step()
    if step % 50 == 0:
        print(step, loss)

with torch.no_grad():
    accuracy = (net(points).argmax(dim=1) == labels).float().mean()
print(loss, accuracy)
"""),
    md(
        en="""
        `accuracy` is the fraction of the 40 points the network classifies correctly: its **training
        accuracy**, measured on the very points it learned from. It shows the network fits them; how well it
        does on points it has never seen is another question (task 4 below). The graph of this loss is
        bigger; the widget keeps it readable, and you can click any node to see its values:
        """,
        zh="""
        `accuracy` 是这 40 个点中被网络分对的比例，也就是**训练准确率**：它是在网络学习用的那些点上测出来的。
        它说明网络拟合了这些点；至于在从没见过的点上表现如何，那是另一个问题（见下面第 4 题）。
        这个损失的计算图更大一些；组件会让它保持清晰可读，点击任意节点还能查看它的数值：
        """,
    ),
    code("""
names = dict(net.named_parameters())
names["loss"] = loss
GraphView(loss, names=names)
"""),
    section("why"),
    md(
        en="""
        * `nn.Module`s (like `nn.Linear`, `nn.Sequential`) hold their parameters as leaf tensors that require
          grad; calling the module records the forward pass like any other computation.
        * `loss.backward()` is the engine of lesson 11: it fills `.grad` of every parameter the loss depends on.
        * `optimizer.step()` updates each parameter in place under `torch.no_grad()`: allowed for leaves
          (lesson 07), and not recorded, so the update does not become part of the next graph.
        * `optimizer.zero_grad()` is needed because `.grad` accumulates. Forgetting it adds up the gradients
          of several steps, a classic bug.
        * Each forward pass builds a fresh graph, and each backward pass frees it: the graph lives for exactly
          one step.
        """,
        zh="""
        * `nn.Module`（比如 `nn.Linear`、`nn.Sequential`）把参数保存为需要梯度的叶子张量；调用模块时，
          前向计算和其他运算一样被记录下来。
        * `loss.backward()` 就是第 11 课的那个引擎：它为损失所依赖的每个参数填好 `.grad`。
        * `optimizer.step()` 在 `torch.no_grad()` 下原地更新每个参数：叶子张量允许这样修改（第 07 课），
          而且不被记录，所以更新本身不会混进下一张计算图。
        * 之所以需要 `optimizer.zero_grad()`，是因为 `.grad` 会累积。忘了它，几步的梯度就会叠加在一起，这是个经典 bug。
        * 每次前向计算都会新建一张图，每次反向传播都会把它释放：一张计算图的寿命恰好是一步。
        """,
    ),
    section("try"),
    exercises_intro(),
    selfcheck(),
    *exercise(
        "linear-parameters",
        task=md(
            en="""
            **1.** How many numbers does `nn.Linear(3, 2)` learn?

            <details><summary>Hint</summary>How many weights connect 3 inputs to 2 outputs, and how many
            biases are there?</details>
            """,
            zh="""
            **1.** `nn.Linear(3, 2)` 一共要学习多少个数？

            <details><summary>提示</summary>把 3 个输入连到 2 个输出需要多少个权重？偏置又有几个？</details>
            """,
        ),
        code="""
answer = ...

layer = nn.Linear(3, 2)
check(answer, sum(p.numel() for p in layer.parameters()), "linear-parameters")
""",
        solution="answer = 8",
        explain=md(
            en="""
            A 2×3 weight matrix (one weight from each input to each output) and one bias per output:
            $6 + 2 = 8$.
            """,
            zh="""
            一个 2×3 的权重矩阵（每个输入到每个输出各一个权重），再加上每个输出一个偏置：$6 + 2 = 8$。
            """,
        ),
        mistakes=[
            mistake(6, en="6 is the weight matrix alone; nn.Linear also learns a bias, one per output.",
                    zh="6 只是权重矩阵；nn.Linear 还要学习偏置，每个输出一个。"),
            mistake(9, en="the bias has one entry per output (2), not per input (3).",
                    zh="偏置的个数等于输出的个数（2），而不是输入的个数（3）。"),
        ],
    ),
    *exercise(
        "sgd-step",
        task=md(
            en="""
            **2.** One SGD step by hand: a parameter $w = 1$, loss $(2w - 4)^2$, learning rate 0.1. What is $w$
            after `step()`?

            <details><summary>Hint</summary>The chain rule for a square: the outer derivative times the
            inner one, at $w = 1$. Then SGD steps against the gradient.</details>
            """,
            zh="""
            **2.** 手工做一步 SGD：参数 $w = 1$，损失 $(2w - 4)^2$，学习率 0.1。`step()` 之后 $w$ 是多少？

            <details><summary>提示</summary>对平方用链式法则：外层的导数乘以内层的导数，代入 $w = 1$。
            然后 SGD 朝梯度的反方向走一步。</details>
            """,
        ),
        code="""
answer = ...

w = nn.Parameter(torch.tensor(1.0))
sgd = optim.SGD([w], lr=0.1)
loss = (2 * w - 4) ** 2
loss.backward()
sgd.step()
check(answer, w, "sgd-step")
""",
        solution="answer = 1.8",
        explain=md(
            en="""
            $\\frac{d}{dw}(2w - 4)^2 = 2(2w - 4) \\cdot 2 = -8$ at $w = 1$, and SGD does
            $w - 0.1 \\cdot (-8) = 1.8$: the loss is lowest at $w = 2$, and the step moves towards it.
            """,
            zh="""
            $\\frac{d}{dw}(2w - 4)^2 = 2(2w - 4) \\cdot 2$，在 $w = 1$ 处等于 $-8$；SGD 执行
            $w - 0.1 \\cdot (-8) = 1.8$：损失在 $w = 2$ 处最小，这一步正朝它走去。
            """,
        ),
        mistakes=[
            mistake(0.2, en="that step went uphill: SGD subtracts lr · grad, and the gradient here is negative.",
                    zh="这一步走反了：SGD 减去的是学习率乘以梯度，而这里的梯度是负的。"),
            mistake(1.4, en="that forgets the inner derivative: d/dw (2w − 4) = 2 multiplies in (chain rule).",
                    zh="这漏掉了内层的导数：d/dw (2w − 4) = 2 也要乘进去（链式法则）。"),
            mistake(9, en="the learning rate is missing: the step is 0.1 · 8, not 8.",
                    zh="漏掉了学习率：这一步走的是 0.1 · 8，而不是 8。"),
        ],
    ),
    *exercise(
        "forgot-zero-grad",
        task=md(
            en="""
            **3. Predict, then run.** Forgetting `zero_grad()`: with $w = 1$, `(3 * w).backward()` runs twice.
            What is `w.grad` then? Write down your prediction, then run the cell: the check shows the real
            `w.grad`.

            <details><summary>Hint</summary>What does the second backward pass find in `w.grad`, and what
            does it do with it?</details>
            """,
            zh="""
            **3. 先预测，再运行。** 忘了 `zero_grad()`：$w = 1$，`(3 * w).backward()` 执行了两次。
            这时 `w.grad` 是多少？先写下你的预测，再运行单元格：检查会显示真实的 `w.grad`。

            <details><summary>提示</summary>第二次反向传播在 `w.grad` 里看到了什么？它又怎样处理？</details>
            """,
        ),
        code="""
answer = ...

w = nn.Parameter(torch.tensor(1.0))
(3 * w).backward()
(3 * w).backward()
check(answer, w.grad, "forgot-zero-grad")
""",
        solution="answer = 6.0",
        explain=md(
            en="""
            Each pass adds $\\frac{d}{dw} 3w = 3$ into `w.grad`: $3 + 3 = 6$. In a training loop the step
            would then use the sum of two steps' gradients, which is why `zero_grad()` opens every step.
            """,
            zh="""
            每次反向传播都把 $\\frac{d}{dw} 3w = 3$ 加进 `w.grad`：$3 + 3 = 6$。在训练循环里，这一步更新用的就会是
            两步梯度之和，所以每一步都要先 `zero_grad()`。
            """,
        ),
        mistakes=[
            mistake(3, en="3 is one backward pass; .grad accumulates across passes until zero_grad() clears it.",
                    zh="3 只是一次反向传播的结果；.grad 会在多次反向传播之间累积，直到 zero_grad() 把它清掉。"),
            mistake(9, en="the gradients of the two passes add: 3 + 3.",
                    zh="两次反向传播的梯度是相加：3 + 3。"),
        ],
        predict=True,
    ),
    *investigate(
        task=md(
            en="""
            **4. Investigate.** The accuracy printed above is *training* accuracy, measured on the 40 points
            the network learned from. The cell below draws 200 new points from the same pattern and measures
            the accuracy on them. Run it and compare. Then change `range(150)` in the training cell to
            `range(1000)`, run the network's cells again from `torch.manual_seed(0)`, and this cell once
            more. What happens to the training loss, the training accuracy and the accuracy on new points?
            """,
            zh="""
            **4. 探究。** 上面打印的准确率是**训练**准确率，是在网络学习用的那 40 个点上测出来的。下面的单元格
            按同样的规律新取 200 个点，测网络在它们上面的准确率。运行并比较。然后把训练单元格里的 `range(150)`
            改成 `range(1000)`，从 `torch.manual_seed(0)` 那个单元格开始重新运行网络的单元格，再运行一次这个单元格。
            训练损失、训练准确率和新点上的准确率各有什么变化？
            """,
        ),
        code="""
torch.manual_seed(1)
new_points = torch.randn(200, 2)
new_labels = (new_points[:, 0] * new_points[:, 1] > 0).long()
with torch.no_grad():
    new_accuracy = (net(new_points).argmax(dim=1) == new_labels).float().mean()
print(new_accuracy)
""",
        explain=md(
            en="""
            On new points the accuracy is lower than on the training points (about 0.9 against 1.0): the
            network is wrong near the axes, where 40 points say little about where the boundary lies.
            Training longer drives the training loss towards 0, but the accuracy on new points does not
            improve: the network only fits its 40 points more tightly. To know how a model does on data
            it has not seen, measure it on data it has not seen (a test set), with `no_grad`.
            """,
            zh="""
            新点上的准确率比训练点上的低（大约 0.9 对 1.0）：网络在坐标轴附近会出错，因为 40 个点说明不了边界
            到底在哪里。训练得更久，训练损失会趋近于 0，但新点上的准确率并不会提高：网络只是把那 40 个点拟合得更紧。
            要知道模型在没见过的数据上表现如何，就要在没见过的数据（测试集）上测量，并且放在 `no_grad` 里。
            """,
        ),
    ),
    section("recap"),
    md(
        en="""
        * Training is a loop of four moves: forward (`loss = loss_fn(model(x), y)`), `loss.backward()`,
          `optimizer.step()`, `optimizer.zero_grad()`.
        * Parameters are leaves that require grad; the optimizer changes them in place under `no_grad`.
        * The graph is rebuilt at every step, and the widget shows it, with the gradients of that step.

        That is the whole course: tensors that remember, graphs, `backward`, vector–Jacobian products,
        stopping the tape, higher-order gradients, in-place changes, the engine, and a training loop.
        """,
        zh="""
        * 训练就是四步的循环：前向（`loss = loss_fn(model(x), y)`）、`loss.backward()`、`optimizer.step()`、
          `optimizer.zero_grad()`。
        * 参数是需要梯度的叶子张量；优化器在 `no_grad` 下原地修改它们。
        * 每一步都会重新建图，组件把它连同这一步的梯度一起画出来。

        整套课程到此结束：会记住来历的张量、计算图、`backward`、向量–雅可比积、暂停记录、高阶导数、原地操作、
        引擎内部，以及训练循环。
        """,
    ),
]
