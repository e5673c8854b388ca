"""From a Trace to a document: every equation of a training step, in the lecture's notation.

The document is a list of sections of equations, tables and notes, independent of the output
format (text, markdown and LaTeX print the same document, and the video takes its equations from
it). Each equation gives its own parts as plain text or LaTeX, its formulas being `expr` trees,
so no output format borrows another's helpers. Every number comes from the Trace;
each equation is written symbolically, then with its numbers, then its result, and is shown at
the fewest digits (from --precision up) at which a reader who redoes it from the numbers on
the page gets the result on the page (`digits.honest_digits`). Large layers are elided: a few
neurons in full, then a note saying how many more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from visualizer.functions import dropout
from visualizer.functions.activations import PERCEPTRON_RULE, get_activation
from visualizer.functions.classes import class_indices
from visualizer.core.expr import ONE, SUP, Const, Deriv, Expr, Num, Style, Sub, Sym, SumOver, add, fraction, mul
from visualizer.functions.losses import get_loss
from visualizer.functions.optimizers import DERIVED, formulas, get_optimizer
from visualizer.functions.regularization import strengths
from visualizer.style import DEFAULT_DIGITS, format_display, pick
from visualizer.network.batches import steps_per_epoch
from visualizer.network.trace import Step, Trace
from .digits import honest_digits
from .notation import E, a_, b_, d_, m_, shown_sum, w_, x_, y_, z_
from visualizer.texify import latex_text

PHASES = ("forward", "loss", "backward", "update")
NEURONS = 4  # neurons per layer written out; beyond that: the first 3, a note, the last
SAMPLES = 2  # samples of a batch written out in full
PARAMETERS = 8  # gradient and update lines per layer
DETAILED = 2  # parameters per layer whose optimizer state is written out line by line
TABLE_ROWS, TABLE_COLUMNS = 8, 5  # 5 columns of numbers keep a table inside 80 columns
STEP_ROWS = 20  # rows of the per-step loss table before it is condensed


@dataclass(frozen=True)
class Options:
    precision: int = DEFAULT_DIGITS  # significant digits shown (more where a line needs them)
    phase: str = "all"  # forward | loss | backward | update | all
    show: str = "first"  # which steps are written out: first | last | all


@dataclass(frozen=True)
class Equation:
    lhs: Expr
    forms: tuple[Expr, ...]  # symbolic forms, then the same with numbers
    result: float
    digits: int  # for the numbers in the forms: as many as the line needs to add up
    result_digits: int  # for the result: the chosen precision, trailing zeros kept
    symbolic: int  # how many of the forms are symbolic (the rest are numbers)
    arrow: str = "="  # "←" for an update

    def parts(self, mode: str) -> list[str]:
        """lhs, each form, the result, printed in `mode` ("text" or "latex")."""
        style = Style(mode, self.digits)
        return [self.lhs.render(style), *(form.render(style) for form in self.forms), self.result_text(mode)]

    def signs(self, mode: str) -> list[str]:
        """The sign before each form and before the result: the arrow first, then "="."""
        arrow = r"\leftarrow" if mode == "latex" and self.arrow == "←" else self.arrow
        return [arrow] + ["="] * len(self.forms)

    def line(self, mode: str) -> str:
        """lhs = form = … = result, on one line."""
        lhs, *rest = self.parts(mode)
        return lhs + "".join(f" {sign} {part}" for sign, part in zip(self.signs(mode), rest))

    def result_text(self, mode: str) -> str:
        return Style(mode, self.result_digits).number(self.result, zeros=True)


@dataclass(frozen=True)
class Table:
    columns: tuple  # str or Expr
    rows: tuple  # of tuples of str, float or Expr
    digits: int


@dataclass(frozen=True)
class Note:
    text: str
    latex: str | None = None  # where the text has math LaTeX cannot take as it is


@dataclass
class Section:
    title: str
    phase: str  # header, forward, loss, backward, update, training, verify
    level: int = 1
    items: list = field(default_factory=list)


# ----- the builder -------------------------------------------------------------------------------

class _Builder:
    def __init__(self, trace: Trace, options: Options):
        self.trace, self.options = trace, options
        net = trace.network
        self.sizes = net.sizes
        self.L = len(net.sizes) - 1
        self.activations = [get_activation(a, net.rule) for a in net.activations]
        self.loss = get_loss(net.loss)
        self.optimizer = get_optimizer(net.optimizer["name"])
        self.hyper = {k: v for k, v in net.optimizer.items() if k != "name"}
        self.batch = len(trace.input)  # the samples of the step being written (set by step())
        self.rows = trace.rows(trace.steps[0])  # which data rows they are
        self.current = trace.steps[0]
        self.penalties = strengths(net)  # (Penalty, λ) in use

    def equation(self, lhs, symbolic, numeric, result, arrow="=") -> Equation:
        digits = honest_digits(list(numeric), result, self.options.precision)
        # a lone number would only repeat the result
        shown = tuple(f for f in numeric if not isinstance(f, Num))
        return Equation(lhs, tuple(symbolic) + shown, float(result), digits, self.options.precision, len(symbolic),
                        arrow)

    def table(self, columns, rows) -> Table:
        return Table(tuple(columns), tuple(tuple(r) for r in rows), self.options.precision)

    def num(self, value: float) -> str:
        return format_display(float(value), self.options.precision)

    def activations_of(self, step: Step, l: int):
        """a⁽ˡ⁾ for every sample of the step's batch; l = 0 is the input."""
        return self.trace.input_of(step) if l == 0 else step.layers[l - 1].a

    def targets(self):
        """The targets of the step's batch, one value per output (class indices as one-hot rows)."""
        return self.trace.target_of(self.current)

    def right_class(self, s: int) -> int:
        """The class sample s of the step's batch belongs to (its one-hot target's 1)."""
        return int(class_indices(self.targets()[s:s + 1])[0])

    def samples(self) -> list[int | None]:
        return pick(self.batch, SAMPLES) if self.batch > SAMPLES else list(range(self.batch))

    def sample_note(self, s, items):
        if self.batch > 1:
            if s is None:
                items.append(Note(f"… {self.batch - SAMPLES} more samples, computed the same way"))
                return
            mini = len(self.rows) < len(self.trace.input)  # a mini-batch: say which sample of the data
            items.append(Note(f"sample {s + 1} of {self.batch}" + (f" (data row {self.rows[s] + 1})" if mini else "")))

    def per_neuron(self, l: int, items: list, equations) -> None:
        """equations(s, j) for the samples and neurons of layer l that are written out."""
        for s in self.samples():
            self.sample_note(s, items)
            if s is None:
                continue
            for j in pick(self.sizes[l], NEURONS):
                if j is None:
                    items.append(Note(f"… {self.sizes[l] - NEURONS} more neurons, computed the same way"))
                else:
                    items += equations(s, j)

    # ----- sections ----------------------------------------------------------------------------
    def header(self) -> Section:
        net = self.trace.network
        layers = [f"{self.sizes[0]} inputs"] + [
            f"{n} {'output' + ('s' if n > 1 else '') if l == self.L else 'hidden'} ({a.name})"
            for l, (n, a) in enumerate(zip(self.sizes[1:], self.activations), start=1)
        ]
        hyper = ", ".join(f"{self.optimizer.symbols.get(k, Sym(k)).text()} = {self.num(v)}" for k, v in self.hyper.items())
        section = Section(f"Network {net.name}", "header")
        section.items += [
            Note(" → ".join(layers)),
            Note(f"loss {self.loss.name}: {self.loss.text}", latex=(f"loss {latex_text(self.loss.name)}: ${self.loss.latex}$")),
            Note(f"optimizer {self.optimizer.name} ({hyper}); seed {net.seed}"
                 + (f"; learning rule: the perceptron's, {PERCEPTRON_RULE}" if net.rule == "perceptron" else "")),
        ]
        k, n = net.batch_size, len(self.trace.input)
        if k is not None and k < n:
            per_epoch = steps_per_epoch(n, k)
            section.items.append(Note(
                f"mini-batch SGD: each step learns from {k} of the {n} samples, taken in a new random order each "
                f"epoch ({per_epoch} steps an epoch); the loss is the mean over the step's mini-batch"))
        if net.dropout > 0:
            section.items.append(Note(dropout.explanation(net.dropout, self.num)))
        if self.penalties:
            terms = " + ".join(p.text for p, _ in self.penalties)
            values = ", ".join(f"{p.symbol.text()} = {self.num(lam)}" for p, lam in self.penalties)
            section.items.append(Note(f"regularization: E = E_data + {terms} ({values}), over every weight, not the biases"))
        for name, symbol, data in (("input", x_, self.trace.input), ("target", y_, self.trace.target)):
            columns = pick(data.shape[1], TABLE_COLUMNS)
            rows = [["…"] * (len(columns) + 1) if s is None else
                    [str(s + 1)] + [data[s, k] if k is not None else "…" for k in columns]
                    for s in pick(self.batch, TABLE_ROWS)]
            header = ["sample"] + [symbol(k + 1) if k is not None else "…" for k in columns]
            section.items.append(Note(f"{name} {symbol(1).base}:"))
            section.items.append(self.table(header, rows))
        step = self.trace.steps[0]
        for l, layer in enumerate(step.layers, start=1):
            mark = f"({l})".translate(SUP)
            section.items.append(Note(f"layer {l}: weights w{mark}ⱼₖ (row j: into neuron j) and biases b{mark}ⱼ"))
            section.items.append(self.parameter_table(l, layer.W, layer.b))
        return section

    def parameter_table(self, l, W, b) -> Table:
        ks = pick(W.shape[1], TABLE_COLUMNS)
        columns = ["j"] + [w_(l, "j", k + 1) if k is not None else "…" for k in ks] + [b_(l, "j")]
        rows = []
        for j in pick(W.shape[0], TABLE_ROWS):
            if j is None:
                rows.append(["…"] * len(columns))
                continue
            rows.append([str(j + 1)] + [W[j, k] if k is not None else "…" for k in ks] + [b[j]])
        return self.table(columns, rows)

    def forward(self, step: Step) -> list[Section]:
        sections = []
        for l, (layer, f) in enumerate(zip(step.layers, self.activations), start=1):
            kind = "output" if l == self.L else "hidden"
            count = f"{self.sizes[l]} neuron{'s' if self.sizes[l] > 1 else ''}"
            section = Section(f"Forward pass, layer {l} ({kind}, {count}, {f.name})", "forward", 2)
            a_prev = self.activations_of(step, l - 1)
            n_in = self.sizes[l - 1]

            def neuron(s, j, layer=layer, f=f, a_prev=a_prev, n_in=n_in, l=l):
                symbolic = add(shown_sum(n_in, lambda k: mul(w_(l, j + 1, k + 1), a_(l - 1, k + 1))), b_(l, j + 1))
                numeric = add(shown_sum(n_in, lambda k: mul(Num(layer.W[j, k]), Num(a_prev[s, k]))), Num(layer.b[j]))
                return [self.equation(z_(l, j + 1), [symbolic], [numeric], layer.z[s, j])]

            def activation(s, j, layer=layer, f=f, l=l):
                if f.row_formula is None and self.drops(l):  # f(z), times dropout's multiplier
                    return [self.equation(a_(l, j + 1), [mul(f.formula(z_(l, j + 1)), m_(l, j + 1))],
                                          [mul(f.formula(Num(layer.z[s, j])), Num(layer.mask[s, j]))], layer.a[s, j])]
                if f.row_formula is None:
                    return [self.equation(a_(l, j + 1), [f.formula(z_(l, j + 1))], [f.formula(Num(layer.z[s, j]))],
                                          layer.a[s, j])]
                # a function of the whole row (softmax): every z of the layer is known only now
                total = lambda term: shown_sum(self.sizes[l], term)  # noqa: E731
                return [self.equation(a_(l, j + 1), [f.row_formula(j, lambda k: z_(l, k + 1), total)],
                                      [f.row_formula(j, lambda k: Num(layer.z[s, k]), total)], layer.a[s, j])]

            if self.drops(l):
                section.items.append(self.mask_note(layer, l))
            if f.row_formula is None:
                self.per_neuron(l, section.items, lambda s, j: neuron(s, j) + activation(s, j))
            else:
                self.per_neuron(l, section.items, neuron)
                section.items.append(Note(f"{f.text}: each output needs the whole layer's z"))
                self.per_neuron(l, section.items, activation)
            sections.append(section)
        return sections

    def loss_section(self, step: Step) -> Section:
        section = Section(f"Loss: {self.loss.name}", "loss", 2)
        section.items.append(Note(f"{self.loss.text}: {self.loss.description}",
                                  latex=f"${self.loss.latex}$: {latex_text(self.loss.description)}"))
        out = step.layers[-1].a
        n = self.sizes[-1]
        target = self.targets()
        if self.loss.target_width(n) != n:
            section.items.append(Note("each class index c stands for the one-hot target y with yᵢ = 1 for output "
                                      "i = c + 1 and 0 elsewhere: " + "; ".join(
                                          f"sample {s + 1}, c = {self.trace.target[self.rows[s], 0]:g}: "
                                          f"y = ({', '.join(f'{v:g}' for v in target[s])})"
                                          for s in self.samples() if s is not None)))
        factor = fraction(Fraction(1, n)) if self.loss.reduction == "mean" and n > 1 else None

        def reduce(term):
            total = shown_sum(n, term)
            return mul(factor, total) if factor else total

        for s in self.samples():
            self.sample_note(s, section.items)
            if s is None:
                continue
            lhs = self.data_symbol() if self.batch == 1 else Sym("E", (s + 1,))
            if self.loss.row_term:  # a term that reads the right class's output too; the right class has none
                c = self.right_class(s)
                wrong = [i for i in range(n) if i != c]
                total = lambda term: mul(factor, shown_sum(len(wrong), lambda m: term(wrong[m])))  # noqa: E731
                symbolic = total(lambda i: self.loss.row_term(i, c, lambda k: a_(self.L, k + 1)))
                numeric = total(lambda i: self.loss.row_term(i, c, lambda k: Num(out[s, k])))
            else:
                symbolic = reduce(lambda i: self.loss.term_formula(a_(self.L, i + 1), y_(i + 1)))
                numeric = reduce(lambda i: self.loss.term_formula(Num(out[s, i]), Num(target[s, i])))
            section.items.append(self.equation(
                lhs,
                [symbolic],
                [numeric,
                 reduce(lambda i: Num(step.loss_terms[s, i]))],
                step.sample_losses[s],
            ))
        if self.batch > 1:
            B = self.batch
            mean = fraction(Fraction(1, B))
            section.items.append(self.equation(
                self.data_symbol(), [mul(mean, shown_sum(B, lambda s: Sym("E", (s + 1,))))],
                [mul(mean, shown_sum(B, lambda s: Num(step.sample_losses[s])))], step.data_loss))
        if self.penalties:
            section.items += self.penalty_lines(step)
        return section

    def data_symbol(self):
        """E, or E_data where penalties are added to it."""
        return Sym("E_data", latex_base=r"E_{\mathrm{data}}") if self.penalties else E

    def penalty_lines(self, step: Step) -> list:
        """Each penalty over every weight, then E = E_data + the penalties."""
        weights = [w for layer in step.layers for w in layer.W.ravel()]  # every weight, layer by layer, row by row
        items, names = [], []
        for p, lam in self.penalties:
            name = Const(p.text, p.latex, step.penalties[p.name])
            factor = [p.factor] if p.factor is not ONE else []
            numeric = mul(*factor, Num(lam), shown_sum(len(weights), lambda i: p.term_formula(Num(weights[i]))))
            items.append(self.equation(name, [], [numeric], step.penalties[p.name]))
            names.append(name)
        items.append(self.equation(E, [add(self.data_symbol(), *names)],
                                   [add(Num(step.data_loss), *(Num(step.penalties[p.name]) for p, _ in self.penalties))],
                                   step.loss))
        return items

    def backward(self, step: Step) -> list[Section]:
        sections = []
        for l in range(self.L, 0, -1):
            layer, f = step.layers[l - 1], self.activations[l - 1]
            kind = "output" if l == self.L else "hidden"
            section = Section(f"Backward pass, layer {l} ({kind})", "backward", 2)
            if l == self.L and f.vjp is not None:
                section.items.append(Note(f"δᵢ = ∂E/∂zᵢ = Σₖ ∂E/∂aₖ·∂aₖ/∂zᵢ with {f.derivative_text}: {f.name} "
                                          "mixes the outputs, so every output's error reaches every z"))
                if self.loss.delta_note:  # what the loss makes of that sum (under cross-entropy, a − y)
                    text, latex = self.loss.delta_note(self.batch)
                    section.items.append(Note(text, latex=latex))
            elif l == self.L:
                section.items.append(Note("δ = ∂E/∂z = ∂E/∂a · f'(z): how the loss changes with each weighted sum"))
            else:
                mark = f"({l + 1})".translate(SUP)
                chain = dropout.DELTA_TEXT if self.drops(l) else "∂E/∂a · f'(z)"
                section.items.append(Note(f"∂E/∂a sums the error signals of the next layer: Σᵢ wᵢⱼ{mark}δᵢ{mark}; "
                                          f"then δ = {chain}"))

            if f.delta_note:  # a step's: why backpropagation stops there, or what the perceptron rule does
                section.items.append(Note(f.delta_note(self.batch)))

            def neuron(s, j, layer=layer, f=f, l=l):
                if f.vjp is not None:
                    return [self.grad_a(step, l, s, j), self.row_delta(step, l, s, j)]
                mask = ([m_(l, j + 1)], [Num(layer.mask[s, j])]) if self.drops(l) else ([], [])
                symbolic = mul(Deriv(a_(l, j + 1)), *mask[0], f.derivative_call(z_(l, j + 1)))
                numeric = mul(Num(layer.grad_a[s, j]), *mask[1],
                              f.derivative_formula(Num(layer.z[s, j]), Num(layer.f_z[s, j]), layer.z[s, j]))
                return [self.grad_a(step, l, s, j), self.equation(d_(l, j + 1), [symbolic], [numeric], layer.delta[s, j])]

            self.per_neuron(l, section.items, neuron)
            section.items += self.gradients(step, l)
            sections.append(section)
        return sections

    def mask_note(self, layer, l: int) -> Note:
        """Which neurons of layer l dropout switched off in this step, sample by sample."""
        mark = f"({l})".translate(SUP)
        parts = []
        for s in self.samples():
            if s is None:
                continue
            dropped = [str(j + 1) for j in range(self.sizes[l]) if layer.mask[s, j] == 0]
            where = f"sample {s + 1}: " if self.batch > 1 else ""
            parts.append(where + (f"neuron{'s' if len(dropped) > 1 else ''} {', '.join(dropped)} dropped (m = 0)"
                                  if dropped else "none dropped"))
        return Note(f"dropout mask m{mark} this step: " + "; ".join(parts)
                    + f"; the others kept (m = {self.num(1 / (1 - self.trace.network.dropout))})")

    def drops(self, l: int) -> bool:
        """Whether layer l (1-based) has dropout: the hidden layers, when the network uses it."""
        return self.trace.network.dropout > 0 and l < self.L

    def row_delta(self, step: Step, l: int, s: int, j: int) -> Equation:
        """δ of an activation that mixes its row (softmax): a − y under cross-entropy, else the sum."""
        layer, n = step.layers[l - 1], self.sizes[l]
        if self.loss.logits:
            factor = fraction(Fraction(1, self.batch)) if self.batch > 1 else None
            symbolic = Sub(a_(l, j + 1), y_(j + 1))
            numeric = Sub(Num(layer.a[s, j]), Num(self.targets()[s, j]))
            if factor:
                symbolic, numeric = mul(factor, symbolic), mul(factor, numeric)
        else:
            k = Sym("a", ("k",), l)
            symbolic = mul(a_(l, j + 1), Sub(Deriv(a_(l, j + 1)), SumOver(mul(k, Deriv(k)), "k")))
            numeric = mul(Num(layer.a[s, j]), Sub(Num(layer.grad_a[s, j]),
                                                  shown_sum(n, lambda k: mul(Num(layer.a[s, k]), Num(layer.grad_a[s, k])))))
        return self.equation(d_(l, j + 1), [symbolic], [numeric], layer.delta[s, j])

    def per_sample(self, step: Step, l: int) -> list:
        """For w₁₁ of layer l: ∂Eₛ/∂w of each sample's own loss, then ∂E/∂w, their average (the
        mean over the batch), plus any penalty's slope: the one gradient the update uses."""
        layer, B = step.layers[l - 1], self.batch
        a_prev = self.activations_of(step, l - 1)
        w = w_(l, 1, 1)
        items = [Note(f"each sample's own gradient ∂Eₛ/∂w = {B}·δₛ·aₛ (δ carries the 1/{B} of the batch's mean), "
                      f"then their average, the one gradient the update uses; the other weights sum δₛ·aₛ directly")]
        count = fraction(B)
        for s in self.samples():
            if s is None:
                items.append(Note(f"… {B - SAMPLES} more samples' gradients, computed the same way"))
                continue
            items.append(self.equation(Deriv(w, of=Sym("E", (s + 1,))), [mul(count, d_(l, 1), a_(l - 1, 1))],
                                       [mul(count, Num(layer.delta[s, 0]), Num(a_prev[s, 0]))],
                                       layer.grad_W_samples[s, 0, 0]))
        mean = fraction(Fraction(1, B))
        symbolic = mul(mean, shown_sum(B, lambda s: Deriv(w, of=Sym("E", (s + 1,)))))
        numeric = mul(mean, shown_sum(B, lambda s: Num(layer.grad_W_samples[s, 0, 0])))
        if self.penalties:
            symbolic = add(symbolic, *(p.slope_formula(p.symbol, w) for p, _ in self.penalties))
            numeric = add(numeric, *(p.slope_formula(Num(lam), Num(layer.W[0, 0])) for p, lam in self.penalties))
        items.append(self.equation(Deriv(w), [symbolic], [numeric], layer.grad_W[0, 0]))
        return items

    def grad_a(self, step: Step, l: int, s: int, j: int) -> Equation:
        layer = step.layers[l - 1]
        if l == self.L:
            n = self.sizes[-1]
            target = self.targets()[s, j]
            c = self.right_class(s)  # for a loss that reads it
            symbolic = self.loss.gradient_formula(a_(l, j + 1), y_(j + 1), n, self.batch,
                                                  row=(j, c, lambda k: a_(l, k + 1)))
            numeric = self.loss.gradient_formula(Num(layer.a[s, j]), Num(target), n, self.batch,
                                                 row=(j, c, lambda k: Num(layer.a[s, k])))
        else:
            after = step.layers[l]
            n_next = self.sizes[l + 1]
            symbolic = shown_sum(n_next, lambda i: mul(w_(l + 1, i + 1, j + 1), d_(l + 1, i + 1)))
            numeric = shown_sum(n_next, lambda i: mul(Num(after.W[i, j]), Num(after.delta[s, i])))
        return self.equation(Deriv(a_(l, j + 1)), [symbolic], [numeric], layer.grad_a[s, j])

    def gradients(self, step: Step, l: int) -> list:
        layer = step.layers[l - 1]
        a_prev = self.activations_of(step, l - 1)
        n_out, n_in = layer.W.shape
        batched = (lambda e: SumOver(e)) if self.batch > 1 else (lambda e: e)
        items, shown = [], 0
        samples = self.batch > 1 and layer.grad_W_samples.size > 0
        if samples:  # the first weight: each sample's own gradient, then their average
            items += self.per_sample(step, l)
        for j in range(n_out):
            for k in range(n_in):
                if shown == PARAMETERS:
                    break
                if samples and (j, k) == (0, 0):
                    shown += 1
                    continue
                symbolic = batched(mul(d_(l, j + 1), a_(l - 1, k + 1)))
                numeric = shown_sum(self.batch, lambda s: mul(Num(layer.delta[s, j]), Num(a_prev[s, k])))
                if self.penalties:  # each penalty's slope, its own term
                    symbolic = add(symbolic, *(p.slope_formula(p.symbol, w_(l, j + 1, k + 1)) for p, _ in self.penalties))
                    numeric = add(numeric, *(p.slope_formula(Num(lam), Num(layer.W[j, k])) for p, lam in self.penalties))
                items.append(self.equation(Deriv(w_(l, j + 1, k + 1)), [symbolic], [numeric], layer.grad_W[j, k]))
                shown += 1
        if n_out * n_in > shown:
            slopes = "".join(" + " + p.slope_formula(p.symbol, Sym("w", ("j", "k"))).text() for p, _ in self.penalties)
            items.append(Note(f"… {n_out * n_in - shown} more weight gradients of layer {l}, each ∂E/∂wⱼₖ = δⱼ·aₖ{slopes}"))
        for j in pick(n_out, NEURONS):
            if j is None:
                items.append(Note(f"… {n_out - NEURONS} more bias gradients, each ∂E/∂bⱼ = δⱼ"))
                continue
            items.append(self.equation(
                Deriv(b_(l, j + 1)), [batched(d_(l, j + 1))],
                [shown_sum(self.batch, lambda s: Num(layer.delta[s, j]))], layer.grad_b[j]))
        return items

    def update(self, step: Step) -> list[Section]:
        sections = []
        trained = self.trace.network.train_biases
        before = self.trace.steps[step.index - 2] if step.index > 1 else None  # the state this step starts from
        for l, layer in enumerate(step.layers, start=1):
            section = Section(f"Update, layer {l}: {self.optimizer.text}", "update", 2)
            old_state = (before.layers[l - 1].state_W, before.layers[l - 1].state_b) if before else ({}, {})
            params = [(w_(l, j + 1, k + 1), (j, k), layer.W, layer.grad_W, layer.W_new, layer.change_W,
                       old_state[0], layer.state_W)
                      for j in range(layer.W.shape[0]) for k in range(layer.W.shape[1])]
            biases = [(b_(l, j + 1), (j,), layer.b, layer.grad_b, layer.b_new, layer.change_b,
                       old_state[1], layer.state_b) for j in range(len(layer.b))]
            for group, name in ((params, "weights"), (biases if trained else [], "biases")):
                for n, (symbol, at, old, grad, new, _, state_old, state_new) in enumerate(group[:PARAMETERS]):
                    numbers = {**self.hyper, "w": old[at], "g": grad[at], "t": step.optimizer_state["t"]}
                    for slot, values in state_new.items():
                        numbers[slot] = float(state_old[slot][at]) if slot in state_old else 0.0
                        numbers[f"{slot}'"] = float(values[at])
                    lines = list(zip(formulas(self.optimizer, symbol), formulas(self.optimizer, symbol, numbers)))
                    if n >= DETAILED:  # the state's lines for the first few; then only the new value
                        lines = lines[-1:]
                    for (slot, lhs, symbolic), (*_, numeric) in lines:
                        result = new[at] if slot == "w" else numbers[f"{slot}'"]
                        section.items.append(self.equation(lhs, [symbolic], [numeric], result,
                                                           arrow="=" if slot in DERIVED else "←"))
                if len(group) > PARAMETERS:
                    section.items.append(Note(f"… {len(group) - PARAMETERS} more {name} of layer {l}, updated the same way"))
            if not trained:
                section.items.append(Note("biases stay fixed (train_biases = false)"))
            rows = [[symbol, old[at], grad[at], new[at], change[at]]
                    for symbol, at, old, grad, new, change, *_ in (params + biases)[:TABLE_ROWS]]
            section.items.append(self.table(["", "before", "∂E/∂·", "after", "Δ"], rows))
            sections.append(section)
        return sections

    def loss_change(self, step: Step) -> Note:
        return Note(f"loss on the same batch: E = {self.num(step.loss)} → {self.num(step.loss_after)} "
                    f"(change {self.num(step.loss_change)})")

    def training(self) -> list[Section]:
        steps = self.trace.steps
        section = Section(f"Training: {len(steps)} steps", "training")
        rows = []
        shown = list(range(len(steps))) if len(steps) <= STEP_ROWS else [*range(10), None, *range(len(steps) - 5, len(steps))]
        for i in shown:
            if i is None:
                rows.append(["…"] * 4)
                continue
            rows.append([str(steps[i].index), steps[i].loss, steps[i].loss_after, steps[i].loss_change])
        section.items.append(self.table(["step", "E before", "E after", "change"], rows))
        last = steps[-1]
        section.items.append(Note(f"final weights and biases, after step {last.index}:"))
        for l, layer in enumerate(last.layers, start=1):
            section.items.append(Note(f"layer {l}:"))
            section.items.append(self.parameter_table(l, layer.W_new, layer.b_new))
        return [section]

    def step(self, step: Step) -> list[Section]:
        phase = self.options.phase
        self.current, self.rows = step, self.trace.rows(step)
        self.batch = len(self.rows)
        sections = []
        if len(self.trace.steps) > 1:
            mini = len(self.rows) < len(self.trace.input)
            batch = f": samples {', '.join(str(r + 1) for r in self.rows)}" if mini else ""
            sections.append(Section(f"Step {step.index} of {len(self.trace.steps)}{batch}", "step"))
        if phase in ("all", "forward"):
            sections += self.forward(step)
        if phase in ("all", "loss"):
            sections.append(self.loss_section(step))
        if phase in ("all", "backward"):
            sections += self.backward(step)
        if phase in ("all", "update"):
            sections += self.update(step)
            sections[-1].items.append(self.loss_change(step))
        return sections


def build_document(trace: Trace, options: Options = Options()) -> list[Section]:
    """The sections of the trace: header, the chosen steps in full, then the training table."""
    builder = _Builder(trace, options)
    steps = trace.steps
    chosen = {"first": steps[:1], "last": steps[-1:], "all": steps}[options.show]
    sections = [builder.header()]
    for step in chosen:
        sections += builder.step(step)
    if len(steps) > 1:
        sections += builder.training()
    return sections
