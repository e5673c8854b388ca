"""`backprop train`: the lecture's practice exercise as one command.

Load a data set, fit the network to it (the input layer to its features, the output layer and
loss to its task), train for some epochs with the engine (or torch, to compare), evaluate on the
test set, draw the curves and the pictures, and save the model. Heavy imports (scikit-learn,
matplotlib, safetensors) happen inside the command, so `explain` stays quick to start.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import shlex
import sys
from pathlib import Path

import click

from visualizer.errors import UsageError
from visualizer.network.sources import is_bare_shape
from visualizer.network.spec import NetSpec
from visualizer.style import count

from .options import Command, Number, OutputPath, WholeNumber, net_options
from .stopping import holding_ctrl_c, nothing_saved

# the output activation and loss each task trains with, unless the spec or an option says otherwise
MIN_EPOCHS, MIN_STEPS = 20, 1_000  # the default length of training: enough steps for a small data set too
# from 10,000 training samples on (MNIST, Fashion-MNIST): 10 epochs, and a bare shape's Adam takes η 0.002 (its
# default 0.01 jumps around: 784-16-10 reaches 84 % on Fashion-MNIST, against 86 % with 0.002; docs/training.md)
LARGE_SET, LARGE_EPOCHS, LARGE_LR = 10_000, 10, 0.002
NOT_SPEC_OPTIONS = ("input", "target", "steps", "batch_size")  # the shared options train has not, or its own
DEFAULT_HIDDEN = 16  # no --net: the data's inputs, 16 hidden neurons, its outputs (MNIST: the lecture's 784-16-10)
TRAIN_OPTIMIZER = "adam"  # for a bare shape when no --optimizer is given (its η: --lr, or Adam's default)
TORCH_PICKLE_SUFFIXES = (".pt", ".pth")  # torch.save's names: torch.load would expect a pickle there
TASK_DEFAULTS = {
    "multiclass": ("softmax", "sparse_cross_entropy"),
    "binary": ("sigmoid", "bce"),
    "regression": ("identity", "mse"),
}


class TrainCommand(Command):
    """`train xor` means the data set (xor is a preset too): --data xor."""

    def unexpected(self, word: str) -> str:
        from visualizer.training.data import CSV_PREFIX, DATASETS

        if word in DATASETS or word.startswith(CSV_PREFIX):
            return f"unexpected argument {word!r}; did you mean --data {word}?"
        return super().unexpected(word)


@click.command("train", cls=TrainCommand)
@net_options(skip=NOT_SPEC_OPTIONS)
@click.option(
    "--data",
    "data_name",
    default="digits",
    show_default=True,
    metavar="NAME",
    help="A data set: digits (bundled), mnist, fashion-mnist (IDX files in --data-dir, else the copies "
    "`make setup` unpacked), xor, moons, circles, spiral, blobs, sine, plane, or csv:PATH.",
)
@click.option(
    "--data-dir",
    type=click.Path(),
    metavar="DIR",
    help="Where the IDX files of mnist / fashion-mnist are (they take precedence; official split).",
)
@click.option("--download", is_flag=True, help="Fetch missing IDX files from their canonical addresses.")
@click.option("--target-column", metavar="NAME", help="With csv:PATH: the column to predict (default: the last).")
@click.option("--samples", type=WholeNumber(min=1), metavar="N", help="Use only the first N training samples.")
@click.option(
    "--epochs",
    type=WholeNumber(1, 10_000),
    metavar="N",
    help=f"Passes over the training samples (default: {MIN_EPOCHS}, or more so that training takes at "
    f"least {MIN_STEPS:,} steps on small data sets; {LARGE_EPOCHS} from {LARGE_SET:,} training samples on).",
)
@click.option(
    "--batch-size",
    type=WholeNumber(min=1),
    default=32,
    show_default=True,
    metavar="K",
    help="Samples per step (mini-batch SGD).",
)
@click.option(
    "--val-split",
    type=Number(0, 0.9),
    default=0.1,
    show_default=True,
    metavar="F",
    help="The share of the training samples held out for validation.",
)
@click.option(
    "--early-stopping",
    type=WholeNumber(min=1),
    metavar="PATIENCE",
    help="Stop when the validation loss has not improved for PATIENCE epochs; keep the best weights.",
)
@click.option(
    "--backend",
    type=click.Choice(["engine", "torch"]),
    default="engine",
    show_default=True,
    help="engine: ours; torch: the identical network in torch, to compare.",
)
@click.option(
    "--dtype",
    type=click.Choice(["float64", "float32"]),
    default="float64",
    show_default=True,
    help="What training computes in: float32 is about twice as fast on wide networks (784-512-512-10); "
    "the saved model, explain and verify are float64 either way.",
)
@click.option(
    "--save", type=OutputPath(), metavar="FILE", help="Save the trained model (safetensors), e.g. model.safetensors."
)
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    metavar="DIR",
    help="Folder for the plots and reports (default: renders/NET-DATA/).",
)
def train(
    spec: NetSpec,
    data_name,
    data_dir,
    download,
    target_column,
    samples,
    epochs,
    batch_size,
    val_split,
    early_stopping,
    backend,
    dtype,
    save,
    output,
):
    """Train a network on a data set with the engine, then evaluate it and draw what it learned.

    \b
    Examples:
      backprop train --data fashion-mnist         # 784-16-10, the files `make setup` unpacked
      backprop train --net 64-16-10 --data digits
      backprop train --net 784-16-10 --data fashion-mnist --optimizer adam --lr 1e-3 --epochs 5
      backprop train --net 2-4-1 --data xor --save xor.safetensors
      explain --net xor.safetensors --input 1,0 --target 1
    """
    from click.core import ParameterSource

    from visualizer.files import is_stdout, is_terminal, writable_folder, writable_path
    from visualizer.network.batches import steps_per_epoch
    from visualizer.training.data import load_dataset, validation_split
    from visualizer.training.loop import TrainOptions, fit

    if save and Path(save).suffix.lower() in TORCH_PICKLE_SUFFIXES:
        raise UsageError(
            f"--save {save}: {Path(save).suffix} names a torch pickle (torch.load), but the model is saved as "
            f"safetensors (no pickle, nothing in it runs); use --save {Path(save).with_suffix('.safetensors')} "
            f"and read it with safetensors.torch.load_file"
        )
    try:
        dataset = load_dataset(
            data_name,
            data_dir=data_dir,
            download=download,
            target_column=target_column,
            seed=spec.seed,
            samples=samples,
        )
    except KeyboardInterrupt:
        nothing_saved(f"while loading {data_name}")
    given = click.get_current_context().params  # what the user typed, before the spec took it
    if click.get_current_context().get_parameter_source("spec") == ParameterSource.DEFAULT:
        spec = default_network(dataset, given)
    spec = fit_to_data(
        spec, dataset, explicit={k: given.get(k) for k in ("output_activation", "loss", "optimizer", "lr")}
    )
    folder = Path(output or Path("renders") / f"{spec.name}-{_slug(dataset.name)}")
    if save:
        if is_stdout(save) or is_terminal(save):  # standard output carries the report; a terminal, text
            raise UsageError(f"--save {save}: a model is binary; give a file name, e.g. --save model.safetensors")
        writable_path(save)
    writable_folder(folder)  # a file, or a folder we cannot write in: said now, not after the training
    if early_stopping and not val_split:
        raise UsageError("--early-stopping watches the validation loss: give --val-split above 0, e.g. 0.1")
    if val_split:
        x_train, y_train, x_val, y_val = validation_split(dataset, val_split, spec.seed)
    else:  # no validation samples: train on all of the training split
        x_train, y_train, x_val, y_val = dataset.x_train, dataset.y_train, None, None
    if batch_size > len(x_train):
        # a --batch-size the user gave is refused (every step would be the whole set, not what was asked);
        # the default of 32 on a set smaller than that just means batches of all of it
        if click.get_current_context().get_parameter_source("batch_size") != ParameterSource.DEFAULT:
            held = f" ({val_split:.0%} are held out for validation)" if val_split else ""
            raise UsageError(
                f"--batch-size {batch_size} is more than the {len(x_train)} training samples{held}; "
                f"give --batch-size {len(x_train)} or less"
            )
        batch_size = len(x_train)
    if epochs is None and len(dataset.x_train) >= LARGE_SET:
        epochs = LARGE_EPOCHS
    elif epochs is None:
        epochs = max(MIN_EPOCHS, math.ceil(MIN_STEPS / steps_per_epoch(len(x_train), batch_size)))
    options = TrainOptions(
        epochs=epochs, batch_size=batch_size, early_stopping=early_stopping, backend=backend, dtype=dtype
    )
    from visualizer.training.progress import TrainingProgress

    try:
        with TrainingProgress(epochs) as progress:
            result = fit(spec, dataset.task, x_train, y_train, x_val, y_val, options, progress=progress.update)
    except KeyboardInterrupt:
        nothing_saved("before the first epoch finished")
    from visualizer.training.settings import training_settings

    with holding_ctrl_c() as interrupted:  # Ctrl-C now would leave some files new and some old: it waits
        settings = training_settings(
            spec,
            dataset,
            options,
            result,
            val_split=val_split,
            samples=samples,
            dtype=dtype,
        )
        scaling = dataset.scaling
        written = _report(spec, dataset, result, folder, settings, scaling)
        if save:
            from visualizer.network.model_io import save_model

            model = save_model(
                save,
                _described(spec, dataset),
                result.weights,
                result.biases,
                trained_on=_trained_on(dataset),
                training=settings,
            )
            written.append(model)
    for path in written:
        click.echo(path)
    if save and dataset.task != "regression" and not dataset.name.startswith("csv:"):
        # where the exercise meets the step-by-step explanation
        net = shlex.quote(str(save))
        click.echo(f"one test sample, step by step: explain --net {net} --data {dataset.name} --sample 0", err=True)
    if result.interrupted or interrupted():
        done = len(result.history["epoch"])
        click.echo(f"backprop: stopped after epoch {done} of {epochs}; saved {', '.join(map(str, written))}", err=True)
        sys.exit(130)


# train's --net defaults to the data's shape (default_network), not the 2-3-1 the other commands start from
_NET_OPTION = next(p for p in train.params if p.name == "spec")
_NET_OPTION.show_default = f"the data's inputs-{DEFAULT_HIDDEN}-outputs, e.g. 784-16-10"


def default_network(dataset, given: dict) -> NetSpec:
    """The network when no --net is given: the data's inputs, DEFAULT_HIDDEN hidden neurons and
    its outputs (784-16-10 for MNIST and Fashion-MNIST, the lecture's), with the options given."""
    from .options import NetParam, build_spec, override_options

    shape = f"{dataset.n_features}-{DEFAULT_HIDDEN}-{max(dataset.n_outputs, 1)}"
    return build_spec(
        NetParam().convert(shape, None, None),
        **{k: given.get(k) for k in override_options() if k not in NOT_SPEC_OPTIONS},
    )


def fit_to_data(spec: NetSpec, dataset, explicit: dict) -> NetSpec:
    """The network, checked against the data: its input layer takes the features, its output
    layer gives what the task needs; a bare shape (784-16-10) gets the task's output and loss."""
    if spec.sizes[0] != dataset.n_features:
        shape = "-".join(map(str, (dataset.n_features, *spec.sizes[1:])))
        raise UsageError(
            f"{dataset.name} has {count(dataset.n_features, 'feature')} per sample, but the network's input "
            f"layer has {count(spec.sizes[0], 'neuron')}; use --net {shape}"
        )
    if spec.sizes[-1] != dataset.n_outputs and not (dataset.task == "binary" and spec.sizes[-1] == 2):
        shape = "-".join(map(str, (*spec.sizes[:-1], dataset.n_outputs)))
        noun = ("class", "classes") if dataset.task == "multiclass" else ("output",)
        what = count(dataset.n_outputs, *noun)
        raise UsageError(
            f"{dataset.name} needs {what}, but the network's output layer has {count(spec.sizes[-1], 'neuron')}; "
            f"use --net {shape}"
        )
    if is_bare_shape(spec):  # the task decides the output and the loss
        output, loss = TASK_DEFAULTS[dataset.task]
        if dataset.task == "binary" and spec.sizes[-1] == 2:
            output, loss = TASK_DEFAULTS["multiclass"]
        changes = {
            "output_activation": explicit.get("output_activation") or output,
            "loss": explicit.get("loss") or loss,
        }
        if not explicit.get("optimizer"):  # Adam: many steps on real data, where plain SGD crawls
            changes["optimizer"] = TRAIN_OPTIMIZER
            changes["lr"] = explicit.get("lr") or (LARGE_LR if len(dataset.x_train) >= LARGE_SET else None)
        spec = spec.with_overrides(**changes)
    return spec


def _slug(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", Path(name.removeprefix("csv:")).stem if name.startswith("csv:") else name)


def _described(spec: NetSpec, dataset) -> NetSpec:
    """The spec as the model file keeps it: with what its outputs mean and how its inputs were scaled."""
    classes = dataset.classes if len(dataset.classes) in (spec.sizes[-1], 2 * (spec.sizes[-1] == 1)) else ()
    return dataclasses.replace(spec, classes=tuple(classes), input_scaling=dataset.scaling or None)


def _trained_on(dataset) -> dict:
    return {
        "dataset": dataset.name,
        "task": dataset.task,
        "classes": list(dataset.classes),
        "image_shape": list(dataset.image_shape) if dataset.image_shape else None,
    }


def _report(spec: NetSpec, dataset, result, folder: Path, settings: dict, scaling: dict) -> list[Path]:
    """Evaluate on the test set; print the summary and the metrics; write plots and JSON."""
    from rich.console import Console

    from visualizer.files import write_text_atomic
    from visualizer.functions.classes import predicted_class
    from visualizer.network.definitions import Definitions
    from visualizer.network.mlp import network_info, output
    from visualizer.render.diagrams import save
    from visualizer.training import plots as plots
    from visualizer.training.checks import warnings_for
    from visualizer.training.evaluation import evaluate, report_table

    defs = Definitions.from_info(network_info(spec))
    out = output(defs, result.weights, result.biases, dataset.x_test)
    report = evaluate(dataset.task, dataset.y_test, out, dataset.classes)
    console = Console()
    console.print(_summary(spec, dataset, result))
    console.print(
        report_table(
            report, title=f"{spec.name} on the {dataset.name} test set ({count(len(dataset.x_test), 'sample')})"
        )
    )
    if result.stopped:
        console.print(result.stopped)
    for warning in warnings_for(spec, dataset.task, report, out, dataset.y_test, result.step_losses):
        click.echo(f"backprop: {warning}", err=True)
    title = f"{spec.name} on {dataset.name}"
    figures = {
        "curves": plots.curves(
            result.history, title=title, step_losses=result.step_losses, steps_per_epoch=result.steps_per_epoch
        )
    }
    if dataset.task != "regression":
        figures["confusion"] = plots.confusion(report["confusion_matrix"], dataset.classes, title=title)
    if dataset.task == "binary":
        figures["roc"] = plots.roc(report["roc"]["fpr"], report["roc"]["tpr"], report["roc"]["auc"], title=title)
    if dataset.image_shape and dataset.task != "regression":
        shown = min(32, len(dataset.x_test))
        images = dataset.x_test[:shown].reshape(shown, *dataset.image_shape)
        predicted = predicted_class(out[:shown])
        figures["predictions"] = plots.image_grid(
            images,
            predicted,
            dataset.y_test[:shown, 0].astype(int),
            dataset.classes,
            title=title,
            probabilities=_probabilities(spec, out[:shown], predicted),
            cmap=plots.USUAL_GREYS.get(dataset.name, "gray"),
        )
    if dataset.n_features == 2:
        figures["boundary"] = plots.decision_boundary(
            lambda x: output(defs, result.weights, result.biases, x),
            dataset.x_test,
            dataset.y_test,
            dataset.classes,
            title=title,
        )
    folder.mkdir(parents=True, exist_ok=True)  # only now: a run that fails or is stopped leaves nothing
    written = []
    for name, fig in figures.items():
        path = folder / f"{name}.png"
        save(fig, path)
        written.append(path)
    run = {
        "network": spec.name,
        "dataset": dataset.name,
        "task": dataset.task,
        "backend": result.backend,
        "training": settings,
        "input_scaling": scaling,
        "training_seconds": result.seconds,
        "stopped": result.stopped,
        "history": result.history,
        "test": report,
    }
    written.append(write_text_atomic(folder / "metrics.json", json.dumps(run, indent=2) + "\n"))
    return written


def _probabilities(spec, out, predicted):
    """Each shown prediction's probability (None when the outputs are not probabilities)."""
    import numpy as np

    if spec.activations[-1] not in ("softmax", "sigmoid"):
        return None
    if out.shape[1] == 1:  # one sigmoid: P(class 1)
        return np.where(predicted == 1, out[:, 0], 1 - out[:, 0])
    return out[np.arange(len(out)), predicted]


def _summary(spec, dataset, result):
    from rich.table import Table

    from visualizer.style import format_number

    history = result.history
    hyper = ", ".join(f"{k} {format_number(v)}" for k, v in spec.optimizer.items() if k != "name")
    steps = len(result.step_losses)
    table = Table(
        title=f"training {spec.name} on {dataset.name}",
        title_justify="left",
        caption=f"{spec.optimizer['name']} ({hyper}) · {spec.loss} · {count(steps, 'step')} of "
        f"{result.batch_size} · {result.stopped or 'all epochs'}",
        caption_justify="left",
    )
    for column in ("epochs", "seconds", "train loss", "val loss", "train accuracy", "val accuracy"):
        table.add_column(column, justify="right")

    def shown(values):
        value = values[-1] if values else None  # None: not measured
        return "–" if value is None else format_number(value, 4)

    table.add_row(
        str(len(history["epoch"])),
        f"{result.seconds:.2f}",
        shown(history["train_loss"]),
        shown(history["val_loss"]),
        shown(history["train_accuracy"]),
        shown(history["val_accuracy"]),
    )
    return table
