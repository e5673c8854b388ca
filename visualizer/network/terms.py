"""The terms inside two sums of a step, as the Trace's own methods: each neuron's products
wⱼₖaₖ of its weighted sum z = Σₖ wⱼₖaₖ + b, and the per-output terms wᵢⱼ⁽ˡ⁺¹⁾δᵢ⁽ˡ⁺¹⁾ of a hidden
neuron's ∂E/∂a = Σᵢ wᵢⱼ⁽ˡ⁺¹⁾δᵢ⁽ˡ⁺¹⁾ (Mazur's ∂E_o1/∂out_h1).

Derived, not stored: each term is one float64 product of two numbers the Trace records (W and
a_prev; the next layer's W and δ), so computing it here gives the same float every time, and
the Trace's size does not grow by a copy of every weight per sample (784-16-10 on a batch of 64:
800,000 numbers a step). The JSON writes them where a step has at most TERMS_LIMIT of them
(docs/trace-format.md); renderers call these methods and never multiply themselves."""

from __future__ import annotations

import numpy as np

TERMS_LIMIT = 100_000  # numbers of terms a step's JSON writes out, at most (as grad_W_samples)
TERM_FIELDS = ("products", "grad_a_terms")  # a layer's JSON keys for them


class Terms:
    """Mixed into Trace: needs `steps`-style Step records and `input_of(step)`."""

    def products(self, step, l: int) -> np.ndarray:
        """Layer l's (1-based) products wⱼₖaₖ⁽ˡ⁻¹⁾, batch × out × in: [s, j, k] = W[j, k]·a_prev[s, k].
        Summed over k, plus bⱼ, they give z[s, j]."""
        a_prev = self.input_of(step) if l == 1 else step.layers[l - 2].a
        return step.layers[l - 1].W[np.newaxis, :, :] * a_prev[:, np.newaxis, :]

    def grad_a_terms(self, step, l: int) -> np.ndarray:
        """Hidden layer l's (1-based) per-output terms of ∂E/∂a, batch × n_next × n:
        [s, i, j] = wᵢⱼ⁽ˡ⁺¹⁾·δᵢ⁽ˡ⁺¹⁾ of sample s, the part of ∂E/∂aⱼ that reaches it through
        neuron i of the next layer (summed over i: grad_a). The output layer has none: its
        ∂E/∂a comes from the loss (an empty array)."""
        if l == len(step.layers):
            return np.zeros((len(step.layers[-1].a), 0, step.layers[-1].a.shape[1]))
        after = step.layers[l]
        return after.W[np.newaxis, :, :] * after.delta[:, :, np.newaxis]

    def terms_count(self, step) -> int:
        """How many products and per-output terms the step has (for the JSON's limit)."""
        batch = len(step.layers[0].z)
        products = sum(layer.W.size for layer in step.layers)
        outputs = sum(after.W.size for after in step.layers[1:])
        return batch * (products + outputs)

    def terms_dict(self, step, l: int) -> dict:
        """The JSON fields of layer l's terms: written where the step has at most TERMS_LIMIT."""
        if self.terms_count(step) > TERMS_LIMIT:
            return {}
        return {name: getattr(self, name)(step, l).tolist() for name in TERM_FIELDS}
