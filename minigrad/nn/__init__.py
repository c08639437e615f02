"""``minigrad.nn``: layers, losses and the ``Module`` base class, as in ``torch.nn``."""
from minigrad.nn import functional, init
from minigrad.nn.activation import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from minigrad.nn.container import ModuleList, Sequential
from minigrad.nn.linear import Linear
from minigrad.nn.loss import CrossEntropyLoss, MSELoss, NLLLoss
from minigrad.nn.module import Module
from minigrad.nn.parameter import Parameter
