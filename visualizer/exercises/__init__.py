"""Exercises: a student's own hand calculation of one training step, asked, checked, quizzed.

`quantities` lists the numbers of a step a worksheet can ask for, read from explain's document
with the keys a student types; `answers` writes and reads answers.toml (and solution.toml).
Judging an answer means recomputing the step from the student's own earlier numbers with the
project's definitions of each activation, loss and optimizer, which is math rather than drawing,
so this package sits above the renderers (it reads explain's document) and below the command line.
"""

from .answers import Answers, answers_template, read_answers, solution
from .quantities import Quantity, equations, quantities

__all__ = ["Answers", "Quantity", "answers_template", "equations", "quantities", "read_answers", "solution"]
