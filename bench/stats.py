"""Small statistics shared by the benchmark scripts."""


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank `p`th percentile of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
