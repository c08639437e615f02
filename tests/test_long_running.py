"""A long class in one kernel: a notebook that builds a model, views its graph, re-runs those cells again and
again (20 times) and trains for 2000 steps beside a live view keeps the kernel's memory and each cell's time flat.

The cells run in a real Jupyter kernel, sent as JupyterLab sends them (each with its cell id, so a re-run cell
is known as one). The kernel's resident memory and CPU time are read with psutil.
"""
import os
import pathlib
import statistics

import pytest

jupyter_client = pytest.importorskip("jupyter_client")
psutil = pytest.importorskip("psutil")

ROOT = pathlib.Path(__file__).resolve().parents[1]

SETUP = """
import minigrad as torch
from minigrad import nn, optim
from widgets import GraphView
torch.manual_seed(0)
inputs = torch.randn(256, 64)
targets = torch.randn(256, 1)
"""
BUILD = """
model = nn.Sequential(nn.Linear(64, 256), nn.Tanh(), nn.Linear(256, 1))  # a graph keeps about 1 MiB
sgd = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss = ((model(inputs) - targets) ** 2).mean()
"""
VIEW = "view = GraphView(loss, saved=True)\nview.step()\nview"  # shown, and stepped once
TRAIN = """
for _ in range(100):
    loss = ((model(inputs) - targets) ** 2).mean()
    sgd.zero_grad()
    loss.backward()
    sgd.step()
float(loss)
"""


class Kernel:
    def __init__(self):
        threads = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
        env = {**os.environ, **threads, "PYTHONPATH": str(ROOT)}  # (BLAS threads spinning would blur CPU time)
        self.manager = jupyter_client.KernelManager(kernel_name="python3")
        self.manager.start_kernel(env=env)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)
        self.process = psutil.Process(self.manager.provisioner.process.pid)

    def run(self, code, cell_id):
        """Run a cell as JupyterLab does; returns the kernel's CPU seconds for it (steadier than wall time on a
        busy machine)."""
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": True}
        message = self.client.session.msg("execute_request", content, metadata={"cellId": cell_id})
        started = self.cpu_seconds()
        self.client.shell_channel.send(message)
        while True:
            reply = self.client.get_shell_msg(timeout=120)
            if reply["parent_header"].get("msg_id") == message["header"]["msg_id"]:
                break
        seconds = self.cpu_seconds() - started
        assert reply["content"]["status"] == "ok", reply["content"].get("traceback")
        while True:  # the outputs (and the idle status that ends them)
            output = self.client.get_iopub_msg(timeout=30)
            if (output["msg_type"] == "status" and output["content"]["execution_state"] == "idle"
                    and output["parent_header"].get("msg_id") == message["header"]["msg_id"]):
                break
        return seconds

    def cpu_seconds(self):
        times = self.process.cpu_times()
        return times.user + times.system

    def memory(self):
        return self.process.memory_info().rss

    def stop(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def test_a_long_class_keeps_kernel_memory_and_cell_time_flat():
    kernel = Kernel()
    try:
        kernel.run(SETUP, "setup")
        memory, train_times, rerun_times = [], [], []
        for round_number in range(20):  # 20 rounds: re-run the model and view cells, train 100 steps
            kernel.run(BUILD, "build")
            rerun_times.append(kernel.run(VIEW, "view"))
            train_times.append(kernel.run(TRAIN, "train"))
            kernel.run("1 + 1", "trivial")
            memory.append(kernel.memory())
        assert kernel.run("import gc; gc.collect(); from widgets import live; assert len(live.open_views()) == 1",
                          "check") < 10
    finally:
        kernel.stop()
    mib = [m / 2 ** 20 for m in memory]
    growth = _slope(mib[4:])  # MiB a round, once the first rounds have loaded everything
    print(f"kernel RSS per round (MiB): {[round(m, 1) for m in mib]}; growth {growth:.3f} MiB a round; "
          f"train CPU s: {[round(t, 3) for t in train_times]}")
    # flat: a view or a graph kept each round would add 1 MiB or more a round. What does grow is IPython's output
    # history (history_manager.outputs keeps each output's data: the view's static picture, 70-90 KiB a round)
    assert growth < 0.2, [round(m, 1) for m in mib]
    assert mib[-1] - statistics.median(mib[2:5]) < 4, [round(m, 1) for m in mib]
    early, late = statistics.median(train_times[2:6]), statistics.median(train_times[-4:])
    assert late < 1.5 * early + 0.05, (early, late)
    early, late = statistics.median(rerun_times[2:6]), statistics.median(rerun_times[-4:])
    assert late < 1.5 * early + 0.05, (early, late)


def _slope(values):
    """The least-squares slope of ``values`` against their index: how much they grow per step."""
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    return (sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
            / sum((i - mean_x) ** 2 for i in range(n)))
