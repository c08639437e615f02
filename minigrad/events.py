"""Change events, so a viewer (the graph widget) can redraw when something it shows changes.

Kinds: ``"backward_starting"`` (the output tensors of a backward pass about to run: nothing is written or freed
yet), ``"backward_done"`` (the output tensors), ``"grad_changed"`` (a tensor whose ``.grad`` was set, accumulated or
zeroed), ``"data_changed"`` (a tensor modified in place, e.g. by an optimizer step) and ``"node_created"`` (a graph
node just recorded, for drawing a graph as it is built).

Subscribers are held by weak reference: a widget that is garbage collected stops listening by itself. When nobody
listens, ``listeners`` is empty and the engine skips the call entirely (``if events.listeners: events.emit(...)``).
``node_created`` comes at every recorded op, so only those who ask for it by name hear it (``subscribe(callback,
"node_created")``, as ``widgets.trace`` does), and the engine checks its own list, ``node_listeners``: a view that
only redraws on changes costs the ops nothing.
Events may come from several threads at once (backward passes running in parallel). A list of subscribers is never
changed in place: subscribing and unsubscribing make a new one (under a lock), so ``emit`` runs over the list as it
was when the event began, without copying it or taking the lock.
"""
import threading
import weakref

listeners = []  # weak references to callables taking (kind, subject): every kind but node_created
node_listeners = []  # ... and those for node_created only
_lock = threading.Lock()


def subscribe(callback, kind=None):
    """Call ``callback(kind, subject)`` on every change event (with ``kind="node_created"``: on every recorded op
    instead) while ``callback`` (or its object, for a method) lives."""
    global listeners, node_listeners
    if kind not in (None, "node_created"):
        raise ValueError(f"kind must be None (every change) or 'node_created', got {kind!r}")
    ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else weakref.ref(callback)
    with _lock:
        if kind is None:
            listeners = listeners + [ref]
        else:
            node_listeners = node_listeners + [ref]
    return ref


def unsubscribe(callback):
    _keep(lambda ref: ref() is not None and ref() != callback)


def emit(kind, subject):
    current = node_listeners if kind == "node_created" else listeners
    dead = False
    for ref in current:
        callback = ref()
        if callback is None:
            dead = True  # the subscriber was garbage collected
        else:
            callback(kind, subject)
    if dead:
        _keep(lambda ref: ref() is not None)


def _keep(wanted):
    """New subscriber lists holding only the references ``wanted`` accepts."""
    global listeners, node_listeners
    with _lock:
        listeners = [ref for ref in listeners if wanted(ref)]
        node_listeners = [ref for ref in node_listeners if wanted(ref)]
