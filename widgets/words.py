"""Every text the widget shows, in English and in Chinese.

A view speaks the language it is given (``GraphView(out, lang="zh")``) or, by default, the kernel's:
``widgets.set_language("zh")``, else the ``MINIGRAD_LANG`` environment variable, else Chinese for a notebook run
from a folder named ``zh`` (the lessons' notebooks/zh/, as their self-check does), else English. PyTorch's own names stay as they are in both
languages: ``grad_fn``, ``AccumulateGrad``, ``requires_grad``, ``.grad``, ``next_functions``, ``backward()``.

``say(key, lang, **values)`` looks a text up and fills in its ``{placeholders}``; ``ui_words(lang)`` is the
table the front end (static/graph.js) gets for its buttons and tooltips.
"""
import os
import pathlib

LANGUAGES = ("en", "zh")


def _default_language():
    chosen = os.environ.get("MINIGRAD_LANG", "")
    if chosen in LANGUAGES:
        return chosen
    return "zh" if pathlib.Path.cwd().name == "zh" else "en"


_kernel = {"lang": _default_language()}


def set_language(lang):
    """Choose the language of every view made from now on that is not given ``lang=`` (``"en"`` or ``"zh"``)."""
    _kernel["lang"] = check_language(lang)


def get_language():
    return _kernel["lang"]


def check_language(lang):
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGUAGES))}, got {lang!r}")
    return lang


def say(key, lang=None, **values):
    """The text ``key`` in ``lang`` (the kernel's language when None), with ``values`` filled in."""
    entry = TEXTS[key]
    text = entry[lang or _kernel["lang"]]
    return text.format(**values) if values else text


def ui_words(lang=None):
    """What the front end writes on its buttons, tooltips and hints."""
    lang = lang or _kernel["lang"]
    return {key[3:]: entry[lang] for key, entry in TEXTS.items() if key.startswith("ui.")}


TEXTS = {
    # ----- the status line of a walk through backward (walk.py) ---------------------------------------------
    "status.none": {"en": "nothing to step: no output has a grad_fn",
                    "zh": "没有可单步的内容：输出没有 grad_fn"},
    "status.ready": {"en": "backward from {label}: {total} nodes to run, press step",
                     "zh": "从 {label} 反向传播：共 {total} 个节点，按“单步”开始"},
    "status.running": {"en": "step {k} of {total}: {node} received {received} and sent {sent} on",
                       "zh": "第 {k} 步（共 {total} 步）：{node} 收到 {received}，向后传出 {sent}"},
    "status.accumulating": {"en": "step {k} of {total}: {node} received {received}: backward() would add it to "
                                  ".grad",
                            "zh": "第 {k} 步（共 {total} 步）：{node} 收到 {received}，backward() 会把它加进 .grad"},
    "status.gradients": {"en": "{n} gradients", "zh": "{n} 个梯度"},
    "status.gradient": {"en": "1 gradient", "zh": "1 个梯度"},
    "status.finished": {"en": "finished: {n} nodes ran. A walk writes nothing: each leaf shows the gradient "
                              "backward() would add, .grad is unchanged",
                        "zh": "完成：{n} 个节点都运行过了。单步不写入任何东西：每个叶子上标出 backward() "
                              "将会加上的梯度，.grad 保持不变"},
    "status.failed": {"en": "backward would fail here: {error}", "zh": "反向传播会在这里失败：{error}"},
    "status.freed": {"en": "cannot step: backward() freed this graph (no retain_graph=True) before this view "
                           "was made. Make the view before backward(), or re-run the cell that builds {label}.",
                     "zh": "无法单步：这个视图创建之前，backward()（没有 retain_graph=True）已经释放了这张图。"
                           "请在 backward() 之前创建视图，或重新运行构建 {label} 的单元格。"},
    "status.needs_gradient": {"en": "cannot step: backward from a non-scalar output needs a gradient to start "
                                    "from ({message}). Give one: {example}.",
                              "zh": "无法单步：从非标量输出反向传播需要一个起始梯度（{message}）。"
                                    "请给出：{example}。"},
    "status.example_one": {"en": "GraphView({label}, gradient=v), as {label}.backward(v) does",
                           "zh": "GraphView({label}, gradient=v)，就像 {label}.backward(v) 那样"},
    "status.example_several": {"en": "gradient=(v, ...)", "zh": "gradient=(v, ...)"},
    "status.refused": {"en": "cannot step: backward would fail: {message}",
                       "zh": "无法单步：反向传播会失败：{message}"},
    "status.too_big": {"en": "cannot step: backward() freed this graph before the walk was recorded (a graph of "
                             "more than {limit} nodes is recorded at the first step). Re-run the cell that "
                             "builds {label} and step before backward().",
                       "zh": "无法单步：单步记录之前 backward() 已经释放了这张图（超过 {limit} 个节点的图在第一次"
                             "单步时才记录）。请重新运行构建 {label} 的单元格，并在 backward() 之前单步。"},
    # ----- the notice above the picture (view.py) -------------------------------------------------------------
    "message.folded_instead": {"en": "collapse=False asks for every node, but this graph has {n} of them: laying "
                                     "them all out could take minutes, so it is drawn folded. Click a folded node "
                                     "to open it, or draw them all anyway (view.show_all()).",
                               "zh": "collapse=False 要求画出每一个节点，但这张图有 {n} 个节点：全部排版可能要几分钟，"
                                     "所以先折叠着画。点击折叠的节点可以展开，也可以仍然全部画出（view.show_all()）。"},
    "message.hooks": {"en": "The walk runs no hooks (on {places}): backward() runs them, and a hook that returns a "
                            "new gradient changes the gradients from there on.",
                      "zh": "单步不运行钩子（{places} 上的钩子）：backward() 才会运行它们；返回新梯度的钩子会改变"
                            "从那里往后的梯度。"},
    "message.a_leaf": {"en": "a leaf", "zh": "一个叶子张量"},
    "message.output_of": {"en": "the output of {node}", "zh": "{node} 的输出"},
    # ----- inside the nodes (snapshot.py, values.py) ----------------------------------------------------------
    "node.would_add": {"en": "would add ", "zh": "将加上 "},
    "node.grad_is_set": {"en": "grad is set", "zh": "grad 已有值"},
    "node.leaf": {"en": "leaf, requires grad", "zh": "叶子，requires grad"},
    "node.non_leaf": {"en": "non-leaf", "zh": "非叶子"},
    "node.retains": {"en": "non-leaf, retains grad", "zh": "非叶子，retains grad"},
    "node.constant": {"en": "constant", "zh": "常量"},
    "node.folded": {"en": "{n} nodes folded", "zh": "折叠了 {n} 个节点"},
    "node.click_expand": {"en": "click to expand", "zh": "点击展开"},
    "node.farthest": {"en": "the part farthest from the outputs", "zh": "离输出最远的部分"},
    "node.click_show": {"en": "click to show it", "zh": "点击显示"},
    "node.before_trace": {"en": "made before the trace", "zh": "在 trace 之前创建"},
    "node.freed": {"en": "saved tensors freed", "zh": "保存的张量已释放"},
    "node.freed_why": {"en": "backward ran without retain_graph", "zh": "backward 运行时没有 retain_graph"},
    "node.saved": {"en": "saved", "zh": "保存的张量"},
    "node.output_of_node": {"en": "an output of this node", "zh": "本节点的输出"},
    "node.saved_constant": {"en": "a constant (needs no grad)", "zh": "常量（不需要梯度）"},
    "node.saved_at": {"en": "saved at version {v}", "zh": "保存时版本 {v}"},
    "node.now_version": {"en": "now version {v}: backward will fail", "zh": "现在版本 {v}：backward 会失败"},
    "node.version": {"en": "version {v}", "zh": "版本 {v}"},
    "node.more_more": {"en": "… {n} more nodes", "zh": "… 还有 {n} 个节点"},
    "tooltip.constant": {"en": "{title}: input {positions} needs no grad (None in next_functions)",
                         "zh": "{title}：第 {positions} 个输入不需要梯度（next_functions 里是 None）"},
    "tooltip.would_add": {"en": "the walk writes nothing: backward() would add this to .grad",
                          "zh": "单步不写入任何东西：backward() 会把这个值加进 .grad"},
    "graph.grad_graph": {"en": "built by backward(create_graph=True)", "zh": "由 backward(create_graph=True) 构建"},
    # ----- the legend (dot.py) --------------------------------------------------------------------------------
    "legend.title": {"en": "legend", "zh": "图例"},
    "legend.function": {"en": "grad_fn node", "zh": "grad_fn 节点"},
    "legend.leaf": {"en": "leaf tensor", "zh": "叶子张量"},
    "legend.output": {"en": "output", "zh": "输出"},
    "legend.tensor": {"en": "named tensor", "zh": "有名字的张量"},
    "legend.constant": {"en": "constant: an input that needs no grad", "zh": "常量：不需要梯度的输入"},
    "legend.saved": {"en": "saved tensor", "zh": "保存的张量"},
    "legend.freed": {"en": "saved tensors freed", "zh": "保存的张量已释放"},
    "legend.summary": {"en": "folded (click)", "zh": "已折叠（点击展开）"},
    "legend.detached": {"en": "not tracked", "zh": "不被追踪"},
    "legend.grad": {"en": ".grad with a graph", "zh": "带计算图的 .grad"},
    "legend.boundary": {"en": "made before trace", "zh": "在 trace 之前创建"},
    "legend.grad_graph_function": {"en": "grad_fn node made by backward(create_graph=True)",
                                   "zh": "由 backward(create_graph=True) 创建的 grad_fn 节点"},
    "legend.running": {"en": "running now", "zh": "正在运行"},
    "legend.flowing": {"en": "gradient flowing (its value on the edge, the arrow its way)",
                       "zh": "流动的梯度（边上是它的值，箭头是它的方向）"},
    "legend.done": {"en": "done: the node has run", "zh": "完成：节点已运行"},
    "legend.would_add": {"en": "backward would add (a walk writes no .grad)",
                         "zh": "backward 将加上（单步不写 .grad）"},
    # the same, a word or two each: presentation mode's legend stays one row on a projector (the words above
    # are each item's tooltip)
    "legend_short.function": {"en": "grad_fn node", "zh": "grad_fn 节点"},
    "legend_short.leaf": {"en": "leaf", "zh": "叶子"},
    "legend_short.output": {"en": "output", "zh": "输出"},
    "legend_short.tensor": {"en": "named tensor", "zh": "有名字的张量"},
    "legend_short.constant": {"en": "constant", "zh": "常量"},
    "legend_short.saved": {"en": "saved", "zh": "保存的张量"},
    "legend_short.freed": {"en": "freed", "zh": "已释放"},
    "legend_short.summary": {"en": "folded", "zh": "已折叠"},
    "legend_short.detached": {"en": "not tracked", "zh": "不被追踪"},
    "legend_short.grad": {"en": ".grad graph", "zh": "带图的 .grad"},
    "legend_short.boundary": {"en": "before trace", "zh": "trace 之前"},
    "legend_short.grad_graph_function": {"en": "create_graph node", "zh": "create_graph 节点"},
    "legend_short.running": {"en": "running", "zh": "正在运行"},
    "legend_short.flowing": {"en": "gradient", "zh": "梯度"},
    "legend_short.done": {"en": "done", "zh": "完成"},
    "legend_short.would_add": {"en": "would add", "zh": "将加上"},
    # ----- the details panel (details.py) ---------------------------------------------------------------------
    "details.names": {"en": "names", "zh": "名字"},
    "details.shape": {"en": "shape", "zh": "形状"},
    "details.state": {"en": "state", "zh": "状态"},
    "details.version": {"en": "version", "zh": "版本"},
    "details.values": {"en": "values", "zh": "数值"},
    "details.what": {"en": "what", "zh": "说明"},
    "details.role": {"en": "role", "zh": "角色"},
    "details.class": {"en": "class", "zh": "类"},
    "details.what_it_does": {"en": "what it does", "zh": "作用"},
    "details.created": {"en": "created", "zh": "创建顺序"},
    "details.saved_tensors": {"en": "saved tensors", "zh": "保存的张量"},
    "details.its_output": {"en": "its output", "zh": "它的输出"},
    "details.pattern": {"en": "pattern", "zh": "模式"},
    "details.repeats": {"en": "repeats", "zh": "重复次数"},
    "details.nodes": {"en": "nodes", "zh": "节点数"},
    "details.to_see": {"en": "to see them", "zh": "查看方法"},
    "details.would_add": {"en": "walk", "zh": "单步"},
    "details.role_saved": {"en": "saved by its node for backward: {lines}", "zh": "由它的节点为反向传播保存：{lines}"},
    "details.constant": {"en": "an input that needs no gradient: next_functions lists it as (None, 0), so backward "
                               "sends nothing this way",
                         "zh": "不需要梯度的输入：next_functions 里记为 (None, 0)，反向传播不会往这里传任何东西"},
    "details.freed": {"en": "this node's saved tensors were freed by a backward() without retain_graph=True; "
                            "a second backward through it raises an error",
                      "zh": "这个节点保存的张量已被没有 retain_graph=True 的 backward() 释放；再次经过它反向传播会报错"},
    "details.grad_by_create_graph": {"en": "{name} (built by create_graph=True)",
                                     "zh": "{name}（由 create_graph=True 构建）"},
    "details.grad_none_leaf": {"en": "None (no backward has reached it yet)", "zh": "None（还没有反向传播到达它）"},
    "details.grad_none_non_leaf": {"en": "None (a non-leaf keeps .grad only after retain_grad())",
                                   "zh": "None（非叶子只有调用 retain_grad() 后才保留 .grad）"},
    "details.would_add_text": {"en": "backward() would add {value} (a walk writes nothing)",
                               "zh": "backward() 将加上 {value}（单步不写入任何东西）"},
    "details.needs_no_grad": {"en": "an input that needs no grad", "zh": "不需要梯度的输入"},
    "details.leaf": {"en": "leaf", "zh": "叶子"},
    "details.accumulate": {"en": "adds the incoming gradient into variable.grad",
                           "zh": "把传来的梯度加进 variable.grad"},
    "details.op_number": {"en": "op number {n} (backward runs later ops first)",
                          "zh": "第 {n} 个运算（反向传播先运行后创建的运算）"},
    "details.freed_short": {"en": "freed by backward() without retain_graph=True",
                            "zh": "已被没有 retain_graph=True 的 backward() 释放"},
    "details.unchanged": {"en": "unchanged", "zh": "未改变"},
    "details.modified": {"en": "now version {v}: modified in place, backward will fail",
                         "zh": "现在版本 {v}：已被原地修改，backward 会失败"},
    "details.saved_entry": {"en": "{what}, saved at version {v} ({status})", "zh": "{what}，保存时版本 {v}（{status}）"},
    "details.more_what": {"en": "{n} nodes far from the outputs, folded so the picture stays fast",
                          "zh": "离输出较远的 {n} 个节点，折叠起来让图保持流畅"},
    "details.more_see": {"en": "click the node (or use a GraphView with collapse=False)",
                         "zh": "点击这个节点（或使用 collapse=False 的 GraphView）"},
    "details.repeats_text": {"en": "{n} (plus the first and the last, drawn in full)",
                             "zh": "{n}（另有第一次和最后一次完整画出）"},
    "details.expand": {"en": "click the node to expand it", "zh": "点击节点展开"},
    # ----- the front end: buttons, tooltips, hints (static/graph.js) ------------------------------------------
    "ui.reset_tip": {"en": "Back to the start of the walk (a walk changes nothing in the program)",
                     "zh": "回到单步的起点（单步不会改变程序里的任何东西）"},
    "ui.step": {"en": "step", "zh": "单步"},
    "ui.step_tip": {"en": "Run the next node of the backward pass", "zh": "运行反向传播的下一个节点"},
    "ui.run_tip": {"en": "Run the rest of the backward pass", "zh": "运行反向传播剩下的部分"},
    "ui.slider_tip": {"en": "How many nodes of backward have run", "zh": "反向传播已经运行了几个节点"},
    "ui.build": {"en": "build", "zh": "构建"},
    "ui.build_tip": {"en": "Replay the construction: how many recorded ops to show",
                     "zh": "回放构建过程：显示前几个记录下来的运算"},
    "ui.ops": {"en": "{frame} of {count} ops", "zh": "第 {frame} / {count} 个运算"},
    "ui.recording": {"en": " (recording…)", "zh": "（记录中…）"},
    "ui.zoom_out": {"en": "Zoom out", "zh": "缩小"},
    "ui.zoom_in": {"en": "Zoom in", "zh": "放大"},
    "ui.fit_tip": {"en": "Fit the picture to the frame (text never smaller than 12 px: the frame scrolls instead)",
                   "zh": "让图适应画框（文字不小于 12 像素，放不下就滚动）"},
    "ui.smaller": {"en": "Smaller text", "zh": "缩小文字"},
    "ui.larger": {"en": "Larger text", "zh": "放大文字"},
    "ui.direction_tip": {"en": "Draw top-to-bottom or left-to-right", "zh": "从上到下或从左到右画"},
    "ui.values": {"en": "values", "zh": "数值"},
    "ui.values_tip": {"en": "Show values and gradients in the nodes", "zh": "在节点里显示数值和梯度"},
    "ui.saved": {"en": "saved", "zh": "保存"},
    "ui.saved_tip": {"en": "Show the tensors each node saved for backward", "zh": "显示每个节点为反向传播保存的张量"},
    "ui.versions": {"en": "versions", "zh": "版本"},
    "ui.versions_tip": {"en": "Show version counters (in-place changes)", "zh": "显示版本计数（原地修改）"},
    "ui.detached": {"en": "detached", "zh": "分离"},
    "ui.detached_tip": {"en": "Show named tensors detached from this graph", "zh": "显示从这张图分离出去的有名字的张量"},
    "ui.grad_graph": {"en": "grad graph", "zh": "梯度图"},
    "ui.grad_graph_tip": {"en": "Show the graph behind a .grad built with create_graph=True",
                          "zh": "显示 create_graph=True 时 .grad 背后的计算图"},
    "ui.constants": {"en": "constants", "zh": "常量"},
    "ui.constants_tip": {"en": "Draw each input that needs no grad (the 2 of x + 2) as a box of its own",
                         "zh": "把每个不需要梯度的输入（x + 2 里的 2）画成单独的方框"},
    "ui.fold": {"en": "fold", "zh": "折叠"},
    "ui.fold_tip": {"en": "Fold long loops and big graphs", "zh": "折叠长循环和大图"},
    "ui.fold_all": {"en": "fold all", "zh": "全部折叠"},
    "ui.fold_all_tip": {"en": "Fold again everything that was expanded", "zh": "把展开过的部分重新折叠"},
    "ui.download": {"en": "download", "zh": "下载"},
    "ui.svg_tip": {"en": "Download the picture as SVG", "zh": "把图下载为 SVG"},
    "ui.png_tip": {"en": "Download the picture as PNG", "zh": "把图下载为 PNG"},
    "ui.dot_tip": {"en": "Download the Graphviz source", "zh": "下载 Graphviz 源文件"},
    "ui.options_tip": {"en": "What the picture shows", "zh": "图里显示哪些内容"},
    "ui.present_tip": {"en": "Presentation mode: bigger text, details hidden (for a projector)",
                       "zh": "演示模式：文字更大，隐藏细节（适合投影）"},
    "ui.hint": {"en": "Click a node to see its values, grad, grad_fn and saved tensors.",
                "zh": "点击节点查看它的数值、grad、grad_fn 和保存的张量。"},
    "ui.close": {"en": "Close the details", "zh": "关闭详情"},
    "ui.over_budget": {"en": "This picture has {boxes} boxes and Graphviz needed more than {seconds} s to lay it "
                             "out, so it was stopped (the notebook and the kernel kept running). ",
                       "zh": "这张图有 {boxes} 个方框，Graphviz 排版超过了 {seconds} 秒，所以已停止"
                             "（notebook 和内核都在继续运行）。"},
    "ui.fold_again": {"en": "fold again", "zh": "重新折叠"},
    "ui.fold_again_tip": {"en": "Fold the loops and big parts of the graph again", "zh": "把循环和图里大的部分重新折叠"},
    "ui.first_nodes": {"en": "draw the first {n} nodes", "zh": "只画前 {n} 个节点"},
    "ui.first_nodes_tip": {"en": "Draw the {n} nodes nearest the outputs, fold the rest",
                           "zh": "画出离输出最近的 {n} 个节点，其余折叠"},
    "ui.draw_all": {"en": "draw all {n} nodes", "zh": "画出全部 {n} 个节点"},
    "ui.draw_all_tip": {"en": "Lay out every node unfolded (it can take minutes)",
                        "zh": "把每个节点都展开排版（可能要几分钟）"},
    "ui.try_again": {"en": "try again", "zh": "再试一次"},
    "ui.try_again_tip": {"en": "Lay this picture out again, with four times as long",
                         "zh": "重新排版这张图，时间放宽到四倍"},
    "ui.laying_out": {"en": "Laying out the graph…", "zh": "正在排版计算图…"},
    "ui.cannot_draw": {"en": "The graph could not be drawn: {message}", "zh": "无法画出计算图：{message}"},
    "ui.no_engine": {"en": "Graphviz (WebAssembly) could not start in this browser: {detail}",
                     "zh": "Graphviz（WebAssembly）无法在这个浏览器里启动：{detail}"},
    "ui.no_module": {"en": "this view has no Graphviz module: run its cell again",
                     "zh": "这个视图没有 Graphviz 模块：请重新运行它的单元格"},
    "ui.no_png": {"en": "the browser could not draw the SVG", "zh": "浏览器无法画出这张 SVG"},
    "ui.download_too_big": {"en": "The picture was too big to lay out for the download.",
                            "zh": "这张图太大，无法为下载排版。"},
    "ui.download_failed": {"en": "The download failed: {message}", "zh": "下载失败：{message}"},
    "ui.frozen": {"en": "frozen picture", "zh": "定格的图"},
    "ui.frozen_short": {"en": "frozen", "zh": "定格"},  # the badge in a toolbar too narrow for the whole words
    "ui.frozen_tip": {"en": "A picture of one moment: it does not follow later changes (the walk still steps)",
                      "zh": "某一时刻的图：不随之后的变化更新（仍然可以单步）"},
}
