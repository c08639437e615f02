"""Folding big graphs so they stay readable: repeated chains become one summary node.

A Python loop that builds a graph (``while ...: y = y * 2``, an unrolled RNN, a running sum) leaves a chain of
nodes that repeats one pattern. We find those chains and fold the middle repetitions into a summary node
(``MulBackward0 × 997``), keeping the first and last repetitions so the reader sees what repeats. A short loop
(up to ``LONG_RUN`` repetitions) stays drawn in full, so a learner can count its steps and watch the gradient
pass through each one; in a big graph shorter runs fold too (snapshot.py decides). If the graph is still too big
after that, the part farthest from the outputs is folded into one ``… more`` node.

Everything here works on autograd nodes (``grad_fn`` objects) only; snapshot.py turns the result into a picture.
"""
from collections import deque

from minigrad.autograd import graph
from minigrad.autograd.graph import AccumulateGrad
from widgets.names import display_name

MIN_REPEATS = 4  # in a big graph, a pattern must repeat at least this often to be folded
LONG_RUN = 12  # in any graph, a pattern repeating more often than this is folded (a taller column than fits)
MIN_FOLDED = 3  # ... and folding must hide at least this many nodes
MAX_PERIOD = 8  # longest loop body (in nodes) we look for


class Fold:
    """Nodes folded into one summary: ``repeats`` copies of ``pattern`` (or, for ``kind="more"``, a remainder)."""

    def __init__(self, members, pattern=(), repeats=0, kind="repeat", uncounted=0):
        self.members = members
        self.uncounted = uncounted  # nodes behind the members, never looked at (a very big graph)
        self.pattern = tuple(pattern)
        self.repeats = repeats
        self.kind = kind
        # the key names the fold across refreshes (to remember that the learner expanded it)
        self.key = "more" if kind == "more" else f"fold-{graph.sequence_nr(members[0])}"

    @property
    def size(self):
        """How many autograd nodes the fold hides."""
        return len(self.members) + self.uncounted

    @property
    def title(self):
        if self.kind == "more":
            return f"… {self.size} more nodes"
        if len(self.pattern) == 1:
            return f"{self.pattern[0]} × {self.repeats}"
        return f"({' → '.join(self.pattern)}) × {self.repeats}"


def find_repeats(nodes, inputs, users, pinned=(), expanded=(), min_repeats=MIN_REPEATS):
    """Folds for the repeated stretches of every chain in the graph.

    ``inputs[node]`` lists the node's ``next_functions`` targets (``None`` for constants), ``users[node]`` the
    nodes that consume it. A chain is a path of ops, each the only user of the one before; a pattern is folded
    where it repeats at least ``min_repeats`` times in a row. Next to the chain an
    op may have small side branches: an op that only it uses and that reads only leaves and constants
    (``acc = acc + w[i] * x`` adds a MulBackward0 per step); those fold along with it, and so do leaves that
    nothing outside the fold uses. ``pinned`` nodes (outputs, named tensors) are never folded; folds whose key
    is in ``expanded`` are left open.
    """
    # a side branch is one op, used once, reading only leaves and constants
    side = set()
    for m in nodes:
        if len(users.get(m, ())) == 1:
            for k in inputs[m] or ():
                if k is not None and type(k) is not AccumulateGrad:
                    break
            else:
                side.add(m)
    is_side = side.__contains__

    # the spine: an op whose one input op (not a side branch) is used by it alone continues that input's chain
    successor, has_predecessor = {}, set()
    for node in nodes:
        spine, count = None, 0
        for m in inputs[node]:
            if m is not None and m not in side and type(m) is not AccumulateGrad:
                spine, count = m, count + 1
        if count == 1 and len(users.get(spine, ())) == 1 and spine in inputs:
            successor[spine] = node
            has_predecessor.add(node)
    folds = []
    for node in nodes:
        if node in successor and node not in has_predecessor:
            chain = [node]
            while chain[-1] in successor:
                chain.append(successor[chain[-1]])
            for segment in _split(chain, pinned):
                for members, pattern, repeats in _repeats_in(segment, inputs, is_side, min_repeats):
                    fold = Fold(_with_branches(members, inputs, users, is_side), pattern, repeats)
                    if fold.key not in expanded:
                        folds.append(fold)
    return folds


def _with_branches(chain_part, inputs, users, is_side):
    """The folded chain nodes plus their side branches, and the leaves only they use."""
    members = list(chain_part)
    branches, leaves = [], {}  # (a dict keeps the leaves in the order they are met, each once)
    for node in chain_part:
        for m in inputs[node]:
            if is_side(m):
                branches.append(m)
            elif type(m) is AccumulateGrad:
                leaves[m] = None
    for node in branches:
        for m in inputs[node]:
            if type(m) is AccumulateGrad:
                leaves[m] = None
    members += branches
    inside = set(members)
    for leaf in leaves:  # a leaf shared by every step (a weight) is checked once, not once per step
        if all(u in inside for u in users.get(leaf, ())):
            inside.add(leaf)
            members.append(leaf)
    return members


def _split(chain, pinned):
    """Pieces of ``chain`` between pinned nodes (a pinned node must stay visible, so it breaks a repetition)."""
    piece = []
    for node in chain:
        if node in pinned:
            if piece:
                yield piece
            piece = []
        else:
            piece.append(node)
    if piece:
        yield piece


def _signature(node, inputs, is_side):
    """What a node looks like locally: its name and the kinds of its inputs (side branches spelled out)."""
    kinds = []
    for m in inputs[node]:
        if m is None:
            kinds.append("constant")
        elif type(m) is AccumulateGrad:
            kinds.append("leaf")
        elif is_side(m):
            kinds.append(_signature(m, inputs, is_side))
        else:
            kinds.append("op")
    return display_name(node), tuple(kinds)


def _repeats_in(chain, inputs, is_side, min_repeats):
    """``(members, pattern, repeats)`` for each run of a repeating pattern in ``chain`` (inputs to output)."""
    codes = {}  # each distinct signature as a small number: comparing numbers is quicker than nested tuples
    signatures = [codes.setdefault(_signature(node, inputs, is_side), len(codes)) for node in chain]
    length = len(chain)
    start = 0
    while start < length:
        best = None
        for period in range(1, MAX_PERIOD + 1):
            end = start
            while end + period < length and signatures[end] == signatures[end + period]:
                end += 1
            repeats = (end - start + period) // period
            hidden = (repeats - 2) * period
            if repeats >= min_repeats and hidden >= MIN_FOLDED and (best is None or hidden > best[2]):
                best = (period, repeats, hidden)
        if best is None:
            start += 1
            continue
        period, repeats, _ = best
        # keep the first and the last repetition visible; fold the ones between
        members = chain[start + period:start + (repeats - 1) * period]
        yield members, [display_name(n) for n in members[:period]], repeats - 2
        start += repeats * period


def fold_remainder(roots, inputs, fold_of, cost, budget):
    """Fold everything beyond ``budget`` drawn nodes (nearest the outputs kept) into one ``… more`` Fold.

    The walk is breadth first from the outputs, over units (a node, or a whole Fold). ``cost(node)`` is how many
    drawn nodes a visible node brings (an AccumulateGrad brings its leaf tensor too). Returns the Fold, or None.
    """
    seen = set()
    queue = deque()
    for node in roots:
        unit = fold_of.get(node, node)
        if unit not in seen:
            seen.add(unit)
            queue.append(unit)
    used = 0
    hidden = []
    while queue:
        unit = queue.popleft()
        members = unit.members if isinstance(unit, Fold) else (unit,)
        size = 1 if isinstance(unit, Fold) else cost(unit)
        if hidden or used + size > budget:  # once one unit is hidden, all farther ones are too: no gaps
            hidden.extend(members)
        else:
            used += size
        for member in members:
            for m in inputs.get(member, ()):
                if m is None:
                    continue
                next_unit = fold_of.get(m, m)
                if next_unit not in seen:
                    seen.add(next_unit)
                    queue.append(next_unit)
    if not hidden:
        return None
    hidden.sort(key=graph.sequence_nr)
    return Fold(hidden, kind="more")
