"""The math core: the autograd engine over numpy float64, and formulas as small trees."""
