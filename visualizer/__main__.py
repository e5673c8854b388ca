"""`python -m visualizer` is `backprop`."""

from .cli.main import backprop_main

backprop_main()
