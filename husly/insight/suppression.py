SMALL_COUNT = 5


def suppressed(count: int, *, threshold: int = SMALL_COUNT) -> int | str:
    """A count as it may leave the unit: "<5" when 0 < count < threshold."""
    return f"<{threshold}" if 0 < count < threshold else count
