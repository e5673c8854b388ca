"""backprop: a backpropagation visualizer and explainer."""
