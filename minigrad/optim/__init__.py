"""``minigrad.optim``: optimizers that update parameters from their gradients, as in ``torch.optim``."""
from minigrad.optim.adam import Adam
from minigrad.optim.optimizer import Optimizer
from minigrad.optim.sgd import SGD
from minigrad.optim import lr_scheduler  # noqa: E402  (after Optimizer: schedulers wrap one)
