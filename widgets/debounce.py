"""Redraw at most a few times a second, and always once more at the end.

A training loop changes ``.grad`` and the parameters thousands of times; redrawing on every change would flood
the notebook. A ``Debouncer`` runs its action at once if it has been quiet for ``interval`` seconds, and otherwise
remembers that a run is due and makes it at the end of the quiet time (on a timer thread), or when ``flush()``
is called (the widget flushes after every cell). So the last state is always the one drawn.

The quiet time is counted from when a run *ends*, and lasts at least twice as long as that run took: a redraw
that takes longer than the interval (a big graph, a slow machine) must not make every later request run at once,
and drawing never takes more than a third of the time of the loop it watches.
A run on the timer thread happens outside the lock, so a request made meanwhile only notes that one more is due.
"""
import threading
import time
import weakref


class Debouncer:
    """Calls ``action`` (held weakly when it is a bound method: a debouncer never keeps its view alive)."""

    def __init__(self, action, interval=0.2, clock=time.monotonic, timer=threading.Timer):
        self._action = weakref.WeakMethod(action) if hasattr(action, "__self__") else (lambda: action)
        self.interval = interval
        self.clock = clock
        self.timer = timer  # a threading.Timer-like factory; tests pass one they trigger by hand
        self.pending = False
        self.runs = 0
        self._last_end = None  # when the last run finished
        self._last_duration = 0.0  # how long it took
        self._running = False
        self._armed = None
        self._lock = threading.RLock()

    def request(self):
        """Ask for a run: now if it has been quiet long enough, else at the end of the quiet time."""
        if self.pending and self._armed is not None:
            return  # already due, and the timer set (the common case inside a loop: no lock to take)
        with self._lock:
            now = self.clock()
            quiet = self._last_end is None or now - self._last_end >= self._quiet_time()
            if self._armed is None and not self._running and quiet:
                self._run()
                return
            self.pending = True
            if self._armed is None and not self._running:  # a run in progress re-arms when it ends
                self._arm(now)

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

    def _quiet_time(self):
        return max(self.interval, 2 * self._last_duration)

    def _arm(self, now):
        wait = self._quiet_time()
        if self._last_end is not None:
            wait = max(wait - (now - self._last_end), 0.0)
        self._armed = self.timer(wait, self._on_timer)
        self._armed.daemon = True
        self._armed.start()

    def _on_timer(self):
        with self._lock:
            self._armed = None
            if not self.pending or self._running:
                return
            self.pending, self._running = False, True
            started = self.clock()
        try:
            self._call()
        except Exception:  # the notebook may be mid-change; the next flush draws the final state
            self.pending = True
        finally:
            with self._lock:
                self._running = False
                self._last_end = self.clock()
                self._last_duration = self._last_end - started
                if self.pending and self._armed is None:
                    self._arm(self._last_end)

    def _disarm(self):
        if self._armed is not None:
            self._armed.cancel()
            self._armed = None

    def _run(self):
        self.pending = False
        self._running = True
        started = self.clock()
        try:
            self._call()
        finally:
            self._running = False
            self._last_end = self.clock()
            self._last_duration = self._last_end - started

    def _call(self):
        self.runs += 1
        action = self._action()
        if action is not None:  # (its view is gone: nothing to draw)
            action()
