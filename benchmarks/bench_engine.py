"""Engine speed, measured side by side with PyTorch (when installed) or plain numpy, printed as ratios.

Goals (from the project's issue; these are goals to watch, not tests that fail):
- seed 000's chain (2x2): <= 0.8x PyTorch's time
- 100 000-node chain backward: per-node time <= 0.7x PyTorch, no RecursionError
- 10 000-node mul/add/relu graph with shared leaves, build + backward: <= 1.0x PyTorch per node
- a graph node costs <= 3 objects tracked by the cyclic garbage collector and <= 500 bytes
- MLP 784-256-10 training step (batch 128, float32): <= 1.3x a hand-written numpy forward+backward, then 1.15x
- a 2-8-1 MLP trained op by op (the scale of the lessons): <= 1.0x PyTorch per step
- autograd.grad(create_graph=True) and a second derivative through it: <= 1.0x PyTorch
- RSS growth between step 10 and step 200 of the MLP loop: <= 1 MiB
"""
import gc
import os
import resource
import sys
import timeit

# One thread for every library, so the ratios compare the engines, not how many cores BLAS grabbed.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

import minigrad

try:
    import torch
except ImportError:  # the comparisons with PyTorch are skipped
    torch = None


def best_of(func, number, repeat=5):
    """Best mean time per call in seconds (the minimum is the least noisy estimate)."""
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number


def side_by_side(ours, reference, number, rounds=5):
    """Best time per call of two functions, measured in alternating rounds so both see the same machine load."""
    best_ours = best_reference = float("inf")
    for _ in range(rounds):
        best_ours = min(best_ours, best_of(ours, number, repeat=1))
        best_reference = min(best_reference, best_of(reference, number, repeat=1))
    return best_ours, best_reference


def seed_chain(lib):
    def run():
        x = lib.ones(2, 2, requires_grad=True)
        y = x + 2
        z = y * y * 3
        out = z.mean()
        out.backward()
    return run


def long_chain(lib, length):
    """Build y = y * 1.0001 ``length`` times; return (build+backward time, build time)."""
    def build():
        x = lib.ones(3, requires_grad=True)
        y = x
        for _ in range(length):
            y = y * 1.0001
        return y.sum()

    def build_and_backward():
        build().backward()

    total = best_of(build_and_backward, 1, repeat=3)
    forward = best_of(build, 1, repeat=3)
    return total, forward


def wide_graph(lib, nodes):
    """About ``nodes`` nodes of mul/add/relu reusing a few shared leaves."""
    leaves = [lib.tensor(np.linspace(-1, 1, 16, dtype=np.float32), requires_grad=True) for _ in range(4)]

    def run():
        h = leaves[0]
        for i in range(nodes // 3):
            h = (h * leaves[i % 4] + leaves[(i + 1) % 4]).relu()
        h.sum().backward()
    return run


def tiny_mlp(lib):
    """A 2-8-1 network on four points written op by op, as a lesson trains it: one SGD step per call."""
    gen = np.random.default_rng(0)
    x = lib.tensor(np.array([[0., 0.], [0., 1.], [1., 0.], [1., 1.]], dtype=np.float32))
    target = lib.tensor(np.array([[0.], [1.], [1.], [0.]], dtype=np.float32))
    w1 = lib.tensor(gen.standard_normal((2, 8)).astype(np.float32), requires_grad=True)
    b1 = lib.zeros(8, requires_grad=True)
    w2 = lib.tensor(gen.standard_normal((8, 1)).astype(np.float32), requires_grad=True)
    b2 = lib.zeros(1, requires_grad=True)
    params = [w1, b1, w2, b2]

    def step():
        hidden = (x @ w1 + b1).tanh()
        loss = ((hidden @ w2 + b2 - target) ** 2).mean()
        loss.backward()
        with lib.no_grad():
            for p in params:
                p -= 0.1 * p.grad
                p.grad = None
    return step


def double_backward(lib):
    """d/dx and d2/dx2 of a small function with autograd.grad(create_graph=True), as the create_graph lesson does."""
    def run():
        x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = (x ** 3 * x.sin()).sum()
        (first,) = lib.autograd.grad(y, x, create_graph=True)
        (second,) = lib.autograd.grad(first.sum(), x)
        return second
    return run


def graph_node_cost(length=10_000):
    """Objects tracked by the cyclic GC, and bytes, per node of a y = y * 1.0001 chain (kept alive, not run).

    Objects are counted after a collection: the collector stops tracking a tuple that holds only untracked values
    (numbers, None, numpy arrays) the first time it looks at it, so such tuples cost it nothing afterwards. The
    count just after building is returned too (a few of those tuples are still waiting for that first look)."""
    import tracemalloc

    x = minigrad.ones(3, requires_grad=True)
    gc.collect()
    objects_before = len(gc.get_objects())
    tracemalloc.start()
    y = x
    for _ in range(length):
        y = y * 1.0001
    allocated, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    objects_built = len(gc.get_objects()) - objects_before
    gc.collect()
    objects = len(gc.get_objects()) - objects_before
    del y
    return objects / length, allocated / length, objects_built / length


def mlp_numpy(x, labels, w1, b1, w2, b2, lr=0.01):
    """One SGD step of the MLP, forward and backward written by hand: the floor to compare against."""
    h = x @ w1.T + b1
    a = np.maximum(h, 0)
    logits = a @ w2.T + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = x.shape[0]
    d_logits = np.exp(log_probs)
    d_logits[np.arange(n), labels] -= 1
    d_logits /= n
    d_w2 = d_logits.T @ a
    d_b2 = d_logits.sum(axis=0)
    d_a = d_logits @ w2
    d_h = d_a * (h > 0)
    d_w1 = d_h.T @ x
    d_b1 = d_h.sum(axis=0)
    for p, g in ((w1, d_w1), (b1, d_b1), (w2, d_w2), (b2, d_b2)):
        p -= lr * g


def mlp_minigrad_step():
    nn, optim = minigrad.nn, minigrad.optim
    minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    loss_fn = nn.CrossEntropyLoss()
    opt = optim.SGD(model.parameters(), lr=0.01)
    x = minigrad.randn(128, 784)
    labels = minigrad.tensor(np.arange(128) % 10)

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), labels)
        loss.backward()
        opt.step()
    return step


def rss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # peak RSS in KiB (Linux)


def current_rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024


def ratio_line(label, ours, reference, reference_name, goal):
    ratio = ours / reference
    mark = "ok" if ratio <= goal else "over goal"
    return f"{label:<46} {ours * 1e6:10.1f} us  vs {reference_name} {reference * 1e6:10.1f} us  = {ratio:5.2f}x  (goal <= {goal}x: {mark})"


def main():
    sys.setrecursionlimit(1000)  # prove the engine needs no deep recursion
    lines = []
    if torch is not None:
        torch.set_num_threads(1)
    lines.append("Engine benchmarks (single process, best of several runs)")

    if torch is not None:
        ours, ref = side_by_side(seed_chain(minigrad), seed_chain(torch), 2000)
        lines.append(ratio_line("seed 000 chain (2x2), build + backward", ours, ref, "torch", 0.8))
    else:
        ours = best_of(seed_chain(minigrad), 2000)
        lines.append(f"seed 000 chain: {ours * 1e6:.1f} us (PyTorch not installed)")

    n = 100_000
    total, forward = long_chain(minigrad, n)
    ours = (total - forward) / n
    if torch is not None:
        t_total, t_forward = long_chain(torch, n)
        ref = (t_total - t_forward) / n
        lines.append(ratio_line("100 000-node chain: backward per node", ours, ref, "torch", 0.7))
    else:
        lines.append(f"100 000-node chain: {ours * 1e6:.2f} us per node backward")

    nodes = 10_000
    if torch is not None:
        ours, ref = side_by_side(wide_graph(minigrad, nodes), wide_graph(torch, nodes), 1, rounds=3)
        ours, ref = ours / nodes, ref / nodes
        lines.append(ratio_line("10 000-node mul/add/relu graph: per node", ours, ref, "torch", 1.0))

    objects, size, objects_built = graph_node_cost()
    lines.append(f"{'graph node: GC-tracked objects, bytes':<46} {objects:10.2f} objects {size:8.0f} B  "
                 f"(goal <= 3 objects: {'ok' if objects <= 3 else 'over goal'}, <= 500 B: "
                 f"{'ok' if size <= 500 else 'over goal'}; {objects_built:.2f} objects before a collection)")

    if torch is not None:
        ours, ref = side_by_side(tiny_mlp(minigrad), tiny_mlp(torch), 500)
        lines.append(ratio_line("MLP 2-8-1 op by op, one SGD step", ours, ref, "torch", 1.0))
        ours, ref = side_by_side(double_backward(minigrad), double_backward(torch), 500)
        lines.append(ratio_line("autograd.grad(create_graph=True) + 2nd grad", ours, ref, "torch", 1.0))

    if hasattr(minigrad, "nn") and hasattr(minigrad, "optim"):
        rng = np.random.default_rng(0)
        x = rng.standard_normal((128, 784)).astype(np.float32)
        labels = np.arange(128) % 10
        w1 = (rng.standard_normal((256, 784)) * 0.03).astype(np.float32)
        b1 = np.zeros(256, np.float32)
        w2 = (rng.standard_normal((10, 256)) * 0.06).astype(np.float32)
        b2 = np.zeros(10, np.float32)
        ours, ref = side_by_side(mlp_minigrad_step(), lambda: mlp_numpy(x, labels, w1, b1, w2, b2), 20)
        lines.append(ratio_line("MLP 784-256-10 step, batch 128", ours, ref, "numpy", 1.3))

        step = mlp_minigrad_step()
        for i in range(200):
            if i == 10:
                gc.collect()
                start = current_rss_kib()
            step()
        gc.collect()
        growth = (current_rss_kib() - start) / 1024
        lines.append(f"{'MLP loop RSS growth, step 10 -> 200':<46} {growth:10.2f} MiB  (goal <= 1 MiB: "
                     f"{'ok' if growth <= 1 else 'over goal'})")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
