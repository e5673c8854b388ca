"""The command line: `explain`, `backprop` and its commands, and the options they share."""

from .main import backprop_main, explain_main

__all__ = ["backprop_main", "explain_main"]
