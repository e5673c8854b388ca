"""Training on data sets: the data, the loop over epochs, metrics and the pictures of a run."""
