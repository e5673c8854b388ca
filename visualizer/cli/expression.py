"""explain --expr: a scalar expression program written out and verified, like a network step."""

from __future__ import annotations


def expression_text(
    source: str, render, *, format_, precision, output, width, color, fragment, no_verify
) -> tuple[str, list]:
    """The program written out in its format (or its JSON), and the verdicts of its check."""
    from visualizer.network.expr_verify import verify_expression
    from visualizer.network.expression import parse, read_program
    from visualizer.render.explain import Options, verification_line
    from visualizer.render.explain.expression import build_expression_document

    trace = parse(read_program(source))
    verdicts = []

    def verify():
        if no_verify:
            return None
        verdicts.append(verify_expression(trace))
        return verification_line(verdicts[-1])

    if format_ == "json":
        verify()
        text = (trace.with_verification(verdicts[-1]) if verdicts else trace).to_json() + "\n"
    else:
        document = build_expression_document(trace, Options(precision=precision or 4))
        text = render(document, format_, verify, output, width, color=color, fragment=fragment)
    return text, verdicts
