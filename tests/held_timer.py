"""A stand-in timer for the redraw throttle's tests: time passes only when a test says so."""


class HeldTimer:
    """Stands in for threading.Timer: nothing fires on its own, so the test decides when time passes."""

    made = []

    def __init__(self, wait, callback):
        self.wait, self.callback, self.cancelled, self.daemon = wait, callback, False, False
        HeldTimer.made.append(self)

    def start(self):
        pass

    def cancel(self):
        self.cancelled = True

    def fire(self):
        if not self.cancelled:
            self.callback()
