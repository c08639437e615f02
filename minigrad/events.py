"""Change events, so a viewer (the graph widget) can redraw when something it shows changes.

Kinds: ``"backward_starting"`` (the output tensors of a backward pass about to run: nothing is written or freed
yet), ``"backward_done"`` (the output tensors), ``"grad_changed"`` (a tensor whose ``.grad`` was set, accumulated or
zeroed), ``"data_changed"`` (a tensor modified in place, e.g. by an optimizer step) and ``"node_created"`` (a graph
node just recorded, for drawing a graph as it is built).

Subscribers are held by weak reference: a widget that is garbage collected stops listening by itself. When nobody
listens, ``listeners`` is empty and the engine skips the call entirely (``if events.listeners: events.emit(...)``).
Events may come from several threads at once (backward passes running in parallel): each call works on its own
copy of the list, and only the lock-holding code below changes the list itself.
"""
import threading
import weakref

listeners = []  # weak references to callables taking (kind, subject)
_lock = threading.Lock()


def subscribe(callback):
    """Call ``callback(kind, subject)`` on every event while ``callback`` (or its object, for a method) lives."""
    ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else weakref.ref(callback)
    with _lock:
        listeners.append(ref)
    return ref


def unsubscribe(callback):
    with _lock:
        listeners[:] = [ref for ref in listeners if ref() is not None and ref() != callback]


def emit(kind, subject):
    with _lock:
        current = list(listeners)
    dead = False
    for ref in current:
        callback = ref()
        if callback is None:
            dead = True  # the subscriber was garbage collected
        else:
            callback(kind, subject)
    if dead:
        with _lock:
            listeners[:] = [ref for ref in listeners if ref() is not None]
