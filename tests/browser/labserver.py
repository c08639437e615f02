"""A JupyterLab (or Jupyter Notebook 7) server of the test's own: started on a free port, isolated from the
user's Jupyter set-up.

Everything Jupyter reads or writes (config, kernelspecs, runtime files, workspaces, settings) goes into a
temporary folder, so a user's own JupyterLab settings and extensions cannot change what the test sees, and the
test leaves nothing behind. The server runs with the same Python as the tests (the project's .venv), and the
kernel it starts runs that Python too, with this checkout first on ``sys.path``. ``hidden=("dot",)`` takes
programs off the server's and the kernels' PATH (a machine without Graphviz).
"""
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# JupyterLab asks, in a pop-up, whether to fetch Jupyter news; the pop-up can cover what the test clicks.
NOTIFICATION_SETTINGS = ("@jupyterlab/apputils-extension", "notification.jupyterlab-settings",
                         {"fetchNews": "false", "checkForUpdates": False})


def free_port():
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def path_without(programs, folder):
    """A PATH like ours in which ``programs`` cannot be found: ``folder`` gets a link to every other program."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or not os.path.isdir(directory):
            continue
        for entry in os.scandir(directory):
            link = folder / entry.name
            if entry.name not in programs and not link.exists() and os.access(entry.path, os.X_OK):
                link.symlink_to(entry.path)
    return str(folder)


class LabServer:
    """``python -m jupyter lab`` (or ``notebook``) serving ``root_dir``, with its state kept under ``home``."""

    def __init__(self, root_dir, home, app="lab", hidden=()):
        self.root_dir = Path(root_dir)
        self.home = Path(home)
        self.app = app
        self.hidden = tuple(hidden)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.home / "jupyter-lab.log"
        self.process = None

    def environment(self):
        """The server's environment: Jupyter's folders in ``home``, this checkout importable, the venv first."""
        env = dict(os.environ)
        for name in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PREFER_ENV_PATH", "JUPYTER_PLATFORM_DIRS"):
            env.pop(name, None)  # would add the user's own kernels and settings to the search path
        folders = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
            "JUPYTERLAB_SETTINGS_DIR": "settings",
            "IPYTHONDIR": "ipython",  # no user start-up scripts in the kernel
        }
        for name, folder in folders.items():
            env[name] = str(self.home / folder)
            (self.home / folder).mkdir(parents=True, exist_ok=True)
        # The kernel inherits this: it imports minigrad and widgets from this checkout, whatever is installed.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
        path = path_without(self.hidden, self.home / "bin") if self.hidden else env.get("PATH", "")
        env["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), path))
        return env

    def write_settings(self):
        package, name, values = NOTIFICATION_SETTINGS
        path = self.home / "settings" / package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))

    def kernelspecs(self):
        """``jupyter kernelspec list`` as the server sees it (same environment)."""
        out = subprocess.run([sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"],
                             env=self.environment(), capture_output=True, text=True, check=True, timeout=60)
        return json.loads(out.stdout)["kernelspecs"]

    def launch(self):
        """Start the server and return at once (it needs seconds to import; the browser can start meanwhile)."""
        self.write_settings()
        command = [
            sys.executable, "-m", "jupyter", self.app, "--no-browser",
            f"--port={self.port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.allow_root=True",  # CI containers run as root; lab refuses to start as root without it
            "--MappingKernelManager.default_kernel_name=python3",
        ]
        with open(self.log_path, "w") as log:
            # A session of its own, so teardown can stop the server and every kernel it started in one go.
            self.process = subprocess.Popen(command, env=self.environment(), cwd=self.home, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self, timeout=60):
        """Block until ``/api/status`` answers."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.process.returncode}:\n{self.log()}")
            try:
                self.api("status")
                return self
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"jupyter {self.app} did not answer /api/status in {timeout} s:\n{self.log()}")
                time.sleep(0.1)

    def stop(self):
        """SIGTERM (the server shuts its kernels down), then SIGKILL to whatever of its group is left."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # kernels that outlived the server
        except ProcessLookupError:
            pass
        self.process.wait()

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def url(self, path):
        """A browser address inside lab, carrying the token."""
        return f"{self.base_url}/{path.lstrip('/')}?token={self.token}"

    def api(self, path):
        """GET ``/api/<path>`` as JSON."""
        request = urllib.request.Request(f"{self.base_url}/api/{path}",
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def end_sessions(self):
        """Shut every notebook's kernel down (a test opening many notebooks keeps the machine's memory free)."""
        for session in self.api("sessions"):
            request = urllib.request.Request(f"{self.base_url}/api/sessions/{session['id']}", method="DELETE",
                                             headers={"Authorization": f"token {self.token}"})
            urllib.request.urlopen(request, timeout=30).close()

    def session_for(self, notebook_path):
        for session in self.api("sessions"):
            if session.get("path") == notebook_path and session.get("kernel"):
                return session
        return None

    def wait_for_kernel(self, notebook_path, timeout=30):
        """The notebook's kernel once it is idle with a browser connected.

        The page shows "idle" before its kernel exists; running cells earlier opens a "Select Kernel" dialog.
        """
        deadline = time.monotonic() + timeout
        kernel = None
        while time.monotonic() < deadline:
            session = self.session_for(notebook_path)
            kernel = session and session["kernel"]
            if kernel and kernel.get("execution_state") == "idle" and kernel.get("connections", 0) >= 1:
                return kernel
            time.sleep(0.1)
        raise TimeoutError(f"kernel of {notebook_path} not idle and connected after {timeout} s (last: {kernel})")

    def kernel_command(self, kernel_id):
        """The command line of the kernel process (found by its connection file), or None where /proc is absent."""
        connection_file = f"kernel-{kernel_id}.json"
        proc = Path("/proc")
        if not proc.is_dir():
            return None
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            words = [a.decode(errors="replace") for a in argv if a]
            if any(w.endswith(connection_file) for w in words):
                return words
        return None
