import marimo

app = marimo.App()


@app.cell
def _():
    import visualizer as bp

    trace = bp.run("2-3-1", steps=5)
    trace
    return bp, trace


@app.cell
def _(trace):
    trace.explain(phase="backward")
    return


@app.cell
def _(trace):
    trace.diagram("backward")
    return


@app.cell
def _(bp, trace):
    bp.Explorer(trace)
    return


if __name__ == "__main__":
    app.run()
