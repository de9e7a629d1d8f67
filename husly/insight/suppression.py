"""Small-count suppression for figures that leave the unit that owns the data (ADR 0031, 0032).

Primary suppression shows a count of 1 to 4 as "<5". Secondary suppression (the subtraction
guard, :func:`guard`) keeps a suppressed count from being got back from a total shown beside
its parts: whenever the cells of one sum (the total and its parts) have exactly one hidden
cell, the smallest other non-zero part is hidden too, or, if there is none, the total. It is
repeated until no sum has a single hidden cell, so tables whose cells are parts of more than
one sum (rows and columns of a cross table) are guarded too. One function for every table with
a total and parts, on the leaders' dashboard, the units' parts and the breakdowns."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

SMALL_COUNT = 5

K = TypeVar("K", bound=Hashable)


def suppressed(count: int, *, threshold: int = SMALL_COUNT) -> int | str:
    """A count as it may leave the unit: "<5" when 0 < count < threshold."""
    return f"<{threshold}" if 0 < count < threshold else count


def small(count: int, *, threshold: int = SMALL_COUNT) -> bool:
    return 0 < count < threshold


def guard(
    values: Mapping[K, int],
    sums: Sequence[tuple[K | None, Sequence[K]]],
    *,
    threshold: int = SMALL_COUNT,
    public: frozenset[K] = frozenset(),
) -> set[K]:
    """The cells to hide: the small ones, and those secondary suppression adds.

    ``values`` holds every shown cell by key; ``sums`` the additive relations between them, each
    ``(total, parts)`` with ``total`` the key of the cell equal to the sum of ``parts`` (or
    ``None`` when the total is not shown: then the parts alone cannot be subtracted from
    anything). A ``public`` cell (the council's decided number, say) is never hidden; it still
    takes part in the sums, so a single hidden part beside it takes another part with it."""
    hidden = {k for k, v in values.items() if small(v, threshold=threshold) and k not in public}
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            if total is None:
                continue
            cells = [total, *parts]
            if sum(1 for c in cells if c in hidden) != 1:
                continue
            candidates = sorted(
                (values[c], i)
                for i, c in enumerate(parts)
                if c not in hidden and c not in public and values[c] > 0
            )
            if candidates:
                hidden.add(parts[candidates[0][1]])
            elif total not in public and total not in hidden:
                hidden.add(total)
            else:
                continue  # nothing left to hide: the parts shown are all zero
            changed = True
    return hidden


def hidden_with_total(counts: list[int], *, threshold: int = SMALL_COUNT) -> list[bool]:
    """Which of the parts of a shown total to hide so no small part can be got back by
    subtraction (:func:`guard` on one sum whose total is ``sum(counts)``)."""
    values: dict[object, int] = dict(enumerate(counts))
    values["total"] = sum(counts)
    hidden = guard(values, [("total", list(range(len(counts))))], threshold=threshold)
    return [k in hidden for k in range(len(counts))]
