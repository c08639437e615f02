"""``einsum``: products and sums written as subscripts, ``einsum('ij,jk->ik', a, b)`` for ``a @ b``.

It is built from ops already in the graph (indexing for a diagonal, permute, reshape, ``*``, ``sum``), so its
backward is theirs: one readable function rather than a new ``Function`` with its own derivative.

Its values and gradients are PyTorch's, but not its graph: PyTorch contracts each pair of operands with a batched
matrix product (its nodes are ``PermuteBackward0``, ``ViewBackward0``, ``BmmBackward0``...), so its einsum's
``grad_fn`` and the graph of its gradient under ``create_graph=True`` show those nodes where minigrad's show
``MulBackward0`` and ``SumBackward1``.
"""
import numpy as np

from minigrad.ops.linalg import _check_tensor
from minigrad.tensor import Tensor

_SUBSCRIPTS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def einsum(equation, *operands):
    """Einstein summation: ``einsum('ij,jk->ik', a, b)`` is ``a @ b``. Each letter names a dim; letters shared by the
    operands are multiplied along, letters missing from the output are summed over. Without ``->`` the output is
    the letters that appear once, in alphabetical order. ``...`` stands for the dims no letter names, broadcast
    across operands (``'...ij,jk->...ik'`` is a batch of matrix products). A letter twice in one operand takes the
    diagonal: ``'ii->i'`` is the diagonal, ``'ii'`` the trace.

    Built from ops you know (indexing for the diagonal, permute, reshape, ``*``, ``sum``), so its gradient is
    theirs.
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    for index, char in enumerate(equation):
        if char not in _SUBSCRIPTS and char not in " .,->":
            raise RuntimeError(f"einsum(): invalid subscript given at index {index} in the equation string, "
                               "subscripts must be in [a-zA-Z]")
    inputs, arrow, output = equation.replace(" ", "").partition("->")
    terms = inputs.split(",")
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    for number, (term, operand) in enumerate(zip(terms, operands)):
        _check_tensor("einsum", "operands", 2, operand)
        _check_ellipsis(term, number, operand.ndim)
    terms, ellipsis = _spell_out_ellipses(terms, operands)
    sizes = {}
    diagonals = []
    for number, (term, operand) in enumerate(zip(terms, operands)):
        operand, term = _diagonal(operand, term, number)
        diagonals.append((term, operand))
        for letter, size in zip(term, operand.shape):
            if sizes.get(letter, size) != size and size != 1 and sizes[letter] != 1:
                if letter in ellipsis:
                    raise RuntimeError(
                        f"einsum(): dimension {[x for x in term if x in ellipsis].index(letter)} covered by "
                        f"ellipsis in operand {number}has size {size} which does not broadcast with "
                        f"previously seen ellipsis with size {sizes[letter]} for the respective dimension")
                raise RuntimeError(f"einsum(): subscript {letter} has size {size} for operand {number} which does "
                                   f"not broadcast with previously seen size {sizes[letter]}")
            sizes[letter] = size if sizes.get(letter, 1) == 1 else sizes[letter]
    if arrow:
        output = output.replace("...", ellipsis)
    else:
        letters_once = [x for x in sizes if x not in ellipsis and "".join(terms).count(x) == 1]
        output = ellipsis + "".join(sorted(letters_once))
    for letter in output:
        if letter not in sizes:
            raise RuntimeError(f"einsum(): output subscript {letter} does not appear in the equation for any input "
                               "operand")
        if output.count(letter) > 1:
            raise RuntimeError(f"einsum(): output subscript {letter} appears more than once in the output")
    letters = output + "".join(letter for letter in sizes if letter not in output)  # output dims first
    product = None
    for term, operand in diagonals:
        # put the operand's dims in the order of ``letters``, with size-1 dims for the letters it lacks
        order = sorted(range(len(term)), key=lambda d: letters.index(term[d]))
        moved = operand.permute(*order) if order != list(range(len(term))) else operand
        present = [term[d] for d in order]
        aligned = moved.reshape([moved.shape[present.index(x)] if x in present else 1 for x in letters])
        product = aligned if product is None else product * aligned
    summed = tuple(range(len(output), len(letters)))
    if summed:
        product = product.sum(summed)
    return product.expand([sizes[x] for x in output]) if tuple(product.shape) != tuple(
        sizes[x] for x in output) else product


def _check_ellipsis(term, number, ndim):
    """PyTorch's errors for a misplaced '.' or a term naming more dims than its operand has."""
    dotted = term.replace("...", "", 1)
    if "." in dotted:
        where = "for which an ellipsis was already found" if "..." in term else "that is not part of any ellipsis"
        raise RuntimeError(f"einsum(): found '.' for operand {number} {where}")
    named = len(dotted)
    if "..." in term and named > ndim:
        raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) is more than the number of "
                           f"dimensions ({ndim}) for operand {number}")
    if "..." not in term and named != ndim:
        raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) does not match the number "
                           f"of dimensions ({ndim}) for operand {number} and no ellipsis was given")


def _spell_out_ellipses(terms, operands):
    """Replace each '...' by one made-up letter per dim it covers, aligned from the right as broadcasting aligns
    shapes; return the terms and the letters of the widest ellipsis."""
    widths = [operand.ndim - len(term) + 3 for term, operand in zip(terms, operands) if "..." in term]
    ellipsis = "".join(chr(0x100 + k) for k in range(max(widths, default=0)))  # never a subscript letter
    spelled = []
    for term, operand in zip(terms, operands):
        width = operand.ndim - len(term) + 3
        spelled.append(term.replace("...", ellipsis[len(ellipsis) - width:]) if "..." in term else term)
    return spelled, ellipsis


def _diagonal(operand, term, number):
    """A letter twice in one operand (``'ii'``): keep only the places where those dims' indices are equal, as one
    dim; its gradient puts the incoming gradient on the diagonal and zeros elsewhere."""
    for letter in dict.fromkeys(term):
        dims = [d for d, x in enumerate(term) if x == letter]
        if len(dims) == 1:
            continue
        for d in dims[1:]:
            if operand.shape[d] != operand.shape[dims[0]]:
                raise RuntimeError(f"einsum(): subscript {letter} is repeated for operand {number} but the sizes don't "
                                   f"match, {operand.shape[d]} != {operand.shape[dims[0]]}")
        rest = [d for d in range(len(term)) if d not in dims]
        along = Tensor._make(np.arange(operand.shape[dims[0]]))
        operand = operand.permute(*dims, *rest)[(along,) * len(dims)]
        term = letter + "".join(term[d] for d in rest)
    return operand, term
