"""What the details panel says about a clicked node: everything the small node in the picture leaves out.

The result is plain data, ``{"title": ..., "kind": ..., "kind_words": ..., "rows": [[label, text], ...]}`` (the
kind in the view's language beside the title); the front end puts each
text into the page as text (never as HTML), so names and values cannot inject markup.
"""
from minigrad.autograd import graph
from minigrad.autograd.graph import AccumulateGrad, Node
from minigrad.tensor import Tensor
from widgets.collapse import Fold
from widgets.names import display_name
from widgets.values import dtype_text, look, printed, saved_look, shape_text, state_text
from widgets.words import say


def describe(snapshot, node_id, names, lang=None, walk=None, still=None):
    """The details of node ``node_id`` of ``snapshot``; ``names`` (a ``Names``) names the tensors mentioned;
    ``lang`` is the language of the words; ``walk`` the view's ``BackwardWalk`` (a leaf it reached says what
    backward() would add); ``still`` (id(tensor) -> its state then) describes a frozen picture's tensors as they
    were."""
    node = snapshot.node(node_id)
    obj = snapshot.objects.get(node_id)
    if isinstance(obj, Tensor):
        rows = _tensor_rows(obj, names, lang, (still or {}).get(id(obj)) or look(obj))
        if node.kind == "saved":
            rows.insert(0, [say("details.role", lang), say("details.role_saved", lang, lines="; ".join(node.lines[2:]))])
        accumulator = graph.accumulate_grad_node(obj)
        would_add = walk.leaf_grad(accumulator) if walk is not None and accumulator is not None else None
        if would_add is not None:
            rows.append([say("details.would_add", lang),
                         say("details.would_add_text", lang, value=printed(graph.values(would_add)))])
    elif isinstance(obj, Node):
        rows = _node_rows(obj, names, lang, still)
    elif isinstance(obj, Fold):
        rows = _fold_rows(obj, lang)
    elif node.kind == "constant":
        rows = [[say("details.what", lang), say("details.constant", lang)]]
    else:  # freed saved tensors
        rows = [[say("details.what", lang), say("details.freed", lang)]]
    return {"id": node_id, "title": node.title, "kind": node.kind, "kind_words": say(f"legend_short.{node.kind}", lang),
            "rows": rows}


def _tensor_rows(tensor, names, lang, state):
    """``state`` is the tensor's ``Look``: now, or (a frozen picture) at its moment."""
    rows = []
    bound = names.names_of(tensor)
    if bound:
        rows.append([say("details.names", lang), ", ".join(bound)])
    rows += [
        [say("details.shape", lang), shape_text(state)],
        ["dtype", dtype_text(state)],
        [say("details.state", lang), state_text(state, lang)],
        ["requires_grad", str(state.requires_grad)],
        ["is_leaf", str(state.grad_fn is None)],
        ["grad_fn", "None" if state.grad_fn is None else display_name(state.grad_fn)],
        [say("details.version", lang), str(state.version)],
        [say("details.values", lang), printed(state.values)],
    ]
    grad = state.grad
    if grad is not None:
        rows.append(["grad", printed(grad.values)])
        if grad.grad_fn is not None:
            rows.append(["grad.grad_fn", say("details.grad_by_create_graph", lang, name=display_name(grad.grad_fn))])
    elif state.grad_fn is None and state.requires_grad:
        rows.append(["grad", say("details.grad_none_leaf", lang)])
    elif state.grad_fn is not None:
        rows.append(["grad", say("details.grad_none_non_leaf", lang)])
    return rows


def _tensor_words(tensor, names):
    name = names.name_of(tensor)
    state = look(tensor)
    words = f"{shape_text(state)} {dtype_text(state)}"
    return f"{name} {words}" if name else words


def _node_rows(node, names, lang=None, still=None):
    rows = [["grad_fn", display_name(node)], ["name()", node.name()], [say("details.class", lang), type(node).__name__]]
    if type(node) is AccumulateGrad:
        rows.append(["variable", _tensor_words(node.variable, names)])
        rows.append([say("details.what_it_does", lang), say("details.accumulate", lang)])
    else:
        rows.append([say("details.created", lang), say("details.op_number", lang, n=graph.sequence_nr(node))])
    edges = []
    for position, (target, output_nr) in enumerate(node.next_functions):
        if target is None:
            edges.append(f"{position}: (None, 0)  {say('details.needs_no_grad', lang)}")
        elif type(target) is AccumulateGrad:
            edges.append(f"{position}: (AccumulateGrad, {output_nr})  {say('details.leaf', lang)} "
                         f"{_tensor_words(target.variable, names)}")
        else:
            edges.append(f"{position}: ({display_name(target)}, {output_nr})")
    rows.append(["next_functions", "\n".join(edges) if edges else "()"])
    saved = saved_look(node, still)
    if any(entry.state == "freed" for entry in saved):
        rows.append([say("details.saved_tensors", lang), say("details.freed_short", lang)])
    elif saved:
        lines = []
        for position, entry in enumerate(saved):
            if entry.tensor is None:
                lines.append(f"{position}: None")
                continue
            then = (still or {}).get(id(entry.tensor)) or look(entry.tensor)  # (a frozen picture: as it was)
            status = (say("details.unchanged", lang) if entry.state == "alive"
                      else say("details.modified", lang, v=then.version))
            entry_text = say("details.saved_entry", lang, what=_tensor_words(entry.tensor, names),
                             v=entry.saved_version, status=status)
            lines.append(f"{position}: {entry_text}\n{printed(then.values, '   ')}")
        rows.append([say("details.saved_tensors", lang), "\n".join(lines)])
    made = [name for tensor in names.named_tensors() if tensor.grad_fn is node
            for name in [names.name_of(tensor)]]
    if made:
        rows.append([say("details.its_output", lang), ", ".join(made)])
    return rows


def _fold_rows(fold, lang=None):
    if fold.kind == "more":
        return [[say("details.what", lang), say("details.more_what", lang, n=fold.size)],
                [say("details.to_see", lang), say("details.more_see", lang)]]
    return [[say("details.pattern", lang), " → ".join(fold.pattern)],
            [say("details.repeats", lang), say("details.repeats_text", lang, n=fold.repeats)],
            [say("details.nodes", lang), str(len(fold.members))],
            [say("details.to_see", lang), say("details.expand", lang)]]
