"""The reference for benchmarks/render_speed.py: the 2-3-1 step drawn the naive way in plain manim.

What a first attempt looks like: a Circle per neuron, a Line per weight, every number a MathTex
typeset on the spot (LaTeX runs for each one), one play() per neuron and per edge, and each
equation written as a fresh MathTex. Same network, same numbers (from the Trace), a comparable
story: forward, loss, backward, update. Not part of the tool; only timed.

    .venv/bin/manim -qh --disable_caching benchmarks/naive_lecture.py NaiveLecture
"""

from manim import BLACK, DOWN, UP, WHITE, Circle, Create, FadeOut, Line, MathTex, Scene, Transform, Write

from visualizer.network.mlp import run
from visualizer.network.sources import load_spec


class NaiveLecture(Scene):
    def construct(self):
        self.camera.background_color = WHITE
        trace = run(load_spec("2-3-1"))
        step = trace.steps[0]
        sizes = trace.network.sizes
        centres = {(l, j): [-4 + 4 * l, (n - 1) / 2 * 1.6 - 1.6 * j, 0] for l, n in enumerate(sizes) for j in range(n)}
        circles = {key: Circle(radius=0.4, color=BLACK).move_to(c) for key, c in centres.items()}
        for circle in circles.values():
            self.play(Create(circle), run_time=0.3)
        lines = {}
        for l in range(1, len(sizes)):
            for j in range(sizes[l]):
                for k in range(sizes[l - 1]):
                    lines[l, j, k] = Line(centres[l - 1, k], centres[l, j], buff=0.4, color=BLACK)
                    self.play(Create(lines[l, j, k]), run_time=0.3)
        labels = {}
        for j in range(sizes[0]):
            labels[0, j] = MathTex(f"{trace.input[0, j]:.3g}", color=BLACK, font_size=24).move_to(centres[0, j])
            self.play(Write(labels[0, j]), run_time=0.5)
        for l, layer in enumerate(step.layers, start=1):  # forward: each neuron's a, typeset anew
            for j in range(sizes[l]):
                labels[l, j] = MathTex(f"{layer.a[0, j]:.3g}", color=BLACK, font_size=24).move_to(centres[l, j])
                self.play(Write(labels[l, j]), run_time=0.5)
        loss = MathTex(rf"E = {step.loss:.4g}", color=BLACK).to_edge(DOWN)
        self.play(Write(loss))
        for l in range(len(sizes) - 1, 0, -1):  # backward: each δ replaces the a
            for j in range(sizes[l]):
                delta = MathTex(f"{step.layers[l - 1].delta[0, j]:.3g}", color=BLACK, font_size=24)
                self.play(Transform(labels[l, j], delta.move_to(centres[l, j])), run_time=0.5)
        for (l, j, k), line in lines.items():  # update: one edge at a time, its new weight typeset
            w_new = MathTex(f"{step.layers[l - 1].W_new[j, k]:.3g}", color=BLACK, font_size=20)
            self.play(Write(w_new.next_to(line.get_center(), UP, buff=0.05)), run_time=0.4)
            self.play(FadeOut(w_new), run_time=0.2)
        self.wait(1)
