"""Worksheets for a hand calculation, and their keys, drawn from explain's document.

`pages.py` writes a student's worksheet (the given numbers and a blank for each asked number,
`blank.py`) and key (the working in full) as Markdown and LaTeX; `class_sheet.py` the lecturer's
table of every student's results; `pdf.py` compiles the LaTeX. Which numbers are asked, and under
which names, is the exercises package's (it sits above the renderers); this one only writes.
"""
