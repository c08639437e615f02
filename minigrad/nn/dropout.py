"""``Dropout``: the one layer in minigrad that behaves differently in training and in evaluation.

In training mode (``model.train()``, the default) it zeroes each element with probability ``p`` and scales the rest
by 1/(1 - p); after ``model.eval()`` it passes its input through unchanged.
"""
from minigrad.nn import functional as F
from minigrad.nn.module import Module


class Dropout(Module):
    """Randomly zero elements while training (a regulariser: no unit can rely on one other unit)."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
