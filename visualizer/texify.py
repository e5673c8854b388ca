"""Plain text with Unicode math (w⁽¹⁾ⱼₖ, η, →) as LaTeX, for titles and notes."""

from __future__ import annotations

import re

# Unicode in notes and titles, as LaTeX.
_CHARS = {
    "→": r"$\to$",
    "←": r"$\leftarrow$",
    "…": r"\dots{}",
    "η": r"$\eta$",
    "δ": r"$\delta$",
    "σ": r"$\sigma$",
    "Σ": r"$\Sigma$",
    "∂": r"$\partial$",
    "−": "-",
    "·": r"$\cdot$",
    "μ": r"$\mu$",
    "α": r"$\alpha$",
    "β": r"$\beta$",
    "ε": r"$\varepsilon$",
    "λ": r"$\lambda$",
    "√": r"$\surd$",
    "m̂": r"$\hat{m}$",
    "v̂": r"$\hat{v}$",
    "✓": r"$\checkmark$",
    "✗": r"$\times$",
    "Δ": r"$\Delta$",
    "½": r"$\frac{1}{2}$",
    "′": "$'$",
    "″": "$''$",
    "‴": "$'''$",
    "²": r"$^2$",
    "|": r"$|$",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₛ", "0123456789ijks"))
_SUP = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾ᵗ", "0123456789()t"))


def latex_text(text: str) -> str:
    """Plain text with Unicode math (w⁽¹⁾ⱼₖ, η, →) as LaTeX, TeX's special characters escaped."""
    out = []
    # m̂ and v̂ are two code points each (a letter and a combining hat)
    for m in re.finditer(f"([{''.join(_SUP)}]+)|([{''.join(_SUB)}]+)|(m̂|v̂|.)", text, re.S):
        if m.group(1):
            out.append("$^{" + "".join(_SUP[c] for c in m.group(1)) + "}$")
        elif m.group(2):
            out.append("$_{" + "".join(_SUB[c] for c in m.group(2)) + "}$")
        else:
            out.append(_CHARS.get(m.group(3), m.group(3)))
    return "".join(out).replace("$$", "")  # adjacent pieces of math become one
