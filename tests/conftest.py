"""Shared test set-up: hypothesis profiles.

`ci` (the default) is derandomized, so every run explores the same examples and a failure
reproduces; `dev` explores new examples each run (HYPOTHESIS_PROFILE=dev).
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
