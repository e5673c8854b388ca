"""`python -m visualizer` is `backprop`."""

from .cli import backprop_main

backprop_main()
