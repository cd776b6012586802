import { clDice, dice } from '../../src/metrics/index';

/** A row-major `[h, w]` mask from lines of '#' (foreground) and '.' (background). */
function grid(...rows: string[]): number[] {
  return rows.flatMap((r) => [...r].map((c) => (c === '#' ? 1 : 0)));
}

describe('dice', () => {
  test('hand-worked cases on 2 × 2 maps', () => {
    // P = {0, 1}, L = {0, 2}: |P ∩ L| = 1, |P| = |L| = 2 → 2·1 / (2 + 2) = 0.5.
    expect(dice([1, 1, 0, 0], [1, 0, 1, 0], [1, 2, 2])[0]).toBe(0.5);
    // Probabilities at the default threshold 0.5: P = {0.9, 0.6} → the same P, 0.5.
    expect(dice([0.9, 0.6, 0.4, 0.1], [1, 0, 1, 0], [1, 2, 2])[0]).toBe(0.5);
    // Threshold 0.3: P = {0, 1, 2}, |P ∩ L| = 2 → 2·2 / (3 + 2) = 0.8.
    expect(dice([0.9, 0.6, 0.4, 0.1], [1, 0, 1, 0], [1, 2, 2], { threshold: 0.3 })[0]).toBeCloseTo(0.8, 12);
    // Soft: Σ p·l = 0.9 + 0.4 = 1.3, Σ p = 2, Σ l = 2 → 2.6 / 4 = 0.65.
    expect(dice([0.9, 0.6, 0.4, 0.1], [1, 0, 1, 0], [1, 2, 2], { soft: true })[0]).toBeCloseTo(0.65, 12);
  });

  test('the threshold is strict, empty maps score 1, a batch is scored map by map', () => {
    // 0.5 is not > 0.5: P is empty, L = {0} → 0 / 1 = 0.
    expect(dice([0.5, 0], [1, 0], [1, 1, 2])[0]).toBe(0);
    // Map 0: both empty → 1. Map 1: P = L = {0} → 1. Map 2: P = {0, 1}, L = {1} → 2 / 3.
    const d = dice([0, 0, 1, 0, 1, 1], [0, 0, 1, 0, 0, 1], [3, 1, 2]);
    expect(Array.from(d.subarray(0, 2))).toEqual([1, 1]);
    expect(d[2]).toBeCloseTo(2 / 3, 12);
  });

  test('volumes: [N, D, H, W]', () => {
    // One 2 × 2 × 2 volume: P = 4 voxels, L = 2 of them → 2·2 / (4 + 2) = 2/3.
    const pred = [1, 1, 1, 1, 0, 0, 0, 0];
    const label = [1, 0, 0, 1, 0, 0, 0, 0];
    expect(dice(pred, label, [1, 2, 2, 2])[0]).toBeCloseTo(2 / 3, 12);
  });
});

describe('clDice', () => {
  test('a thin prediction of a thick label: Dice 0.5, clDice 1', () => {
    // L: a 3 × 10 bar (30 px). Its skeleton: the middle row (the north and south layers are
    // peeled; the middle row's inner pixels join their two sides, its ends are line ends).
    // P: that middle row (10 px), its own skeleton.
    // Dice = 2·10 / (10 + 30) = 0.5. Tprec = |S(P) ∩ L| / |S(P)| = 10/10, Tsens = |S(L) ∩ P| / |S(L)| = 10/10.
    const label = grid('..........', '##########', '##########', '##########', '..........');
    const pred = grid('..........', '..........', '##########', '..........', '..........');
    const shape = [1, 5, 10];
    expect(dice(pred, label, shape)[0]).toBe(0.5);
    const c = clDice(pred, label, shape);
    expect([c.precision[0], c.sensitivity[0], c.clDice[0]]).toEqual([1, 1, 1]);
  });

  test('a thick prediction broken by a gap, of a thin label', () => {
    // L: one line of 10 px (its own skeleton). P: a 3-px-thick bar over it, cut at columns 4–5
    // (24 px); each 3 × 4 half thins to its middle row, 4 px, so S(P) is 8 px, all on L.
    // Dice = 2·|P ∩ L| / (|P| + |L|) = 2·8 / (24 + 10) = 8/17.
    // Tprec = 8/8 = 1, Tsens = |S(L) ∩ P| / |S(L)| = 8/10, clDice = 2·1·0.8 / 1.8 = 8/9.
    const label = grid('..........', '..........', '##########', '..........', '..........');
    const pred = grid('..........', '####..####', '####..####', '####..####', '..........');
    const shape = [1, 5, 10];
    expect(dice(pred, label, shape)[0]).toBeCloseTo(8 / 17, 12);
    const c = clDice(pred, label, shape);
    expect(c.precision[0]).toBe(1);
    expect(c.sensitivity[0]).toBeCloseTo(0.8, 12);
    expect(c.clDice[0]).toBeCloseTo(8 / 9, 12);
  });

  test('a false branch lowers the precision', () => {
    // L: a line of 8 px on row 1, its own skeleton. P: L plus a branch of 3 px under column 3
    // (rows 2–4). Thinning P removes one pixel: the junction (1, 3), simple in 8-connectivity
    // since its neighbours (1, 2), (1, 4) and (2, 3) touch diagonally; nothing else is simple but
    // the three line ends. S(P) = 11 − 1 = 10 px, 7 of them on L.
    // Tprec = 7/10, Tsens = |S(L) ∩ P| / |S(L)| = 8/8 = 1, clDice = 2·0.7 / 1.7 = 14/17.
    const label = grid('........', '########', '........', '........', '........');
    const pred = grid('........', '########', '...#....', '...#....', '...#....');
    const c = clDice(pred, label, [1, 5, 8]);
    expect(c.precision[0]).toBeCloseTo(7 / 10, 12);
    expect(c.sensitivity[0]).toBe(1);
    expect(c.clDice[0]).toBeCloseTo(14 / 17, 12);
  });

  test('empty maps: both empty score 1, an empty prediction of a non-empty label 0', () => {
    // Map 0: S(P) and S(L) empty → 0/0 := 1 twice → 1. Map 1: S(P) empty → Tprec 1; Tsens 0/2 → 0; clDice 0.
    // Map 2: P = {0, 1}, L empty: Tprec = 0/2 = 0, Tsens := 1 → 0.
    const c = clDice([0, 0, 0, 0, 1, 1], [0, 0, 1, 1, 0, 0], [3, 1, 2]);
    expect(Array.from(c.clDice)).toEqual([1, 0, 0]);
    expect(Array.from(c.precision)).toEqual([1, 1, 0]);
    expect(Array.from(c.sensitivity)).toEqual([1, 0, 1]);
  });

  test('thresholds probabilities before skeletonizing', () => {
    const label = grid('........', '########', '........');
    const pred = grid('........', '########', '........').map((v) => (v ? 0.7 : 0.2));
    expect(clDice(pred, label, [1, 3, 8]).clDice[0]).toBe(1);
    // At 0.8 nothing is foreground: Tprec := 1, Tsens = 0.
    expect(clDice(pred, label, [1, 3, 8], { threshold: 0.8 }).clDice[0]).toBe(0);
  });

  test('volumes: the skeletons are 3-D thinnings; a one-voxel-wide curve is its own skeleton', () => {
    // A straight line of voxels along x in a 3 × 3 × 6 volume, and a label that covers half of it.
    const pred = Float32Array.from({ length: 54 }, (_, i) =>
      Math.floor(i / 18) === 1 && Math.floor(i / 6) % 3 === 1 ? 1 : 0,
    );
    const label = pred.map((v, i) => (v && i % 6 < 3 ? 1 : 0));
    const parts = clDice(pred, label, [1, 3, 3, 6]);
    // S(P) = P (6 voxels), 3 inside L; S(L) = L (3 voxels), all inside P.
    expect(parts.precision[0]).toBeCloseTo(0.5, 12);
    expect(parts.sensitivity[0]).toBe(1);
    expect(parts.clDice[0]).toBeCloseTo(2 / 3, 12);
  });
});
