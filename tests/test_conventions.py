"""Issue 18's conventions of published examples: MAPE in percent (the lecture's, Keras's), ..."""

import pytest

from visualizer.errors import UsageError
from visualizer.network.mlp import run
from visualizer.network.spec import spec_from_table


def outputs_spec(loss: str, outputs: list[float], target: list[float], **more) -> dict:
    """A 1-n network whose output is `outputs` exactly (weights 0, the outputs as biases)."""
    n = len(outputs)
    table = {
        "sizes": [1, n],
        "output_activation": "identity",
        "loss": loss,
        "input": [0.0],
        "target": target,
        "weights": [[[0.0]] * n],
        "biases": [outputs],
    }
    return spec_from_table(table | more)


def test_mape_percent_is_keras_and_the_lecture():
    # Keras: 100 * mean(|y_true − y_pred| / |y_true|); the lecture: 100 %/N Σ |y − ŷ|/ŷ, ŷ the target
    step = run(outputs_spec("mean_absolute_percentage_error", [1.5, 5.0], [2.0, 4.0])).steps[0]
    assert step.loss == pytest.approx(100 / 2 * (0.5 / 2 + 1 / 4), rel=1e-15)  # 25 (%)
    fraction = run(outputs_spec("mape", [1.5, 5.0], [2.0, 4.0])).steps[0]
    assert fraction.loss == pytest.approx(0.25, rel=1e-15)  # mape stays a fraction


def test_mape_percent_refuses_a_target_of_0():
    with pytest.raises(UsageError, match="mape_percent divides by the target"):
        outputs_spec("mape_percent", [1.0], [0.0])
