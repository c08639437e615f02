"""Loss layers: a number that says how wrong the model is; ``loss.backward()`` starts from it.

Each is a thin module around the function of the same name in ``minigrad.nn.functional``.
"""
from minigrad.nn import functional as F
from minigrad.nn.module import Module


class MSELoss(Module):
    """Mean squared error, for regression: mean((input - target)²)."""

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        self.reduction = reduction if size_average is None and reduce is None else \
            F._reduction_of(reduction, size_average, reduce)

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class NLLLoss(Module):
    """Negative log-likelihood of the right class, given log-probabilities (e.g. from ``LogSoftmax``)."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        super().__init__()
        self.register_buffer("weight", weight)  # a buffer: saved in state_dict, but not learned
        self.ignore_index = ignore_index
        self.reduction = reduction if size_average is None and reduce is None else \
            F._reduction_of(reduction, size_average, reduce)

    def forward(self, input, target):
        return F.nll_loss(input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(NLLLoss):
    """Cross-entropy for classification: ``LogSoftmax`` of the raw scores, then ``NLLLoss`` of the right class."""

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction)
