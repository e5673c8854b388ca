"""The loss: each sample's loss term by term (a class index first shown as its one-hot target),
their mean over the batch (or their sum, with the spec's reduction = "sum"), and any penalty on the weights added to it."""

from __future__ import annotations

from fractions import Fraction

from visualizer.core.expr import ONE, Const, Expr, Num, Sym, add, fraction, mul
from visualizer.functions.regularization import Penalty
from visualizer.texify import latex_text

from ..document import Equation, Note, Section
from ..notation import E, a_, shown_sum, y_
from .context import Context


def sections(c: Context) -> list[Section]:
    section = Section(f"Loss: {c.loss.name}", "loss", 2)
    section.items.append(
        Note(f"{c.loss.text}: {c.loss.description}", latex=f"${c.loss.latex}$: {latex_text(c.loss.description)}")
    )
    if c.loss.batch_reduction == "sum":
        section.items.append(Note('reduction = "sum": E is the sum of the samples\' losses Σₛ Eₛ, not their mean'))
    n = c.sizes[-1]
    if c.loss.target_width(n) != n:
        section.items.append(_one_hot_note(c))
    for s in c.samples():
        section.items += c.sample_note(s)
        if s is not None:
            section.items.append(_sample_loss(c, s))
    if c.batch > 1:
        section.items.append(_batch_mean(c))
    section.items += _penalties(c)
    return [section]


def _one_hot_note(c: Context) -> Note:
    """The one-hot targets the class indices of the written-out samples stand for."""
    targets = c.targets()
    samples = "; ".join(
        f"sample {s + 1}, c = {c.trace.target[c.rows[s], 0]:g}: y = ({', '.join(f'{v:g}' for v in targets[s])})"
        for s in c.samples()
        if s is not None
    )
    return Note(
        "each class index c stands for the one-hot target y with yᵢ = 1 for output i = c + 1 and 0 "
        f"elsewhere: {samples}"
    )


def _sample_loss(c: Context, s: int) -> Equation:
    """Sample s's loss: its terms as formulas, with the numbers, then each term's value."""
    out, target, n = c.step.layers[-1].a, c.targets(), c.sizes[-1]
    lhs = _data_symbol(c) if c.batch == 1 else Sym("E", (s + 1,))
    if c.loss.row_term:  # a term that reads the right class's output too; the right class has none
        right = c.right_class(s)
        wrong = [i for i in range(n) if i != right]
        symbolic = _reduced(c, len(wrong), lambda m: c.loss.row_term(wrong[m], right, lambda k: a_(c.L, k + 1)))
        numeric = _reduced(c, len(wrong), lambda m: c.loss.row_term(wrong[m], right, lambda k: Num(out[s, k])))
    else:
        symbolic = _reduced(c, n, lambda i: c.loss.term_formula(a_(c.L, i + 1), y_(i + 1)))
        numeric = _reduced(c, n, lambda i: c.loss.term_formula(Num(out[s, i]), Num(target[s, i])))
    terms = _reduced(c, n, lambda i: Num(c.step.loss_terms[s, i]))
    return c.equation(lhs, [symbolic], [numeric, terms], c.step.sample_losses[s], about=("loss",), sample=s)


def _reduced(c: Context, count: int, term) -> Expr:
    """Σ of term(i) for i < count, times 1/n where the loss is the mean over its n outputs."""
    n = c.sizes[-1]
    total = shown_sum(count, term)
    return mul(fraction(Fraction(1, n)), total) if c.loss.reduction == "mean" and n > 1 else total


def _batch_mean(c: Context) -> Equation:
    """E over the batch: 1/B·Σₛ Eₛ, or Σₛ Eₛ where the spec's reduction is "sum"."""

    def reduced(total: Expr) -> Expr:
        return total if c.loss.batch_reduction == "sum" else mul(fraction(Fraction(1, c.batch)), total)

    return c.equation(
        _data_symbol(c),
        [reduced(shown_sum(c.batch, lambda s: Sym("E", (s + 1,))))],
        [reduced(shown_sum(c.batch, lambda s: Num(c.step.sample_losses[s])))],
        c.step.data_loss,
        about=("loss",),
    )


def _data_symbol(c: Context) -> Sym:
    """E, or E_data where penalties are added to it."""
    return Sym("E_data", latex_base=r"E_{\mathrm{data}}") if c.penalties else E


def _penalties(c: Context) -> list[Equation]:
    """Each penalty over every weight, then E = E_data + the penalties; nothing without penalties."""
    if not c.penalties:
        return []
    items = [_penalty(c, p, lam) for p, lam in c.penalties]
    names = [item.lhs for item in items]
    items.append(
        c.equation(
            E,
            [add(_data_symbol(c), *names)],
            [add(Num(c.step.data_loss), *(Num(c.step.penalties[p.name]) for p, _ in c.penalties))],
            c.step.loss,
            about=("loss",),
        )
    )
    return items


def _penalty(c: Context, p: Penalty, lam: float) -> Equation:
    """One penalty over every weight, layer by layer, row by row: e.g. ½λ₂·Σ w² = ½·0.1·(0.15² + …)."""
    weights = [w for layer in c.step.layers for w in layer.W.ravel()]
    value = c.step.penalties[p.name]
    factor = [p.factor] if p.factor is not ONE else []
    numeric = mul(*factor, Num(lam), shown_sum(len(weights), lambda i: p.term_formula(Num(weights[i]))))
    return c.equation(Const(p.text, p.latex, value), [], [numeric], value, about=("loss",))
