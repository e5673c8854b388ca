"""The options every command that builds a network shares: `--net` and what overrides its spec.

`--net` is checked as it is parsed (a shape, a preset, a TOML file or a saved model); the
overrides (`--seed --input --target --activation ... --dropout`), each named after the TOML key
it sets, are applied before the command runs, so each command receives one finished, checked spec.
"""

from __future__ import annotations

import functools
import math
import re

import click

from visualizer.errors import UsageError
from visualizer.functions.activations import ACTIVATIONS
from visualizer.functions.losses import LOSSES
from visualizer.functions.optimizers import OPTIMIZERS
from visualizer.network.mlp import MAX_STEPS
from visualizer.network.sources import load_spec, preset_names
from visualizer.network.spec import NetSpec


def looks_like_net(word: str) -> bool:
    """Whether a stray word on the command line is what `--net` takes: a shape, a preset, a spec
    or a saved model (by its look; --net itself checks it)."""
    return bool(
        re.fullmatch(r"\d+(\s*-\s*\d+)+", word.strip())
        or word.endswith((".toml", ".safetensors"))
        or word in preset_names()
    )


class Command(click.Command):
    """A command that says what a word it did not expect was probably meant for:
    `explain 2-3-1` → --net 2-3-1, `diagram backward` → --kind backward."""

    def parse_args(self, ctx, args):
        ctx.allow_extra_args = True  # the leftover words reach ctx.args, to be named here
        rest = super().parse_args(ctx, args)
        if ctx.args:
            ctx.fail(self.unexpected(ctx.args[0]))
        return rest

    def unexpected(self, word: str) -> str:
        takers = [
            p.opts[-1]
            for p in self.params
            if isinstance(p, click.Option) and isinstance(p.type, click.Choice) and word in p.type.choices
        ]
        if len(takers) == 1:
            return f"unexpected argument {word!r}; did you mean {takers[0]} {word}?"
        if looks_like_net(word) and any(p.name == "spec" for p in self.params):
            return f"unexpected argument {word!r}; did you mean --net {word}?"
        return f"unexpected argument {word!r}; every setting is an option (--name value), see --help"


class Group(click.Group):
    """`backprop 2-3-1` says how to explain that network, not only that there is no such command."""

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if self.get_command(ctx, name) is None and not name.startswith("-") and looks_like_net(name):
            ctx.fail(f"{name!r} is not a command; to explain that network: {ctx.command_path} explain --net {name}")
        return super().resolve_command(ctx, args)


class NetParam(click.ParamType):
    """`--net`: a shape (2-3-1), a preset name (mazur) or a TOML file, checked on the spot."""

    name = "NET"

    def convert(self, value, param, ctx) -> NetSpec:
        if isinstance(value, NetSpec):
            return value
        try:
            return load_spec(value)
        except UsageError as err:
            self.fail(str(err), param, ctx)


class BatchParam(click.ParamType):
    """Numbers separated by commas; samples of a batch separated by semicolons ("0,1;1,0")."""

    name = "NUMBERS"

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        try:
            return [[float(v) for v in sample.split(",")] for sample in value.split(";") if sample.strip()]
        except ValueError:
            self.fail(f"{value!r} is not a list of numbers; write e.g. 0.05,0.10 (and ';' between samples)", param, ctx)


class WholeNumber(click.IntRange):
    """click's IntRange, named as a newcomer says it: "'two' is not a valid whole number"
    (click's own words: "not a valid integer range")."""

    name = "whole number"


class Number(click.FloatRange):
    """click's FloatRange, named plainly: "'fast' is not a valid number"."""

    name = "number"


class OutputPath(click.Path):
    """A path to write to (-o, --save): a value that starts with '-' (but '-' itself, standard
    output) is an option the user forgot a file name before, not a file to create."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and value.startswith("-") and value != "-":
            option = param.opts[0] if param is not None else "it"
            self.fail(
                f"{value!r} is an option, not a name to write to; give the name right after {option} "
                f"(./{value} for one called that)",
                param,
                ctx,
            )
        return super().convert(value, param, ctx)


class FiniteFloat(Number):
    """A number that must be finite: click's float takes "nan" and "inf", which would otherwise
    reach the spec's checks and come back as "lr must be a number; got nan", not naming the option."""

    def __init__(self, example: str, min=None, max=None, **kwargs):
        super().__init__(min=min, max=max, **kwargs)
        self.example = example

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value} is not a finite number; give a number such as {self.example}", param, ctx)
        return number

    def _describe_range(self) -> str:
        # click would print "x<=None" for a number without bounds; its help says what it takes
        return "" if self.min is None and self.max is None else super()._describe_range()


def override_options() -> dict:
    """The options that override a spec, keyed by the TOML key each sets (NetSpec.with_overrides
    takes them as they are; lr sets the optimizer's), in the order --help lists them. An option
    here is all a spec field needs to be set from the command line."""
    return {
        "seed": click.option(
            "--seed", type=WholeNumber(min=0), metavar="N", help="Seed for starting weights and drawn data."
        ),
        "input": click.option(
            "--input",
            type=BatchParam(),
            help="The input: one sample (0.05,0.10) or a batch, ';' between samples (0,0;0,1).",
        ),
        "target": click.option("--target", type=BatchParam(), help="The target, one per sample, like --input."),
        "activation": click.option(
            "--activation",
            metavar="NAME",
            help=f"Hidden-layer activation: {', '.join(n for n, a in ACTIVATIONS.items() if not a.output_only)}.",
        ),
        "output_activation": click.option(
            "--output-activation", metavar="NAME", help=f"Output-layer activation: {', '.join(ACTIVATIONS)}."
        ),
        "loss": click.option("--loss", metavar="NAME", help=f"Loss: {', '.join(LOSSES)}."),
        "optimizer": click.option(
            "--optimizer",
            metavar="NAME",
            help=f"Optimizer: gd (= sgd on the full batch), {', '.join(OPTIMIZERS)} "
            "(PyTorch's conventions; other settings in a TOML spec).",
        ),
        "reduction": click.option(
            "--reduction",
            type=click.Choice(["mean", "sum"]),
            help="E over the batch: the mean of the samples' losses (default) or their sum (torch's reduction='sum').",
        ),
        "lr": click.option("--lr", type=FiniteFloat("0.5"), metavar="η", help="Learning rate η."),
        "l2": click.option(
            "--l2",
            type=FiniteFloat("0.01", min=0),
            metavar="λ",
            help="L2 regularization λ₂: adds ½λ₂·Σw² to the loss (the same step as SGD's weight_decay).",
        ),
        "l1": click.option(
            "--l1", type=FiniteFloat("0.01", min=0), metavar="λ", help="L1 regularization λ₁: adds λ₁·Σ|w| to the loss."
        ),
        "batch_size": click.option(
            "--batch-size",
            type=WholeNumber(min=1),
            metavar="K",
            help="Mini-batch SGD: each step learns from K of the samples, shuffled each epoch "
            "(default: all of them, gradient descent).",
        ),
        "dropout": click.option(
            "--dropout",
            type=FiniteFloat("0.5"),
            metavar="P",
            help="Dropout: each hidden neuron is dropped with probability P in each step (0 ≤ P < 1).",
        ),
    }


def net_options(command=None, *, skip: tuple[str, ...] = ()):
    """The options every command that builds a network shares (but those in `skip`, which the
    command defines its own way); as @net_options or @net_options(skip=(...))."""
    if command is None:
        return functools.partial(net_options, skip=skip)
    overrides = {key: option for key, option in override_options().items() if key not in skip}
    options = {
        "spec": click.option(
            "--net",
            "spec",
            type=NetParam(),
            default="2-3-1",
            show_default=True,
            help=f"A shape (2-3-1), a preset ({', '.join(preset_names())}), a TOML spec file or a model "
            "saved by train --save (.safetensors).",
        ),
        **overrides,
        "steps": click.option(
            "--steps",
            type=WholeNumber(1, MAX_STEPS),
            metavar="N",
            default=1,
            show_default=True,
            help="Training steps (on the same batch, or on mini-batches with --batch-size).",
        ),
    }

    @functools.wraps(command)
    def with_spec(*args, **kwargs):
        # the overrides are applied here, so each command receives one finished spec
        if kwargs.get("data") is not None and any(kwargs.get(k) is not None for k in ("input", "target")):
            raise UsageError("--data and --sample give the input and the target; leave out --input and --target")
        kwargs["spec"] = build_spec(kwargs["spec"], **{key: kwargs.pop(key) for key in overrides})
        return command(*args, **kwargs)

    for name, option in reversed(options.items()):
        if name not in skip:
            with_spec = option(with_spec)
    return with_spec


def build_spec(spec: NetSpec, **overrides) -> NetSpec:
    if overrides.get("seed") is not None and spec.weights is not None:
        click.echo(
            f"note: {spec.name} gives its own weights; --seed changes only what the spec does not give", err=True
        )
    return spec.with_overrides(**overrides)


def precision_option(what: str, more: str = ""):
    """--precision, the same for every command that shows numbers: significant digits, 1 to 17 (a
    float64 has 17), the spec's own when not given."""
    return click.option(
        "--precision",
        type=WholeNumber(1, 17),
        metavar="K",
        help=f"Significant digits {what} (default 4, or the spec's){more}.",
    )


def no_verify_option(what: str = "the check"):
    """--no-verify, the same flag for every command that verifies what it shows."""
    return click.option("--no-verify", is_flag=True, help=f"Skip {what} against torch autograd and finite differences.")


def phase_list(ctx, param, value: str | None) -> tuple[str, ...] | None:
    """--ask forward,loss: the phases of a step named, in the step's order ("all": every one)."""
    from visualizer.render.explain.document import PHASES

    if value is None:
        return None
    words = [w.strip() for w in value.split(",") if w.strip()]
    unknown = [w for w in words if w not in (*PHASES, "all")]
    if unknown:
        raise click.BadParameter(f"{unknown[0]!r} is not a phase; give some of {','.join(PHASES)}, e.g. forward,loss")
    if not words:
        raise click.BadParameter(f"give at least one phase of {','.join(PHASES)}")
    return PHASES if "all" in words else tuple(p for p in PHASES if p in words)
