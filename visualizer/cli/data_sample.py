"""`--data NAME --sample N`: one real test sample as the step's input, its label as the target.

explain, diagram and render take them, so a trained model is explained on a Fashion-MNIST
image rather than on drawn numbers: the input is that test image scaled as the model's inputs
were in training (the model file's input_scaling; the data set's own scaling for a network
without one), the target is its class in the form the loss takes (one-hot, or the class index
for sparse cross-entropy), and the outputs are named after the data set's classes. The Trace
records where the sample came from (trace.SampleInfo), so pictures can show the image itself.
"""

from __future__ import annotations

import dataclasses
import functools

import click
import numpy as np

from visualizer.errors import UsageError
from visualizer.functions.classes import one_hot
from visualizer.functions.losses import get_loss
from visualizer.network.spec import NetSpec
from visualizer.network.trace import SampleInfo, Trace
from visualizer.style import count

from .options import WholeNumber


def sample_options(command):
    """--data, --sample and --data-dir; the command receives the finished spec and `sample`
    (a SampleInfo to attach to its Trace with `attach`, or None)."""

    @functools.wraps(command)
    def with_sample(*args, **kwargs):
        data, index, data_dir = kwargs.pop("data"), kwargs.pop("sample"), kwargs.pop("data_dir")
        kwargs["sample"] = None
        if data is None:
            if index is not None:
                raise UsageError("--sample picks a test sample of a data set; add --data fashion-mnist (or mnist, …)")
        else:
            kwargs["spec"], kwargs["sample"] = sample_spec(kwargs["spec"], data, index or 0, data_dir)
        return command(*args, **kwargs)

    options = (
        click.option(
            "--data",
            metavar="NAME",
            help="Explain one test sample of a data set (fashion-mnist, mnist, digits, …; see backprop train "
            "--help): its input and its label as the target, the outputs named after its classes.",
        ),
        click.option(
            "--sample",
            type=WholeNumber(min=0),
            metavar="N",
            help="Which test sample of --data, counted from 0 [default: 0].",
        ),
        click.option(
            "--data-dir",
            type=click.Path(file_okay=False),
            metavar="DIR",
            help="Where --data's files are (default: $BACKPROP_DATA_DIR, ./data, then make setup's copies).",
        ),
    )
    for option in reversed(options):
        with_sample = option(with_sample)
    return with_sample


def attach(trace: Trace, sample: SampleInfo | None) -> Trace:
    return trace if sample is None else trace.with_sample(sample)


def sample_spec(spec: NetSpec, data: str, index: int, data_dir=None) -> tuple[NetSpec, SampleInfo]:
    """The spec with test sample `index` of `data` as its input and target, and the record of it."""
    from visualizer.training.data import load_dataset
    from visualizer.training.data.images import IDX_SETS, PIXEL_MAX
    from visualizer.training.data.prepare import pixel_scaling, scale

    key = data.strip().lower()
    # the MNIST sets scale by their pixels' range alone, so their 60,000 training rows need not be read
    ds = load_dataset(data, data_dir=data_dir, scale="none", seed=spec.seed, samples=1 if key in IDX_SETS else None)
    _check_fits(spec, ds)
    n = len(ds.x_test)
    if index >= n:
        raise UsageError(
            f"--sample {index} is past the end of {ds.name}'s test set ({count(n, 'sample')}: 0 to {n - 1})"
        )
    if spec.input_scaling:
        scaling = spec.input_scaling
    elif ds.name in PIXEL_MAX:
        scaling = pixel_scaling(PIXEL_MAX[ds.name])
    else:  # the data set's own: what `backprop train` would have scaled it by
        scaling = scale(ds.x_train, ds.x_test[:1], "auto")[2]
    raw = ds.x_test[index]
    x = (raw - np.asarray(scaling["shift"], dtype=np.float64)) / np.asarray(scaling["scale"], dtype=np.float64)
    label = None if ds.task == "regression" else int(ds.y_test[index, 0])
    target = _target(spec, ds, index, label)
    classes = spec.classes or (ds.classes if len(ds.classes) == spec.sizes[-1] else ())
    spec = dataclasses.replace(spec, input=x[None, :], target=target, classes=tuple(classes), input_scaling=scaling)
    shape = ds.image_shape
    info = SampleInfo(ds.name, ds.split, index, label, shape, raw.reshape(shape) if shape else raw)
    return spec, info


def _check_fits(spec: NetSpec, ds) -> None:
    inputs, outputs = spec.sizes[0], spec.sizes[-1]
    suggestion = f"{ds.n_features}-16-{ds.n_outputs}"
    if ds.n_features != inputs:
        raise UsageError(
            f"{ds.name} has {count(ds.n_features, 'input')} per sample but {spec.name} takes {inputs}; give "
            f"--net {suggestion}, or a model saved by backprop train --data {ds.name} --save model.safetensors"
        )
    if ds.n_outputs != outputs:
        what = f"{count(len(ds.classes), 'class', 'classes')}" if ds.classes else count(ds.n_outputs, "target")
        raise UsageError(
            f"{ds.name} has {what} but {spec.name} has {count(outputs, 'output')}; give --net {suggestion}, or "
            f"a model saved by backprop train --data {ds.name}"
        )


def _target(spec: NetSpec, ds, index: int, label: int | None) -> np.ndarray:
    """The label as the loss takes it: the class index (sparse cross-entropy, one sigmoid output),
    its one-hot row (softmax or several outputs with the other losses), or the regression values."""
    if label is None:
        return ds.y_test[index : index + 1]
    n = spec.sizes[-1]
    if n == 1 or get_loss(spec.loss).target_width(n) == 1:
        return np.array([[float(label)]])
    return one_hot(np.array([[label]]), n)
