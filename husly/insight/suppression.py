SMALL_COUNT = 5


def suppressed(count: int, *, threshold: int = SMALL_COUNT) -> int | str:
    """A count as it may leave the unit: "<5" when 0 < count < threshold."""
    return f"<{threshold}" if 0 < count < threshold else count


def hidden_with_total(counts: list[int], *, threshold: int = SMALL_COUNT) -> list[bool]:
    """Which of the parts of a shown total to hide so no small part can be got back by
    subtraction (secondary suppression): the small parts (1 to ``threshold`` - 1), and, when
    exactly one part is hidden, also the smallest other non-zero part, so the total minus the
    shown parts is the sum of two hidden ones."""
    hide = [0 < c < threshold for c in counts]
    if sum(hide) == 1:
        others = [(c, k) for k, c in enumerate(counts) if not hide[k] and c > 0]
        if others:
            hide[min(others)[1]] = True
    return hide
