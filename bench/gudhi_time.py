#!/usr/bin/python3
"""GUDHI baseline for bench/cubical.js: time one cubical persistence case in this (fresh) process.

  /usr/bin/python3 bench/gudhi_time.py IN.npy [--reps 3] [--slow 5] [--diagrams PREFIX] [--khalimsky]
  /usr/bin/python3 bench/gudhi_time.py --baseline

Timed: gudhi.CubicalComplex(top_dimensional_cells=a) + compute_persistence(homology_coeff_field=2)
+ cofaces_of_persistence_pairs() on the array as loaded (T construction, sublevel, all dimensions).
Runs --reps repetitions, or only one when the first takes longer than --slow seconds.
--diagrams PREFIX writes PREFIX<k>.npy (float64, N x 2, death inf for essential classes) per
dimension, after timing and after reading the peak RSS. --khalimsky replaces the array by its
V-construction on the doubled (2n-1) grid (vertices keep their values, every other cube takes the
max of its vertices), whose T-construction persistence equals the V-construction persistence of
the input: that gives the exact V reference which GUDHI 3.7 has no direct option for.
Prints one JSON line: times (s), reps, median, maxrss_kb (resource.getrusage), pair counts.
"""
import argparse, json, resource, statistics, time
import numpy as np
import gudhi


def maxrss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def khalimsky(a):
    d = a.ndim
    g = np.full(tuple(2 * n - 1 for n in a.shape), -np.inf, a.dtype)
    g[tuple(slice(0, None, 2) for _ in range(d))] = a
    for ax in range(d):  # cells odd along ax: max of both sides (earlier axes are already filled)
        odd, lo, hi = ([slice(None)] * d for _ in range(3))
        odd[ax], lo[ax], hi[ax] = slice(1, None, 2), slice(0, -1, 2), slice(2, None, 2)
        g[tuple(odd)] = np.maximum(g[tuple(lo)], g[tuple(hi)])
    return g


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input", nargs="?")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--slow", type=float, default=5.0)
    ap.add_argument("--diagrams")
    ap.add_argument("--khalimsky", action="store_true")
    ap.add_argument("--baseline", action="store_true")
    o = ap.parse_args()
    if o.baseline:
        print(json.dumps({"maxrss_kb": maxrss_kb(), "gudhi": gudhi.__version__, "numpy": np.__version__}))
        return
    a = np.load(o.input)
    if o.khalimsky:
        a = khalimsky(a)
    times = []
    for _ in range(max(1, o.reps)):
        t0 = time.perf_counter()
        cc = gudhi.CubicalComplex(top_dimensional_cells=a)
        cc.compute_persistence(homology_coeff_field=2)
        cc.cofaces_of_persistence_pairs()
        times.append(time.perf_counter() - t0)
        if times[0] > o.slow:
            break
    rss = maxrss_kb()
    pairs = []
    for k in range(a.ndim):
        d = np.asarray(cc.persistence_intervals_in_dimension(k), dtype=np.float64).reshape(-1, 2)
        d = d[d[:, 0] < d[:, 1]]  # zero-length pairs never count
        pairs.append(len(d))
        if o.diagrams:
            np.save("%s%d.npy" % (o.diagrams, k), d)
    print(json.dumps({"times": times, "reps": len(times), "median": statistics.median(times),
                      "maxrss_kb": rss, "pairs": pairs}))


if __name__ == "__main__":
    main()
