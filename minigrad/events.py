"""Change events, so a viewer (the graph widget) can redraw when something it shows changes.

Kinds: ``"backward_done"`` (the output tensors), ``"grad_changed"`` (a tensor whose ``.grad`` was set, accumulated or
zeroed), ``"data_changed"`` (a tensor modified in place, e.g. by an optimizer step) and ``"node_created"`` (a graph
node just recorded, for drawing a graph as it is built).

Subscribers are held by weak reference: a widget that is garbage collected stops listening by itself. When nobody
listens, ``listeners`` is empty and the engine skips the call entirely (``if events.listeners: events.emit(...)``).
"""
import weakref

listeners = []  # weak references to callables taking (kind, subject)


def subscribe(callback):
    """Call ``callback(kind, subject)`` on every event while ``callback`` (or its object, for a method) lives."""
    ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else weakref.ref(callback)
    listeners.append(ref)
    return ref


def unsubscribe(callback):
    for ref in list(listeners):
        target = ref()
        if target is None or target == callback:
            listeners.remove(ref)


def emit(kind, subject):
    for ref in list(listeners):
        callback = ref()
        if callback is None:
            listeners.remove(ref)  # the subscriber was garbage collected
        else:
            callback(kind, subject)
