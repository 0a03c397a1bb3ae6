"""The samples of one pen in fixed numpy arrays, with a min/max pyramid for drawing.

A pen on screen never needs more than about two points per pixel column: the
lowest and the highest value the column covers. ``PenSeries`` keeps its
samples in preallocated arrays and, beside them, a pyramid of min/max buckets
(level k holds buckets of 2**k samples, aligned to absolute sample positions so
that a peak never moves between frames). Appending updates only the buckets the
new samples touch; ``view`` picks the level that gives no more buckets than
pixels and hands back two points per bucket. When the arrays fill up the oldest
eighth is dropped in one move, a multiple of the largest bucket, so every level
stays aligned.

A sample whose quality is not usable (bad, stale, no connection) has the value
NaN: it is a gap. A bucket that holds a gap and good values is drawn with a
break on both sides, so no line ever bridges bad data, at any zoom.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Codes = npt.NDArray[np.uint8]

DEFAULT_CAPACITY = 1 << 16
LEVELS = 12  # buckets of up to 4,096 samples


class PenSeries:
    """Time-ordered samples of one pen: times (epoch s), values (NaN: gap), quality codes."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, levels: int = LEVELS) -> None:
        if capacity & (capacity - 1) or capacity < (8 << levels):
            raise ValueError("capacity must be a power of two of at least 8 * 2**levels")
        self.capacity = capacity
        self.levels = levels
        self.t = np.zeros(capacity)
        self.v = np.full(capacity, np.nan)
        self.q = np.zeros(capacity, np.uint8)
        self._bad = np.zeros(capacity, bool)  # filled and not a number
        # _mn[k], _mx[k], _gap[k] for k in 1..levels; index 0 unused.
        self._mn: list[Floats] = [self.v]
        self._mx: list[Floats] = [self.v]
        self._gap: list[npt.NDArray[np.bool_]] = [self._bad]
        for k in range(1, levels + 1):
            self._mn.append(np.full(capacity >> k, np.nan))
            self._mx.append(np.full(capacity >> k, np.nan))
            self._gap.append(np.zeros(capacity >> k, bool))
        self.n = 0
        self.dropped = 0  # samples pushed out of the front since creation

    # -- filling -----------------------------------------------------------------

    def clear(self) -> None:
        self._reset_from(0)
        self.n = 0

    def append(self, t: Floats, v: Floats, q: Codes | None = None) -> None:
        """Add samples at the end. Times earlier than the last are drawn at the last time."""
        count = len(t)
        if count == 0:
            return
        if count > self.capacity * 7 // 8:
            t, v = t[-self.capacity // 2 :], v[-self.capacity // 2 :]
            q = None if q is None else q[-self.capacity // 2 :]
            count = len(t)
        if self.n + count > self.capacity:
            self._drop(self.n + count - self.capacity)
        a, b = self.n, self.n + count
        floor = self.t[a - 1] if a else -np.inf
        self.t[a:b] = np.maximum.accumulate(np.maximum(t, floor))
        self.v[a:b] = v
        self.q[a:b] = 0 if q is None else q
        self._bad[a:b] = np.isnan(v)
        self.n = b
        self._update(a, b)

    def prepend(self, t: Floats, v: Floats, q: Codes | None = None) -> None:
        """Put older samples (a backfill) before the current ones; those not older are ignored."""
        if self.n:
            keep = t < self.t[0]
            t, v = t[keep], v[keep]
            q = None if q is None else q[keep]
        if len(t) == 0:
            return
        room = self.capacity * 7 // 8 - self.n
        if room <= 0:
            return
        if len(t) > room:
            t, v = t[-room:], v[-room:]
            q = None if q is None else q[-room:]
        old = (self.t[: self.n].copy(), self.v[: self.n].copy(), self.q[: self.n].copy())
        self.clear()
        self.append(
            np.concatenate((t, old[0])),
            np.concatenate((v, old[1])),
            np.concatenate((np.zeros(len(t), np.uint8) if q is None else q, old[2])),
        )

    def _drop(self, at_least: int) -> None:
        """Drop the oldest samples: a multiple of the capacity's eighth, so buckets stay aligned."""
        step = self.capacity // 8
        drop = min(self.n, -(-at_least // step) * step)
        keep = self.n - drop
        for array in (self.t, self.v, self.q, self._bad):
            array[:keep] = array[drop : self.n]
        for k in range(1, self.levels + 1):
            shift, used = drop >> k, -(-self.n >> k)
            for array in (self._mn[k], self._mx[k], self._gap[k]):
                array[: used - shift] = array[shift:used]
        self.n = keep
        self.dropped += drop
        self._reset_from(keep)

    def _reset_from(self, start: int) -> None:
        self.v[start:] = np.nan
        self._bad[start:] = False
        for k in range(1, self.levels + 1):
            first = start >> k
            self._mn[k][first:] = np.nan
            self._mx[k][first:] = np.nan
            self._gap[k][first:] = False
        if start:
            self._update(start - 1, start)  # the bucket that held dropped and kept samples

    def _update(self, a: int, b: int) -> None:
        """Recompute the buckets of every level that samples a..b-1 fall in."""
        lo, hi = a, b - 1
        for k in range(1, self.levels + 1):
            lo, hi = lo >> 1, hi >> 1
            c0, c1 = 2 * lo, 2 * hi + 2
            mn, mx, gap = self._mn[k - 1], self._mx[k - 1], self._gap[k - 1]
            self._mn[k][lo : hi + 1] = np.fmin(mn[c0:c1:2], mn[c0 + 1 : c1 : 2])
            self._mx[k][lo : hi + 1] = np.fmax(mx[c0:c1:2], mx[c0 + 1 : c1 : 2])
            self._gap[k][lo : hi + 1] = gap[c0:c1:2] | gap[c0 + 1 : c1 : 2]

    # -- reading -------------------------------------------------------------------

    @property
    def first_time(self) -> float | None:
        return float(self.t[0]) if self.n else None

    @property
    def last_time(self) -> float | None:
        return float(self.t[self.n - 1]) if self.n else None

    def level_for(self, count: int, max_buckets: int) -> int:
        """The lowest level whose buckets over ``count`` samples number at most ``max_buckets``."""
        k = 0
        while k < self.levels and (count >> k) > max_buckets:
            k += 1
        return k

    def view(
        self, t0: float, t1: float, max_buckets: int, hold_until: float | None = None
    ) -> tuple[Floats, Floats]:
        """Points to draw for ``t0..t1``: at most about 2 * max_buckets, NaN where to break.

        Values hold until the next sample (the source reports by exception, so a
        value is valid until it changes); ``hold_until`` extends the last value
        to that time when it is not a gap (the pen is live and current).
        """
        n = self.n
        if n == 0 or max_buckets < 1:
            return np.empty(0), np.empty(0)
        times = self.t[:n]
        i0 = max(int(np.searchsorted(times, t0, "right")) - 1, 0)
        i1 = min(int(np.searchsorted(times, t1, "right")) + 1, n)
        if i1 <= i0:
            return np.empty(0), np.empty(0)
        k = self.level_for(i1 - i0, max_buckets)
        if k == 0:
            x, y = _steps(times[i0:i1], self.v[i0:i1])
        else:
            x, y = self._buckets(k, i0, i1)
        last = self.v[n - 1]
        if hold_until is not None and i1 == n and not np.isnan(last) and hold_until > times[-1]:
            x = np.append(x, hold_until)
            y = np.append(y, last)
        return x, y

    def _buckets(self, k: int, i0: int, i1: int) -> tuple[Floats, Floats]:
        j0, j1 = i0 >> k, ((i1 - 1) >> k) + 1
        mn, mx, gap = self._mn[k][j0:j1], self._mx[k][j0:j1], self._gap[k][j0:j1]
        starts = np.arange(j0, j1) << k
        times = self.t[np.clip(starts, 0, self.n - 1)]
        x = np.repeat(times, 2)
        y = np.empty(2 * len(mn))
        y[0::2], y[1::2] = mn, mx
        partial = np.flatnonzero(gap & ~np.isnan(mn))
        if len(partial):
            # A bucket with good values and a gap: break the line on both sides of it.
            where = np.concatenate((2 * partial, 2 * partial + 2))
            x = np.insert(x, where, np.concatenate((times[partial], times[partial])))
            y = np.insert(y, where, np.nan)
        return x, y

    def value_at(self, t: float) -> tuple[float, int] | None:
        """The value in effect at time ``t`` (the last sample at or before it) and its quality."""
        if self.n == 0:
            return None
        i = int(np.searchsorted(self.t[: self.n], t, "right")) - 1
        if i < 0:
            return None
        return float(self.v[i]), int(self.q[i])

    def samples(self, t0: float, t1: float) -> tuple[Floats, Floats, Codes]:
        """Copies of the samples with times in ``t0..t1``."""
        times = self.t[: self.n]
        i0 = int(np.searchsorted(times, t0, "left"))
        i1 = int(np.searchsorted(times, t1, "right"))
        return self.t[i0:i1].copy(), self.v[i0:i1].copy(), self.q[i0:i1].copy()


def _steps(t: Floats, v: Floats) -> tuple[Floats, Floats]:
    """Sample-and-hold: each value runs flat until the next sample's time."""
    count = len(t)
    x = np.empty(2 * count - 1)
    y = np.empty(2 * count - 1)
    x[0::2], y[0::2] = t, v
    x[1::2], y[1::2] = t[1:], v[:-1]
    return x, y
