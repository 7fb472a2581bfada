"""One place for the demo's random streams: seeded, reproducible, and never used for anything secret."""

from random import Random


def seeded(seed: str) -> Random:
    """A Random seeded from a string (hashed with SHA-512, so stable across runs and PYTHONHASHSEED)."""
    return Random(seed)  # noqa: S311 - demo data must be reproducible, not unpredictable
