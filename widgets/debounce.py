"""Redraw at most a few times a second, and always once more at the end.

A training loop changes ``.grad`` and the parameters thousands of times; redrawing on every change would flood
the notebook. A ``Debouncer`` runs its action at once if it has not run for ``interval`` seconds, and otherwise
remembers that a run is due and makes it at the end of the quiet time (on a timer thread), or when ``flush()``
is called (the widget flushes after every cell). So the last state is always the one drawn.
"""
import threading
import time


class Debouncer:
    def __init__(self, action, interval=0.2, clock=time.monotonic, timer=threading.Timer):
        self.action = action
        self.interval = interval
        self.clock = clock
        self.timer = timer  # a threading.Timer-like factory; tests pass one they trigger by hand
        self.pending = False
        self.runs = 0
        self._last_run = None
        self._armed = None
        self._lock = threading.RLock()

    def request(self):
        """Ask for a run: now if the last one is old enough, else at the end of the interval."""
        with self._lock:
            now = self.clock()
            if self._armed is None and (self._last_run is None or now - self._last_run >= self.interval):
                self._run()
                return
            self.pending = True
            if self._armed is None:
                wait = max(self.interval - (now - self._last_run), 0.0)
                self._armed = self.timer(wait, self._on_timer)
                self._armed.daemon = True
                self._armed.start()

    def flush(self):
        """Make a due run now."""
        with self._lock:
            self._disarm()
            if self.pending:
                self._run()

    def cancel(self):
        with self._lock:
            self._disarm()
            self.pending = False

    def _on_timer(self):
        with self._lock:
            self._armed = None
            if self.pending:
                try:
                    self._run()
                except Exception:  # the notebook may be mid-change; the next flush draws the final state
                    self.pending = True

    def _disarm(self):
        if self._armed is not None:
            self._armed.cancel()
            self._armed = None

    def _run(self):
        self.pending = False
        self._last_run = self.clock()
        self.runs += 1
        self.action()
