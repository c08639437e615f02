"""``minigrad.nn``: layers, losses and the ``Module`` base class, as in ``torch.nn``."""
from minigrad.nn import functional, init
from minigrad.nn.activation import ELU, GELU, LeakyReLU, LogSoftmax, ReLU, SiLU, Sigmoid, Softmax, Softplus, Tanh
from minigrad.nn.container import ModuleList, Sequential
from minigrad.nn.linear import Linear
from minigrad.nn.dropout import Dropout
from minigrad.nn.loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss
from minigrad.nn.module import Module
from minigrad.nn.parameter import Parameter
