"""Two independent witnesses for every number in a Trace.

1. torch autograd: the same network rebuilt in torch (float64, each activation's and loss's
   torch counterpart, the optimizer's torch.optim counterpart) redoes every step from the
   weights that step started from; every field of every step is compared.
2. Central finite differences: ∂E/∂θ ≈ (E(θ + h) − E(θ − h)) / 2h for every weight, every bias
   and every z (the δ's), at the weights each step started from. Where a nudge of ±h moves a
   ReLU input across 0, or under L1 a weight across 0, there is no derivative to check (a kink),
   and the entry is skipped.

A number passes when |ours − reference| ≤ tolerance·max(1, largest |reference| of its field):
absolute near zero, relative where large. torch is imported here only, and only when a check runs;
torch.optim runs without its torch.compile guards, which would import torch._dynamo (1.3 s, more
than the whole check), see torch_twin.torch_step.
"""

from __future__ import annotations

import functools

import numpy as np

from visualizer.functions.regularization import torch_penalty

from .definitions import Definitions
from .mlp import forward
from .torch_twin import torch_forward, torch_optimizer, torch_step
from .trace import BACKWARD_FIELDS, FORWARD_FIELDS, UPDATE_FIELDS, Check, Trace, Verification

TORCH_TOLERANCE = 1e-12
FD_STEP = 1e-6
# Central differences carry O(h²) truncation and O(ε/h) rounding error (about 1e-10 here).
FD_TOLERANCE = 1e-6


class _Tally:
    """Running maximum of differences, remembering where it was."""

    def __init__(self, tolerance: float):
        self.tolerance = tolerance
        self.max_abs = 0.0
        self.worst = "nothing compared"
        self.failed_at = ""
        self.compared = 0
        self.skipped = 0
        self.step = 0  # the step being compared, for the largest difference of each step
        self.per_step: dict[int, float] = {}

    def add(self, where: str, ours, reference, slack=0.0) -> None:
        ours, reference = np.asarray(ours, dtype=np.float64), np.asarray(reference, dtype=np.float64)
        if ours.shape != reference.shape:
            self.failed_at = self.failed_at or f"{where} (shape {ours.shape} vs {reference.shape})"
            return
        # Equal infinities (a diverged loss in both) agree; so do NaNs in the same places.
        same = (ours == reference) | (np.isnan(ours) & np.isnan(reference))
        with np.errstate(invalid="ignore"):  # inf − inf: already counted as the same
            diff = np.where(same, 0.0, np.abs(ours - reference))
        self.compared += diff.size
        # A NaN or infinite difference fails (an infinite reference must not allow any number).
        # Relative to the field's largest magnitude: w − η·g can cancel to a small number whose
        # rounding error is set by the size of the terms, not of the result.
        scale = max(1.0, float(np.max(np.abs(reference[np.isfinite(reference)]), initial=0.0)))
        within = np.isfinite(diff) & (diff <= self.tolerance * scale + slack)
        bad = ~same & ~within
        if bad.any() and not self.failed_at:
            self.failed_at = where
        largest = float(np.max(np.nan_to_num(diff, nan=np.inf), initial=0.0))  # NaN: as bad as it gets
        if diff.size:
            self.per_step[self.step] = max(self.per_step.get(self.step, 0.0), largest)
        if largest > self.max_abs or self.worst == "nothing compared":
            self.max_abs, self.worst = largest, where

    def check(self) -> Check:
        return Check(
            # all skipped (every entry at a kink) is no failure; `compared` shows it
            passed=not self.failed_at and self.compared + self.skipped > 0,
            max_abs_diff=self.max_abs,
            tolerance=self.tolerance,
            worst=self.failed_at or self.worst,
            compared=self.compared,
            skipped=self.skipped,
            per_step=tuple(self.per_step.get(step) for step in range(1, self.step + 1)),
        )


def verify(trace: Trace, *, torch: bool = True, finite_differences: bool = True, progress=None) -> Verification:
    """Check a trace with the chosen witnesses; returns the report (store it with with_verification).
    `progress(done, total)`, if given, hears of each step the finite differences have checked
    (they take most of the time: on 784-16-10 some 7 s a step)."""
    return Verification(
        torch=check_against_torch(trace) if torch else None,
        finite_difference=check_finite_differences(trace, progress=progress) if finite_differences else None,
    )


# ----- witness 1: torch autograd -----------------------------------------------------------------


def torch_replay(trace: Trace) -> list[dict]:
    """Redo every step of the trace in torch; one dict per step with the trace's field names.

    Each step starts from the weights the trace says it started from, so rounding differences
    cannot compound from step to step (in a diverging run they would grow without bound); the
    step-to-step chain is checked instead by reporting, as each step's starting W and b, the
    W_new and b_new torch computed in the step before. Likewise torch.optim updates from the
    trace's gradients (themselves compared with torch's). One torch optimizer serves all steps,
    so an optimizer with state carries it as torch would. The loss after a step is torch's loss
    at the trace's new weights.
    """
    import torch

    defs = Definitions.from_info(trace.network)

    def tensor(array, grad=False):
        return torch.tensor(np.array(array), dtype=torch.float64, requires_grad=grad)

    W = [tensor(layer.W, True) for layer in trace.steps[0].layers]
    b = [tensor(layer.b, True) for layer in trace.steps[0].layers]
    optimizer = torch_optimizer(torch, defs.optimizer, W + (b if defs.train_biases else []), defs.hyper)

    def forward(weights, biases, masks, x, y, penalties=True):
        return torch_forward(torch, defs, weights, biases, x, y, masks, penalties=penalties)

    def derivative(f, z):
        """f'(z) from torch autograd: the gradient of Σ f(z), element by element; for an activation
        that mixes a row (softmax), each sample's Jacobian."""
        z = z.detach().clone().requires_grad_(True)
        if f.vjp is not None:
            return torch.stack([torch.autograd.functional.jacobian(lambda row: f.torch(torch, row), row) for row in z])
        f.torch(torch, z).sum().backward()
        return z.grad

    def per_sample(masks, x, y):
        """Each sample's own gradients: its loss alone (a batch of one), no penalties."""
        grads = [], []
        for s in range(len(x)):
            Ws = [t.detach().clone().requires_grad_(True) for t in W]
            bs = [t.detach().clone().requires_grad_(True) for t in b]
            forward(Ws, bs, [m[s : s + 1] for m in masks], x[s : s + 1], y[s : s + 1], penalties=False).loss.backward()
            grads[0].append([t.grad for t in Ws])
            grads[1].append([t.grad[None] for t in bs])
        return (
            [torch.stack([g[l] for g in grads[0]]) for l in range(len(W))],
            [torch.cat([g[l] for g in grads[1]]) for l in range(len(W))],
        )

    def output_gradient(a, y):
        """∂E/∂a of a loss of logits: torch's gradient of the loss written on a."""
        a = a.detach().clone().requires_grad_(True)
        defs.loss.torch_loss(torch, a, y, on_probabilities=True).backward()
        return a.grad

    steps, previous = [], [(layer.W, layer.b) for layer in trace.steps[0].layers]
    for step in trace.steps:
        with torch.no_grad():
            for W_l, b_l, layer in zip(W, b, step.layers):
                W_l.copy_(tensor(layer.W))
                b_l.copy_(tensor(layer.b))
        for t in W + b:  # optimizer.zero_grad(), and the untrained biases outside the optimizer too
            t.grad = None
        rows = trace.rows(step)
        x, y = tensor(trace.input[rows]), tensor(trace.target[rows])
        masks = [tensor(layer.mask) for layer in step.layers]
        if step.layers[0].grad_W_samples.size:
            samples_W, samples_b = per_sample(masks, x, y)
        else:  # not recorded (a batch of one, or too large): nothing to redo
            samples_W = samples_b = [np.zeros(0)] * len(W)
        zs, f_zs, activations, loss, terms = forward(W, b, masks, x, y)
        loss.backward()
        with torch.no_grad():  # at the weights the step started from
            penalties = {p.name: torch_penalty(torch, W, [(p, lam)]).item() for p, lam in defs.penalties}
        layers = [
            {
                "W": np.asarray(p[0]),
                "b": np.asarray(p[1]),
                "z": z.detach(),
                "f_z": f_z.detach(),
                "mask": mask.numpy(),
                "a": a.detach(),
                "grad_a": a.grad,
                "d_activation": derivative(f, z),
                "delta": z.grad,
                "grad_W_samples": g_W,
                "grad_b_samples": g_b,
                "grad_W": W_l.grad.clone(),
                "grad_b": b_l.grad.clone(),
            }
            for p, z, f_z, mask, a, W_l, b_l, f, g_W, g_b in zip(
                previous, zs, f_zs, masks, activations, W, b, defs.activations, samples_W, samples_b
            )
        ]
        # torch.optim steps from the trace's gradients, which were just compared with torch's:
        # so the update is checked on its own, as each step starts from the trace's weights.
        # (Where an update is ill-conditioned, e.g. Adam with β = 0 and a tiny ε dividing
        # g by |g| + ε, rounding-level differences in g would otherwise decide the result.)
        with torch.no_grad():
            for W_l, b_l, layer in zip(W, b, step.layers):
                W_l.grad.copy_(tensor(layer.grad_W))
                b_l.grad.copy_(tensor(layer.grad_b))
        torch_step(torch, optimizer)  # optimizer.step(), as torch runs it eagerly
        for layer, W_l, b_l in zip(layers, W, b):
            layer["W_new"], layer["b_new"] = W_l.detach().clone(), b_l.detach().clone()
            # torch's own state (velocity, running averages), under our slot names
            for name, param in (("state_W", W_l), ("state_b", b_l)):
                kept = optimizer.state.get(param, {})
                layer[name] = {
                    ours: kept[theirs].detach().clone().numpy()
                    for ours, theirs in defs.optimizer.torch_state.items()
                    if theirs in kept
                }
        if defs.loss.logits:
            layers[-1]["grad_a"] = output_gradient(activations[-1], y)
        previous = [(layer["W_new"].numpy(), layer["b_new"].numpy()) for layer in layers]
        with torch.no_grad():
            loss_after = forward(
                [tensor(layer.W_new) for layer in step.layers],
                [tensor(layer.b_new) for layer in step.layers],
                masks,
                x,
                y,
            ).loss
        steps.append(
            {
                "penalties": penalties,
                "loss": loss.item(),
                "loss_terms": terms.detach().numpy(),
                "sample_losses": (terms.sum(dim=1) if defs.loss.reduction == "sum" else terms.mean(dim=1))
                .detach()
                .numpy(),
                "loss_after": loss_after.item(),
                "layers": [
                    {k: v if isinstance(v, (np.ndarray, dict)) else v.numpy() for k, v in layer.items()}
                    for layer in layers
                ],
            }
        )
    return steps


def check_against_torch(trace: Trace, tolerance: float = TORCH_TOLERANCE) -> Check:
    tally = _Tally(tolerance)
    for step, reference in zip(trace.steps, torch_replay(trace)):
        tally.step = step.index
        where = f"step {step.index}"
        # In the order the step computes them, so the first failure named is the root cause.
        tally.add(f"{where}, loss terms", step.loss_terms, reference["loss_terms"])
        tally.add(f"{where}, sample losses", step.sample_losses, reference["sample_losses"])
        for name, value in reference["penalties"].items():
            tally.add(f"{where}, penalty {name}", step.penalties.get(name, np.nan), value)
        tally.add(f"{where}, loss", step.loss, reference["loss"])
        pairs = list(enumerate(zip(step.layers, reference["layers"]), start=1))
        for names, order in ((FORWARD_FIELDS, pairs), (BACKWARD_FIELDS, pairs[::-1]), (UPDATE_FIELDS, pairs)):
            for l, (layer, ref) in order:
                for name in names:
                    tally.add(f"{where}, layer {l}, {name}", getattr(layer, name), ref[name])
        for l, (layer, ref) in pairs:  # the optimizer's state, wherever torch keeps the same quantity
            for name in ("state_W", "state_b"):
                for slot, value in ref[name].items():
                    ours = getattr(layer, name).get(slot)
                    if ours is None:
                        tally.failed_at = tally.failed_at or f"{where}, layer {l}, {name}[{slot}] (not recorded)"
                        continue
                    tally.add(f"{where}, layer {l}, {name}[{slot}]", ours, value)
        tally.add(f"{where}, loss after", step.loss_after, reference["loss_after"])
    return tally.check()


# ----- witness 2: central finite differences ---------------------------------------------------------


def check_finite_differences(trace: Trace, h: float = FD_STEP, tolerance: float = FD_TOLERANCE, progress=None) -> Check:
    defs = Definitions.from_info(trace.network)
    tally = _Tally(tolerance)
    for done, step in enumerate(trace.steps):
        if progress:
            progress(done, len(trace.steps))
        tally.step = step.index
        x, y = trace.input[trace.rows(step)], trace.target[trace.rows(step)]  # the step's batch
        # Where the slope used is a convention rather than the derivative of E, differences of E
        # cannot check the step (torch can): the perceptron rule takes the step's slope as 1 (E's
        # is 0 or none), and at a saturated output a loss may use torch's floor (Loss.conventional).
        if trace.network.rule == "perceptron" or (
            defs.loss.conventional is not None and defs.loss.conventional(step.layers[-1].a, y).any()
        ):
            tally.skipped += sum(layer.W.size + layer.b.size + layer.z.size for layer in step.layers)
            continue
        weights = [np.array(layer.W) for layer in step.layers]
        biases = [np.array(layer.b) for layer in step.layers]
        zs = [np.array(layer.z) for layer in step.layers]
        masks = [np.array(layer.mask) for layer in step.layers]
        base_branches = _branches(defs, forward(defs, weights, biases, x, y, masks=masks), weights)

        for l, layer in enumerate(step.layers):
            for kind, arrays, ours in (
                ("grad_W", weights, layer.grad_W),
                ("grad_b", biases, layer.grad_b),
                ("delta", zs, layer.delta),
            ):
                numeric, noise, at_kink = _central_differences(
                    functools.partial(_nudged_loss, defs, weights, biases, x, y, masks, arrays, l, kind),
                    arrays[l].shape,
                    h,
                    base_branches,
                    np.asarray(ours),
                    tolerance,
                )
                tally.skipped += int(at_kink.sum())
                where = f"step {step.index}, layer {l + 1}, {kind}"
                tally.add(where, np.asarray(ours)[~at_kink], numeric[~at_kink], slack=noise[~at_kink])
    return tally.check()


def _branches(defs: Definitions, f, weights) -> list[np.ndarray]:
    """Which side of each kink every z of a kinked activation is on (on a kink is its own side);
    with L1, which side of 0 every weight is on (|w| has a kink there; w² has none)."""
    codes = []
    for z, activation in zip(f.z, defs.activations):
        if activation.kinks:
            kinks = np.array(activation.kinks)
            codes.append(2 * np.searchsorted(kinks, z.value) + np.isin(z.value, kinks))
    if any(penalty.name == "l1" for penalty, _ in defs.penalties):
        codes.extend(np.sign(W) for W in weights)
    return codes


def _nudged_loss(defs, weights, biases, x, y, masks, arrays, l, kind, index, nudge):
    """The loss with entry `index` of arrays[l] (a weight, a bias, or a z when kind is "delta")
    moved by `nudge`; with how far off float64 may have it beyond ε·|E|, and the kinks' sides."""
    saved = arrays[l][index]
    arrays[l][index] = saved + nudge
    replace_z = (l, arrays[l]) if kind == "delta" else None
    f = forward(defs, weights, biases, x, y, replace_z=replace_z, masks=masks)
    # all read before the restore: the nodes share the arrays
    extra = defs.loss.rounding(f.a[-1].value, y) if defs.loss.rounding else 0.0
    result = float(f.loss.value), _branches(defs, f, weights), extra
    arrays[l][index] = saved
    return result


def _central_differences(evaluate, shape, h: float, base_branches, ours, tolerance):
    """For every entry i: (E(θᵢ + h) − E(θᵢ − h)) / 2h, how far off it may be, and whether it is at a kink.

    E is only known to about ε·|E|, so the quotient carries about ε·|E|/h of noise: tiny for a
    loss near 1, but it matters when training diverges and E is 1e11; a loss that cancels (BCE's
    1 − a for a near 1) says how much more its rounding may be (Loss.rounding). Where E curves sharply
    (a sigmoid output near saturation under cross-entropy) the quotient's own truncation error,
    O(h²), can pass the tolerance too: where ours and the quotient disagree, the quotient is
    redone with 2h, and their difference (about three times the error at h) is allowed as well.
    An entry is at a kink when nudging it moves some ReLU input across 0 or off it: no
    derivative exists there.
    """
    numeric, noise = np.zeros(shape), np.zeros(shape)
    at_kink = np.zeros(shape, dtype=bool)
    eps = np.finfo(np.float64).eps

    def moved(*branches):
        return any(not all(np.array_equal(b, other[k]) for other in branches) for k, b in enumerate(base_branches))

    for index in np.ndindex(*shape):
        (plus, plus_branches, plus_extra), (minus, minus_branches, minus_extra) = (
            evaluate(index, h),
            evaluate(index, -h),
        )
        numeric[index] = (plus - minus) / (2 * h)
        noise[index] = (4 * eps * max(abs(plus), abs(minus)) + 2 * (plus_extra + minus_extra)) / h
        at_kink[index] = moved(plus_branches, minus_branches)
        if not at_kink[index] and abs(ours[index] - numeric[index]) > tolerance + noise[index]:
            (plus2, plus2_branches, _), (minus2, minus2_branches, _) = evaluate(index, 2 * h), evaluate(index, -2 * h)
            at_kink[index] = moved(plus2_branches, minus2_branches)
            wider = (plus2 - minus2) / (4 * h)
            noise[index] += abs(wider - numeric[index]) + 4 * eps * max(abs(plus2), abs(minus2)) / (2 * h)
    return numeric, noise, at_kink
