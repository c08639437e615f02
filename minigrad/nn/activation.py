"""Activation layers: the non-linear functions between linear layers, as modules (no parameters)."""
from minigrad.nn import functional as F
from minigrad.nn.module import Module


class ReLU(Module):
    """max(x, 0): passes positive values, zeroes the rest."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """1 / (1 + e^-x): squashes any value into (0, 1)."""

    def forward(self, input):
        return input.sigmoid()


class Tanh(Module):
    """tanh(x): squashes any value into (-1, 1)."""

    def forward(self, input):
        return input.tanh()


class Softmax(Module):
    """exp(x_i) / Σ_j exp(x_j) along ``dim``: scores to probabilities."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """log softmax(x) along ``dim``."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"
