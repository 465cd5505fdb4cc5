"""Property tests are deterministic: CI runs the same examples every time (a failure found by
exploring locally, with HYPOTHESIS_PROFILE=explore, is then pinned with @example)."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", max_examples=2_000, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
