"""Compiled kernels (numba) of the banded dynamic programme and of the bead cost.

The search visits every cell of a band several times (Viterbi and forward in one pass,
backward in another), and each visit prices up to a dozen beads. In numpy that took some
twenty array calls per band row, so Python overhead dominated and the float64 cost table and
its temporaries needed about 690 bytes per cell; compiled, the costs are one float32 table
(4 bytes per bead type and cell) and the passes add 25 bytes per cell.

Beads are priced by ``cost_table`` from a ``CostArrays`` (the two sides' data in flat arrays;
see ``aligner.align.cost`` for what each term means). The band of rows ``0..n`` is given by
``low[r]..high[r]`` (both non-decreasing) and cell ``(r, c)`` is stored at
``offset[r] + c - low[r]``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

_SQRT2 = math.sqrt(2.0)


class CostArrays(NamedTuple):
    """Everything ``cost_table`` reads, as flat arrays (numba takes a named tuple).

    Prefix arrays have one more entry than units: ``x[k]`` sums units ``0..k-1``. ``pair_*``
    hold, for each source unit ``r``, the prefix over target columns ``pair_low[r]..`` of the key
    mass that unit ``r`` shares with each target unit (``mt_pair_*`` likewise for the machine
    translation). ``types_a``/``types_b`` are the bead types and ``prior`` their costs.
    ``embedded[k, t]`` is the embedding evidence of the bead of type ``t`` ending at cell ``k``
    (an empty table without embeddings). ``weights`` holds the scalars, in this order: length ratio, variance, shared, unmatched and
    translation weights, turn bonus, turn penalty, temperature, ratio drift (an array, because a call with
    more than 30 arguments cannot be inlined by numba).
    """

    types_a: np.ndarray
    types_b: np.ndarray
    prior: np.ndarray
    source_chars: np.ndarray
    target_chars: np.ndarray
    source_null: np.ndarray
    target_null: np.ndarray
    source_mass: np.ndarray
    target_mass: np.ndarray
    pair_low: np.ndarray
    pair_offset: np.ndarray
    pair_prefix: np.ndarray
    mt_mass: np.ndarray
    mt_pair_low: np.ndarray
    mt_pair_offset: np.ndarray
    mt_pair_prefix: np.ndarray
    source_turn: np.ndarray
    target_turn: np.ndarray
    source_opens: np.ndarray
    target_opens: np.ndarray
    embedded: np.ndarray
    weights: np.ndarray


@njit(cache=True, inline="always")
def neg_log_erfc(x: float) -> float:
    """``-log(erfc(x))`` for x ≥ 0, from the Chebyshev-fitted erfc of Numerical Recipes
    (relative error < 1.2e-7), in log form so that it never underflows."""
    t = 1.0 / (1.0 + 0.5 * x)
    poly = -1.26551223 + t * (
        1.00002368
        + t
        * (
            0.37409196
            + t
            * (
                0.09678418
                + t
                * (
                    -0.18628806
                    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))
                )
            )
        )
    )
    return x * x - poly - math.log(t)


@njit(cache=True, inline="always")
def _window_match(window: np.ndarray, a: int, b: int, column_best: np.ndarray) -> float:
    """The key mass that the ``a`` source and ``b`` target units (both at least 2) of the bead
    ending at the window's cell share, as a matching: the larger of (each source unit's best
    partner, summed) and (each target unit's best partner, summed). Summing every pair instead
    would count a key that two neighbouring sentences on each side repeat four times over, and
    so reward merging two right beads. ``window[d, e]`` is the prefix (over target columns) of
    the key mass that source unit ``r - 1 - d`` shares up to column ``c - e``; ``column_best``
    is scratch space of at least ``b`` entries. (With one unit on a side, the mass is a plain
    sum, which ``cost_table`` takes itself.)"""
    by_source = 0.0
    column_best[:b] = 0.0
    for d in range(a - 1, -1, -1):
        best = 0.0
        for e in range(b, 0, -1):
            value = window[d, e - 1] - window[d, e]
            if value > best:
                best = value
            if value > column_best[b - e]:
                column_best[b - e] = value
        by_source += best
    return max(by_source, column_best[:b].sum())


@njit(cache=True)
def cost_table(p: CostArrays, low: np.ndarray, high: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """``table[k, t]``: the cost of the bead of type ``t`` that *ends* at cell ``k``
    (negative log-probability over the temperature; +inf where it does not fit the band).

    The cost is written out here once, for all cells, rather than in a function that each
    pass calls per bead: numba counts references to every array handed to a call, even an
    inlined one, and that bookkeeping cost more than the arithmetic. For the same reason the
    windows of shared key mass are filled and summed here, by hand, once for the keys and once
    for the machine translation (through helpers, the table took a quarter longer).
    """
    n = low.shape[0] - 1
    size = offset[n + 1]
    types = p.types_a.shape[0]
    types_a, types_b, prior = p.types_a, p.types_b, p.prior
    source_chars, target_chars = p.source_chars, p.target_chars
    source_null, target_null = p.source_null, p.target_null
    source_mass, target_mass, mt_mass = p.source_mass, p.target_mass, p.mt_mass
    pair_low, pair_offset, pair_prefix = p.pair_low, p.pair_offset, p.pair_prefix
    mt_low, mt_offset, mt_prefix = p.mt_pair_low, p.mt_pair_offset, p.mt_pair_prefix
    source_turn, target_turn, source_opens, target_opens = p.source_turn, p.target_turn, p.source_opens, p.target_opens
    ratio, variance, shared_weight, unmatched_weight = p.weights[0], p.weights[1], p.weights[2], p.weights[3]
    translation_weight, turn_bonus, turn_penalty, temperature = p.weights[4], p.weights[5], p.weights[6], p.weights[7]
    drift = p.weights[8]
    has_turns = source_turn.shape[0] > 0
    embedded = p.embedded
    has_embeddings = embedded.shape[0] > 0
    table = np.full((size, types), np.inf, dtype=np.float32)
    scratch = np.zeros(types_b.max() + 1)
    window = np.zeros((types_a.max(), types_b.max() + 1))
    mt_window = np.zeros((types_a.max(), types_b.max() + 1))
    # What a bead of each type costs that depends only on its row: hoisted out of the columns.
    row_fits = np.zeros(types, dtype=np.bool_)
    row_source = np.zeros(types)
    row_here = np.zeros(types)
    row_mt = np.zeros(types)
    for r in range(n + 1):
        for t in range(types):
            a = types_a[t]
            i = r - a
            row_fits[t] = i >= 0
            if i < 0:
                continue
            if types_b[t] == 0:
                row_source[t] = prior[t] + (source_null[i] + unmatched_weight * (source_mass[i + 1] - source_mass[i]))
            else:
                row_source[t] = (source_chars[r] - source_chars[i]) * ratio
                row_here[t] = source_mass[r] - source_mass[i]
                row_mt[t] = mt_mass[r] - mt_mass[i] if translation_weight > 0.0 else 0.0
        for c in range(low[r], high[r] + 1):
            k = offset[r] + c - low[r]
            filled = mt_filled = False
            for t in range(types):
                if not row_fits[t]:
                    continue
                a = types_a[t]
                b = types_b[t]
                i = r - a
                j = c - b
                if j < 0 or j < low[i] or j > high[i]:
                    continue
                if b == 0:
                    table[k, t] = row_source[t] / temperature
                    continue
                if a == 0:
                    cost = prior[t] + (target_null[j] + unmatched_weight * (target_mass[j + 1] - target_mass[j]))
                    table[k, t] = cost / temperature
                    continue
                cost = prior[t]
                src = row_source[t]
                tgt = target_chars[c] - target_chars[j]
                mean = (src + tgt) / 2.0
                if mean > 0.0:
                    spread = mean * variance + (drift * mean) ** 2
                    cost += neg_log_erfc(abs(tgt - src) / math.sqrt(spread) / _SQRT2)
                here = row_here[t]
                there = target_mass[c] - target_mass[j]
                common = 0.0
                if here > 0.0 and there > 0.0:
                    if not filled:
                        # window[d, e]: the prefix of the mass that source unit r - 1 - d shares up
                        # to column c - e, clamped to that unit's row; every bead ending here reads it.
                        for d in range(min(window.shape[0], r)):
                            row = r - 1 - d
                            base = pair_offset[row]
                            width = pair_offset[row + 1] - base - 1
                            for e in range(window.shape[1]):
                                window[d, e] = pair_prefix[base + min(max(c - e - pair_low[row], 0), width)]
                        filled = True
                    if a == 1 or b == 1:
                        matched = 0.0
                        for d in range(a - 1, -1, -1):
                            matched += window[d, 0] - window[d, b]
                    else:
                        matched = _window_match(window, a, b, scratch)
                    common = min(matched, min(here, there))
                cost -= shared_weight * common - unmatched_weight * (here + there - 2.0 * common)
                mt = row_mt[t]
                if mt > 0.0:
                    if not mt_filled:
                        for d in range(min(mt_window.shape[0], r)):
                            row = r - 1 - d
                            base = mt_offset[row]
                            width = mt_offset[row + 1] - base - 1
                            for e in range(mt_window.shape[1]):
                                mt_window[d, e] = mt_prefix[base + min(max(c - e - mt_low[row], 0), width)]
                        mt_filled = True
                    if a == 1 or b == 1:
                        matched = 0.0
                        for d in range(a - 1, -1, -1):
                            matched += mt_window[d, 0] - mt_window[d, b]
                    else:
                        matched = _window_match(mt_window, a, b, scratch)
                    cost -= translation_weight * min(matched, mt)
                if has_embeddings:
                    cost -= embedded[k, t]
                if has_turns:
                    # Speaker turns must open beads on both sides together, never inside one.
                    if (source_opens[r] - source_opens[i + 1]) + (target_opens[c] - target_opens[j + 1]) > 0:
                        cost += turn_penalty
                    if source_turn[i] > 0 and target_turn[j] > 0:
                        cost += -turn_bonus if source_turn[i] == target_turn[j] else turn_penalty
                    elif source_turn[i] > 0 or target_turn[j] > 0:
                        cost += turn_penalty / 2.0
                table[k, t] = cost / temperature
    return table


@njit(cache=True, inline="always")
def _logaddexp(x: float, y: float) -> float:
    if x == -np.inf:
        return y
    if y == -np.inf:
        return x
    if x > y:
        return x + math.log1p(math.exp(y - x))
    return y + math.log1p(math.exp(x - y))


@njit(cache=True)
def forward_pass(
    table: np.ndarray, types_a: np.ndarray, types_b: np.ndarray, low: np.ndarray, high: np.ndarray, offset: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Viterbi choices and forward log-probabilities of every cell of the band.

    ``choice[k]`` is the bead type of the best path's last bead into cell ``k`` (-1 at the
    origin or where no path arrives); ``forward[k]`` sums over every path into it.
    """
    n = low.shape[0] - 1
    size = offset[n + 1]
    types = types_a.shape[0]
    best = np.full(size, np.inf)
    forward = np.full(size, -np.inf)
    choice = np.full(size, -1, dtype=np.int8)
    best[0] = 0.0
    forward[0] = 0.0
    logs = np.empty(types)
    # The bead of type t into cell (r, c) starts at flat index c + shift[t]; its cost is finite
    # only where that cell is in the band. (Locating it cell by cell cost twenty times the sums.)
    shift = np.zeros(types, dtype=np.int64)
    for r in range(n + 1):
        for t in range(types):
            if types_a[t] <= r:
                shift[t] = offset[r - types_a[t]] - low[r - types_a[t]] - types_b[t]
        for c in range(low[r], high[r] + 1):
            k = offset[r] + c - low[r]
            if k == 0:
                continue
            top = np.inf
            pick = -1
            peak = -np.inf
            for t in range(types):
                logs[t] = -np.inf
                cost = table[k, t]
                if cost == np.inf:
                    continue
                start = c + shift[t]
                if forward[start] == -np.inf:
                    continue
                total = best[start] + cost
                if total < top:
                    top = total
                    pick = t
                logs[t] = forward[start] - cost
                peak = max(peak, logs[t])
            best[k] = top
            choice[k] = pick
            if peak > -np.inf:
                acc = 0.0
                for t in range(types):
                    if logs[t] > -np.inf:
                        acc += math.exp(logs[t] - peak)
                forward[k] = peak + math.log(acc)
    return choice, forward


@njit(cache=True)
def viterbi_pass(
    table: np.ndarray, types_a: np.ndarray, types_b: np.ndarray, low: np.ndarray, high: np.ndarray, offset: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Viterbi choices and best costs of every cell, without the forward sums: what a coarse
    level needs, whose path only places the next level's band."""
    n = low.shape[0] - 1
    size = offset[n + 1]
    types = types_a.shape[0]
    best = np.full(size, np.inf)
    choice = np.full(size, -1, dtype=np.int8)
    best[0] = 0.0
    shift = np.zeros(types, dtype=np.int64)  # as in forward_pass
    for r in range(n + 1):
        for t in range(types):
            if types_a[t] <= r:
                shift[t] = offset[r - types_a[t]] - low[r - types_a[t]] - types_b[t]
        for c in range(low[r], high[r] + 1):
            k = offset[r] + c - low[r]
            if k == 0:
                continue
            top = np.inf
            pick = -1
            for t in range(types):
                cost = table[k, t]
                if cost == np.inf:
                    continue
                total = best[c + shift[t]] + cost
                if total < top:
                    top = total
                    pick = t
            best[k] = top
            choice[k] = pick
    return choice, best


@njit(cache=True)
def best_path(
    types_a: np.ndarray, types_b: np.ndarray, low: np.ndarray, high: np.ndarray, offset: np.ndarray, choice: np.ndarray
) -> np.ndarray:
    """The best path from the Viterbi choices, last bead first: rows of (i, a, j, b)."""
    n = low.shape[0] - 1
    out = np.empty((n + high[n] + 1, 4), dtype=np.int64)
    count = 0
    r = n
    c = high[n]
    while r > 0 or c > 0:
        t = choice[offset[r] + c - low[r]]
        a = types_a[t]
        b = types_b[t]
        out[count, 0] = r - a
        out[count, 1] = a
        out[count, 2] = c - b
        out[count, 3] = b
        count += 1
        r, c = r - a, c - b
    return out[:count]


@njit(cache=True)
def backward_pass(
    table: np.ndarray, types_a: np.ndarray, types_b: np.ndarray, low: np.ndarray, high: np.ndarray, offset: np.ndarray
) -> np.ndarray:
    """Backward log-probabilities: ``backward[k]`` sums over every path from cell ``k`` to the end."""
    n = low.shape[0] - 1
    size = offset[n + 1]
    types = types_a.shape[0]
    backward = np.full(size, -np.inf)
    backward[size - 1] = 0.0
    logs = np.empty(types)
    # The bead of type t from cell (r, c) ends at flat index c + shift[t], if c is in first[t]..last[t].
    shift = np.zeros(types, dtype=np.int64)
    first = np.zeros(types, dtype=np.int64)
    last = np.full(types, -1, dtype=np.int64)
    for r in range(n, -1, -1):
        for t in range(types):
            a, b = types_a[t], types_b[t]
            if r + a <= n:
                shift[t] = offset[r + a] - low[r + a] + b
                first[t], last[t] = low[r + a] - b, high[r + a] - b
            else:
                first[t], last[t] = 0, -1
        for c in range(high[r], low[r] - 1, -1):
            k = offset[r] + c - low[r]
            if k == size - 1:
                continue
            peak = -np.inf
            for t in range(types):
                logs[t] = -np.inf
                if not first[t] <= c <= last[t]:
                    continue
                end = c + shift[t]
                if backward[end] == -np.inf or table[end, t] == np.inf:
                    continue
                logs[t] = backward[end] - table[end, t]
                peak = max(peak, logs[t])
            if peak > -np.inf:
                acc = 0.0
                for t in range(types):
                    if logs[t] > -np.inf:
                        acc += math.exp(logs[t] - peak)
                backward[k] = peak + math.log(acc)
    return backward


@njit(cache=True)
def trace(
    table: np.ndarray,
    types_a: np.ndarray,
    types_b: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    offset: np.ndarray,
    choice: np.ndarray,
    forward: np.ndarray,
    backward: np.ndarray,
) -> np.ndarray:
    """The best path, last bead first: rows of (i, a, j, b, posterior).

    A pair bead's posterior is that of the bead itself. A 1-0 (0-1) bead's is the probability
    that its unit has no partner at all: the sum over every place where a 1-0 (0-1) bead can
    take it, not the probability of one of them.
    """
    n = low.shape[0] - 1
    log_total = forward[offset[n + 1] - 1]
    out = np.empty((n + high[n] + 1, 5))
    count = 0
    r = n
    c = high[n]
    while r > 0 or c > 0:
        k = offset[r] + c - low[r]
        t = choice[k]
        a = types_a[t]
        b = types_b[t]
        i, j = r - a, c - b
        start = offset[i] + j - low[i]
        if a > 0 and b > 0:
            log_posterior = forward[start] - table[k, t] + backward[k] - log_total
        else:
            log_posterior = -np.inf
            if b == 0:
                for col in range(max(low[i], low[i + 1]), min(high[i], high[i + 1]) + 1):
                    here = offset[i] + col - low[i]
                    there = offset[i + 1] + col - low[i + 1]
                    log_posterior = _logaddexp(log_posterior, forward[here] - table[there, t] + backward[there] - log_total)
            else:
                # Rows whose band holds both (row, j) and (row, j + 1): a run around row i.
                first = i
                while first > 0 and high[first - 1] >= j + 1:
                    first -= 1
                row = first
                while row <= n and low[row] <= j:
                    if high[row] >= j + 1:
                        here = offset[row] + j - low[row]
                        log_posterior = _logaddexp(
                            log_posterior, forward[here] - table[here + 1, t] + backward[here + 1] - log_total
                        )
                    row += 1
        out[count, 0] = i
        out[count, 1] = a
        out[count, 2] = j
        out[count, 3] = b
        out[count, 4] = math.exp(min(0.0, log_posterior))
        count += 1
        r, c = i, j
    return out[:count]


@njit(cache=True)
def edge_mass(
    forward: np.ndarray, backward: np.ndarray, low: np.ndarray, high: np.ndarray, offset: np.ndarray, m: int, guard: int
) -> np.ndarray:
    """Per row, the posterior probability that the path passes within ``guard`` columns of an
    edge of the band that is not an edge of the grid: mass that the band may be cutting off."""
    n = low.shape[0] - 1
    log_total = forward[offset[n + 1] - 1]
    mass = np.zeros(n + 1)
    for r in range(n + 1):
        base = offset[r]
        if low[r] > 0:
            for c in range(low[r], min(high[r], low[r] + guard - 1) + 1):
                k = base + c - low[r]
                mass[r] += math.exp(min(0.0, forward[k] + backward[k] - log_total))
        if high[r] < m:
            for c in range(max(low[r], high[r] - guard + 1), high[r] + 1):
                k = base + c - low[r]
                mass[r] += math.exp(min(0.0, forward[k] + backward[k] - log_total))
    return mass


@njit(cache=True)
def pair_mass(
    unit_start: np.ndarray,
    unit_keys: np.ndarray,
    unit_weights: np.ndarray,
    key_start: np.ndarray,
    key_cols: np.ndarray,
    key_weights: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise prefix sums of the key mass that source unit ``r`` shares with target units
    ``low[r]..high[r]``: ``min(weight here, weight there)`` summed over common keys.

    Source units are given as CSR (``unit_start``, ``unit_keys``, ``unit_weights``), target
    postings by key as CSR with columns sorted (``key_start``, ``key_cols``, ``key_weights``).
    Returns the offsets and the flat prefix array (row ``r`` has ``high - low + 2`` entries).
    """
    n = low.shape[0]
    offset = np.zeros(n + 1, dtype=np.int64)
    for r in range(n):
        offset[r + 1] = offset[r] + max(high[r] - low[r] + 1, 0) + 1
    prefix = np.zeros(offset[n])
    for r in range(n):
        base = offset[r]
        for e in range(unit_start[r], unit_start[r + 1]):
            key = unit_keys[e]
            weight = unit_weights[e]
            lo_k, hi_k = key_start[key], key_start[key + 1]
            if lo_k == hi_k:
                continue
            # First posting at or after the window's low column.
            left, right = lo_k, hi_k
            while left < right:
                mid = (left + right) // 2
                if key_cols[mid] < low[r]:
                    left = mid + 1
                else:
                    right = mid
            for q in range(left, hi_k):
                col = key_cols[q]
                if col > high[r]:
                    break
                prefix[base + 1 + col - low[r]] += min(weight, key_weights[q])
        for q in range(base + 1, offset[r + 1]):
            prefix[q] += prefix[q - 1]
    return offset, prefix


@njit(cache=True)
def unit_mass(start: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Prefix sums over units of each unit's summed key weight (CSR ``start``, ``weights``),
    added in the order numpy's ``bincount`` and ``cumsum`` add them, so the sums are the same."""
    units = start.shape[0] - 1
    prefix = np.zeros(units + 1)
    total = 0.0
    for u in range(units):
        own = 0.0
        for e in range(start[u], start[u + 1]):
            own += weights[e]
        total += own
        prefix[u + 1] = total
    return prefix


@njit(cache=True)
def key_postings(
    start: np.ndarray, ids: np.ndarray, weights: np.ndarray, vocabulary: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The units' keys (CSR by unit) turned into postings by key (CSR by key: the units that have
    it, ascending, and their weights); a counting sort, since a unit holds each key once."""
    key_start = np.zeros(vocabulary + 1, dtype=np.int64)
    for e in range(ids.shape[0]):
        if ids[e] < 0 or ids[e] >= vocabulary:
            raise ValueError("a key id outside the vocabulary")
        key_start[ids[e] + 1] += 1
    for k in range(vocabulary):
        key_start[k + 1] += key_start[k]
    fill = key_start[:-1].copy()
    owners = np.empty(ids.shape[0], dtype=np.int64)
    posted = np.empty(ids.shape[0])
    for u in range(start.shape[0] - 1):
        for e in range(start[u], start[u + 1]):
            q = fill[ids[e]]
            owners[q] = u
            posted[q] = weights[e]
            fill[ids[e]] = q + 1
    return key_start, owners, posted


@njit(cache=True)
def posterior_search(
    p: CostArrays, low: np.ndarray, high: np.ndarray, offset: np.ndarray, m: int, guard: int
) -> tuple[float, np.ndarray, np.ndarray]:
    """``cost_table``, the forward and backward passes, ``trace`` and ``edge_mass`` in one call:
    a short text is many small problems, and each call from Python costs more than such a band.
    Returns the forward log-probability of the end cell (-inf: no path in the band), the path
    as ``trace`` gives it and the edge mass per row."""
    table = cost_table(p, low, high, offset)
    choice, forward = forward_pass(table, p.types_a, p.types_b, low, high, offset)
    end = forward[forward.shape[0] - 1]
    if not np.isfinite(end):
        return end, np.zeros((0, 5)), np.zeros(0)
    backward = backward_pass(table, p.types_a, p.types_b, low, high, offset)
    path = trace(table, p.types_a, p.types_b, low, high, offset, choice, forward, backward)
    return end, path, edge_mass(forward, backward, low, high, offset, m, guard)
