"""What the details panel says about a clicked node: everything the small node in the picture leaves out.

The result is plain data, ``{"title": ..., "kind": ..., "rows": [[label, text], ...]}``; the front end puts each
text into the page as text (never as HTML), so names and values cannot inject markup.
"""
from minigrad.autograd.function import _FREED, AccumulateGrad, Node
from minigrad.tensor import Tensor
from widgets.collapse import Fold, display_name
from widgets.values import dtype_text, printed, shape_text, state_text


def describe(snapshot, node_id, names):
    """The details of node ``node_id`` of ``snapshot``; ``names`` (a ``Names``) names the tensors mentioned."""
    node = snapshot.node(node_id)
    obj = snapshot.objects.get(node_id)
    if isinstance(obj, Tensor):
        rows = _tensor_rows(obj, names)
        if node.kind == "saved":
            rows.insert(0, ["role", "saved by its node for backward: " + "; ".join(node.lines[2:])])
    elif isinstance(obj, Node):
        rows = _node_rows(obj, names)
    elif isinstance(obj, Fold):
        rows = _fold_rows(obj)
    elif node.kind == "constant":
        rows = [["what", "an input that needs no gradient: next_functions lists it as (None, 0), so backward "
                         "sends nothing this way"]]
    else:  # freed saved tensors
        rows = [["what", "this node's saved tensors were freed by a backward() without retain_graph=True; "
                         "a second backward through it raises an error"]]
    return {"id": node_id, "title": node.title, "kind": node.kind, "rows": rows}


def _tensor_rows(tensor, names):
    rows = []
    bound = names.names_of(tensor)
    if bound:
        rows.append(["names", ", ".join(bound)])
    rows += [
        ["shape", shape_text(tensor)],
        ["dtype", dtype_text(tensor)],
        ["state", state_text(tensor)],
        ["requires_grad", str(tensor.requires_grad)],
        ["is_leaf", str(tensor.grad_fn is None)],
        ["grad_fn", "None" if tensor.grad_fn is None else display_name(tensor.grad_fn)],
        ["version", str(tensor._version_counter.value)],
        ["values", printed(tensor._data)],
    ]
    grad = tensor._grad
    if grad is not None:
        rows.append(["grad", printed(grad._data)])
        if grad.grad_fn is not None:
            rows.append(["grad.grad_fn", display_name(grad.grad_fn) + " (built by create_graph=True)"])
    elif tensor.grad_fn is None and tensor._requires_grad:
        rows.append(["grad", "None (no backward has reached it yet)"])
    elif tensor.grad_fn is not None:
        rows.append(["grad", "None (a non-leaf keeps .grad only after retain_grad())"])
    return rows


def _tensor_words(tensor, names):
    name = names.name_of(tensor)
    words = f"{shape_text(tensor)} {dtype_text(tensor)}"
    return f"{name} {words}" if name else words


def _node_rows(node, names):
    rows = [["grad_fn", display_name(node)], ["name()", node.name()], ["class", type(node).__name__]]
    if type(node) is AccumulateGrad:
        rows.append(["variable", _tensor_words(node.variable, names)])
        rows.append(["what it does", "adds the incoming gradient into variable.grad"])
    else:
        rows.append(["created", f"op number {node._sequence_nr} (backward runs later ops first)"])
    edges = []
    for position, (target, output_nr) in enumerate(node.next_functions):
        if target is None:
            edges.append(f"{position}: (None, 0)  an input that needs no grad")
        elif type(target) is AccumulateGrad:
            edges.append(f"{position}: (AccumulateGrad, {output_nr})  leaf {_tensor_words(target.variable, names)}")
        else:
            edges.append(f"{position}: ({display_name(target)}, {output_nr})")
    rows.append(["next_functions", "\n".join(edges) if edges else "()"])
    saved = node.__dict__.get("_saved")
    if saved is _FREED:
        rows.append(["saved tensors", "freed by backward() without retain_graph=True"])
    elif saved:
        lines = []
        for position, entry in enumerate(saved):
            if entry is None:
                lines.append(f"{position}: None")
                continue
            tensor, version = entry
            if isinstance(tensor, int):
                tensor = node._unpack_output(tensor)
            now = tensor._version_counter.value
            status = "unchanged" if now == version else f"now version {now}: modified in place, backward will fail"
            lines.append(f"{position}: {_tensor_words(tensor, names)}, saved at version {version} ({status})\n"
                         f"{printed(tensor._data, '   ')}")
        rows.append(["saved tensors", "\n".join(lines)])
    made = [name for tensor in names.named_tensors() if tensor.grad_fn is node
            for name in [names.name_of(tensor)]]
    if made:
        rows.append(["its output", ", ".join(made)])
    return rows


def _fold_rows(fold):
    if fold.kind == "more":
        return [["what", f"{fold.size} nodes far from the outputs, folded so the picture stays fast"],
                ["to see them", "click the node (or use a GraphView with collapse=False)"]]
    return [["pattern", " → ".join(fold.pattern)],
            ["repeats", f"{fold.repeats} (plus the first and the last, drawn in full)"],
            ["nodes", str(len(fold.members))],
            ["to see them", "click the node to expand it"]]
