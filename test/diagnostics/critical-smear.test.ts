import { cubicalPersistence } from '../../src/persistence/cubical/cubical';
import { BlockSmear } from '../../src/smear/block-smear';
import { criticalSmear, slicedWassersteinTransfer } from '../../src/diagnostics/critical-smear';
import type { CriticalSmearOptions } from '../../src/diagnostics/critical-smear';

/**
 * A 48×48 image with one clear sublevel H1 loop: a dark ring (value 30, radius 14, 5 px wide)
 * broken by a brighter arc (value 110) around angle 0, so that the loop is born when that arc
 * enters (the ring closes there); the inside is a cone peaking at 240 in the centre, so the loop
 * dies when the centre enters. Outside: 200. A small deterministic ripple (±4) adds short bars.
 */
const N = 48;
const C = 23.5; // centre (between pixels 23 and 24)
const R = 14;
function ringImage(): Float32Array {
  const v = new Float32Array(N * N);
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      const dx = x - C;
      const dy = y - C;
      const r = Math.hypot(dx, dy);
      let value: number;
      if (Math.abs(r - R) <= 2.5) value = Math.abs(Math.atan2(dy, dx)) < 0.25 ? 110 : 30;
      else if (r < R) value = 240 - 4 * r;
      else value = 200;
      v[y * N + x] = value + 4 * Math.sin(1.7 * x + 0.3) * Math.cos(2.3 * y + 0.1);
    }
  return v;
}
const shape: [number, number] = [N, N];
const gapCentre = [C, C + R]; // (y, x) of the closing arc
const centre = [C, C];

/** Fraction of the positive mass of `map` within `radius` of (y, x). */
function massNear(map: Float32Array, [cy, cx]: number[], radius: number): number {
  let near = 0;
  let total = 0;
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      const m = map[y * N + x];
      if (m <= 0) continue;
      total += m;
      if (Math.hypot(y - cy, x - cx) <= radius) near += m;
    }
  return near / total;
}

function sum(a: Float32Array): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

describe('criticalSmear', () => {
  const image = ringImage();

  test('the test image has one long H1 bar, born on the closing arc and dying in the centre', () => {
    const [d] = cubicalPersistence(image, shape, { dims: [1] });
    const lives = Array.from(d.births, (b, i) => d.deaths[i] - b);
    const long = lives.map((l, i) => [l, i]).filter(([l]) => l > 50);
    expect(long).toHaveLength(1);
    const i = long[0][1];
    expect(long[0][0]).toBeGreaterThan(100);
    expect(Math.max(...lives.filter((l) => l <= 50))).toBeLessThan(20);
    const at = (cell: number) => [Math.floor(cell / N), cell % N];
    const dist = (p: number[], q: number[]) => Math.hypot(p[0] - q[0], p[1] - q[1]);
    expect(dist(at(d.birthCells[i]), gapCentre)).toBeLessThan(4);
    expect(dist(at(d.deathCells[i]), centre)).toBeLessThan(2);
  });

  const options: CriticalSmearOptions = {
    dim: 1,
    lifetimeRange: [50, Infinity],
    block: 2,
    noise: 15,
    measure: 'simplex',
    samples: 150,
    directions: 20,
    seed: 7,
  };

  test('birth mass on the closing arc, death mass in the centre; masses ≤ 1', () => {
    const progress: number[] = [];
    const smear = criticalSmear(image, shape, { ...options, onProgress: (done, total) => progress.push(done / total) });
    expect(progress).toHaveLength(150);
    expect(progress[149]).toBe(1);
    expect(smear.points).toHaveLength(1);
    const [p] = smear.points;
    expect(p.death - p.birth).toBeGreaterThan(100);
    expect(massNear(p.birthMap, gapCentre, 5)).toBeGreaterThan(0.8);
    expect(massNear(p.deathMap, centre, 4)).toBeGreaterThan(0.8);
    const mb = sum(p.birthMap);
    const md = sum(p.deathMap);
    expect(mb).toBeGreaterThan(0.5); // the loop survives most draws
    expect(mb).toBeLessThanOrEqual(1 + 1e-6);
    expect(md).toBeCloseTo(mb, 5); // the same matching carries both pushes
    expect(Math.min(...p.birthMap, ...p.deathMap)).toBeGreaterThanOrEqual(0);
    // One point: the summaries are its maps.
    expect(smear.birthMap).toEqual(p.birthMap);
    expect(smear.deathMap).toEqual(p.deathMap);
    // Spread over several pixels (blocks and noise), unlike a vanilla gradient.
    expect(p.birthMap.filter((x) => x > 0).length).toBeGreaterThan(4);
  });

  test('noise 0, block 1: exactly one-hot on the point’s own critical cells', () => {
    for (const measure of ['center', 'simplex', 'vertex'] as const) {
      const smear = criticalSmear(image, shape, { dim: 1, block: 1, noise: 0, measure, samples: 3, seed: 1 });
      expect(smear.points.length).toBeGreaterThan(10); // default range: every finite point
      const birthSum = new Float32Array(N * N);
      const [d] = cubicalPersistence(image, shape, { dims: [1] });
      for (const p of smear.points) {
        // Exactly 1 on the point's own cell, exactly 0 elsewhere.
        expect(p.birthMap[p.birthCell]).toBe(1);
        expect(p.deathMap[p.deathCell]).toBe(1);
        expect(sum(p.birthMap)).toBe(1);
        expect(sum(p.deathMap)).toBe(1);
        expect(Math.min(...p.birthMap, ...p.deathMap)).toBe(0);
        birthSum[p.birthCell] += 1;
        expect(image[p.birthCell]).toBe(p.birth);
        expect(image[p.deathCell]).toBe(p.death);
        expect(d.birthCells).toContain(p.birthCell);
      }
      expect(smear.birthMap).toEqual(birthSum);
      // Points in increasing (birth, death) order.
      for (let k = 1; k < smear.points.length; k++) {
        const a = smear.points[k - 1];
        const b = smear.points[k];
        expect(a.birth < b.birth || (a.birth === b.birth && a.death <= b.death)).toBe(true);
      }
    }
  });

  test('center measure, noise 0, block 2: the push spreads evenly over one block', () => {
    const smear = criticalSmear(image, shape, { ...options, measure: 'center', noise: 0, samples: 2 });
    const [p] = smear.points;
    // f_ω is the same plain 2×2 average in both draws: the transferred weight (some directions may
    // send the point to the diagonal) is shared equally by the 4 pixels of one block.
    const support = Array.from(p.birthMap.keys()).filter((i) => p.birthMap[i] > 0);
    expect(support).toHaveLength(4);
    const [y0, x0] = [Math.floor(support[0] / N), support[0] % N];
    expect(support).toEqual([y0 * N + x0, y0 * N + x0 + 1, (y0 + 1) * N + x0, (y0 + 1) * N + x0 + 1]);
    expect((y0 % 2) + (x0 % 2)).toBe(0);
    const mass = sum(p.birthMap);
    expect(mass).toBeGreaterThan(0.5);
    expect(mass).toBeLessThanOrEqual(1);
    for (const i of support) expect(p.birthMap[i]).toBeCloseTo(mass / 4, 6);
  });

  test('partial blocks and the vertex measure: pushes stay on one element per block, masses ≤ 1', () => {
    const odd = new Float32Array(45 * 47);
    for (let y = 0; y < 45; y++) for (let x = 0; x < 47; x++) odd[y * 47 + x] = image[y * N + x];
    const smear = criticalSmear(odd, [45, 47], { ...options, block: [4, 3], measure: 'vertex', samples: 40 });
    expect(smear.points).toHaveLength(1);
    const [p] = smear.points;
    expect(sum(p.birthMap)).toBeLessThanOrEqual(1 + 1e-6);
    expect(sum(p.deathMap)).toBeCloseTo(sum(p.birthMap), 5);
    // 'vertex' puts every push on one pixel with weight count/(M·samples): multiples of 1/800.
    for (const x of p.birthMap) expect(Math.abs(x * 800 - Math.round(x * 800))).toBeLessThan(1e-3);
  });

  test('the pull-back through ω agrees with BlockSmear.unspool', () => {
    // Follow every finite point with a single sample; recompute the pulled-back maps with a direct
    // unspool of the same draw (same seed) and the public transfer weights.
    const opts = {
      dim: 1,
      block: [3, 5],
      noise: 10,
      measure: 'uniform-normalized' as const,
      samples: 1,
      seed: 11,
      directions: 7,
    };
    const odd = image.subarray(0, 47 * N);
    const oddShape: [number, number] = [47, N];
    const smear = criticalSmear(odd, oddShape, opts);
    const approx = new BlockSmear({
      block: opts.block,
      noise: opts.noise,
      measure: opts.measure,
      seed: opts.seed,
    }).sample(odd, oddShape);
    const finite = (values: Float32Array, s: number[]) => {
      const [d] = cubicalPersistence(values, s, { dims: [1] });
      const idx = Array.from(d.births.keys())
        .filter((i) => d.deathCells[i] !== -1)
        .sort((a, b) => d.births[a] - d.births[b] || d.deaths[a] - d.deaths[b]);
      return {
        births: idx.map((i) => d.births[i]),
        deaths: idx.map((i) => d.deaths[i]),
        birthCells: idx.map((i) => d.birthCells[i]),
        deathCells: idx.map((i) => d.deathCells[i]),
      };
    };
    const P = finite(odd, oddShape);
    const Q = finite(approx.values, approx.shape);
    const w = slicedWassersteinTransfer(P, Q, opts.directions);
    expect(smear.points).toHaveLength(P.births.length);
    smear.points.forEach((p, i) => {
      const pooledB = new Float32Array(approx.values.length);
      const pooledD = new Float32Array(approx.values.length);
      for (let q = 0; q < Q.births.length; q++) {
        pooledB[Q.birthCells[q]] += w[i * Q.births.length + q];
        pooledD[Q.deathCells[q]] += w[i * Q.births.length + q];
      }
      const b = new Float32Array(odd.length);
      const d = new Float32Array(odd.length);
      approx.unspool(pooledB, b, 1);
      approx.unspool(pooledD, d, 1);
      let err = 0;
      for (let k = 0; k < odd.length; k++)
        err = Math.max(err, Math.abs(p.birthMap[k] - b[k]), Math.abs(p.deathMap[k] - d[k]));
      expect(err).toBeLessThan(1e-6);
    });
  });

  test('deterministic for a seed; another seed differs', () => {
    const a = criticalSmear(image, shape, { ...options, samples: 20 });
    const b = criticalSmear(image, shape, { ...options, samples: 20 });
    const c = criticalSmear(image, shape, { ...options, samples: 20, seed: 8 });
    expect(b.birthMap).toEqual(a.birthMap);
    expect(b.deathMap).toEqual(a.deathMap);
    expect(c.birthMap).not.toEqual(a.birthMap);
  });

  test('no selected point: empty list and zero maps', () => {
    const smear = criticalSmear(image, shape, { ...options, lifetimeRange: [1000, Infinity] });
    expect(smear.points).toEqual([]);
    expect(sum(smear.birthMap)).toBe(0);
    expect(sum(smear.deathMap)).toBe(0);
  });

  test('superlevel filtration of the negated image gives the same smear (noise 0)', () => {
    // Superlevel persistence of −f equals sublevel persistence of f with signs flipped.
    const neg = image.map((x) => -x);
    const s = criticalSmear(neg, shape, { ...options, noise: 0, superlevel: true, samples: 20 });
    const t = criticalSmear(image, shape, { ...options, noise: 0, samples: 20 });
    expect(s.points).toHaveLength(1);
    expect(s.points[0].birth).toBe(-t.points[0].birth);
    expect(s.points[0].birthCell).toBe(t.points[0].birthCell);
    expect(s.birthMap).toEqual(t.birthMap);
  });

  test('validation errors name the option', () => {
    const bad = (o: Partial<CriticalSmearOptions> | null, re: RegExp) =>
      expect(() =>
        criticalSmear(image, shape, o === null ? (null as never) : ({ ...options, ...o } as CriticalSmearOptions)),
      ).toThrow(re);
    bad(null, /^options:/);
    bad({ dim: 2 }, /options\.dim/);
    bad({ dim: 0.5 }, /options\.dim/);
    bad({ lifetimeRange: [5, 1] }, /options\.lifetimeRange/);
    bad({ lifetimeRange: [NaN, 1] }, /options\.lifetimeRange/);
    bad({ lifetimeRange: [1] as never }, /options\.lifetimeRange/);
    bad({ block: 0 }, /options\.block/);
    bad({ block: 49 }, /options\.block/);
    bad({ block: [2, 2, 2] }, /^options\.block: expected one block size per axis of shape \[/);
    bad({ block: undefined }, /options\.block/);
    bad({ noise: -1 }, /options\.noise/);
    bad({ noise: undefined }, /options\.noise/);
    bad({ measure: 'gauss' as never }, /options\.measure/);
    bad({ seed: 1.5 }, /options\.seed/);
    bad({ samples: 0 }, /options\.samples/);
    bad({ directions: 2.5 }, /options\.directions/);
    bad({ construction: 'X' as never }, /options\.construction/);
    bad({ superlevel: 1 as never }, /options\.superlevel/);
    bad({ onProgress: 3 as never }, /options\.onProgress/);
    expect(() => criticalSmear(image, [N, N + 1], options)).toThrow(/^values:/);
    expect(() => criticalSmear(Array.from(image) as never, shape, options)).toThrow(/^values:/);
    expect(() => criticalSmear(image, [N * N] as never, options)).toThrow(/^shape:/);
  });
});

describe('slicedWassersteinTransfer', () => {
  test('a diagram is matched to itself in every direction', () => {
    const d = { births: [0, 1, 5, 2], deaths: [10, 3, 6, 9] };
    const w = slicedWassersteinTransfer(d, d, 20);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(w[i * 4 + j]).toBe(i === j ? 1 : 0);
  });

  test('a far point goes to the far point; a short bar against nothing goes to the diagonal', () => {
    const w = slicedWassersteinTransfer({ births: [0, 4], deaths: [100, 4.5] }, { births: [3], deaths: [97] }, 20);
    expect(w[0]).toBe(1);
    expect(w[1]).toBe(0);
    expect(slicedWassersteinTransfer({ births: [0], deaths: [1] }, { births: [], deaths: [] }, 5)).toEqual(
      new Float64Array(0),
    );
  });

  test('partial transfer: a weight strictly between 0 and 1 for a borderline point', () => {
    // A point midway between a diagram point and the diagonal is matched to each in some directions.
    const w = slicedWassersteinTransfer({ births: [0], deaths: [2] }, { births: [1.2], deaths: [2.8] }, 20);
    expect(w[0]).toBeGreaterThan(0);
    expect(w[0]).toBeLessThan(1);
    expect(Number.isInteger(w[0] * 20)).toBe(true);
  });

  test('validation', () => {
    expect(() => slicedWassersteinTransfer({ births: [0], deaths: [Infinity] }, { births: [], deaths: [] })).toThrow(
      /from: point 0/,
    );
    expect(() => slicedWassersteinTransfer({ births: [0], deaths: [] }, { births: [], deaths: [] })).toThrow(/from:/);
    expect(() => slicedWassersteinTransfer({ births: [], deaths: [] }, { births: [], deaths: [] }, 0)).toThrow(
      /directions/,
    );
  });

  test('lifetimeRange takes null for an unbounded end, as the functionals do', () => {
    const ring = Float32Array.of(0, 0, 0, 0, 1, 0, 0, 0, 0);
    const o = { dim: 1, block: 1, noise: 0.1, samples: 5, seed: 1 };
    const plain = criticalSmear(ring, [3, 3], o);
    expect(criticalSmear(ring, [3, 3], { ...o, lifetimeRange: [0, null] }).deathMap).toEqual(plain.deathMap);
    expect(criticalSmear(ring, [3, 3], { ...o, lifetimeRange: [null, null] }).deathMap).toEqual(plain.deathMap);
    expect(criticalSmear(ring, [3, 3], { ...o, lifetimeRange: [0, Infinity] }).deathMap).toEqual(plain.deathMap);
    expect(criticalSmear(ring, [3, 3], { ...o, lifetimeRange: [1, null] }).points).toHaveLength(0);
    expect(() => criticalSmear(ring, [3, 3], { ...o, lifetimeRange: [null, 'a' as never] })).toThrow(
      /^options\.lifetimeRange: expected \[lo, hi\], two numbers \(null: unbounded\), got \[null, 'a'\]/,
    );
  });

  test("a block larger than the image names options.block and the shape, not BlockSmear's x", () => {
    const ring = Float32Array.of(0, 0, 0, 0, 1, 0, 0, 0, 0);
    expect(() => criticalSmear(ring, [3, 3], { dim: 1, block: 4, noise: 0 })).toThrow(
      'options.block: block size 4 along axis 0 is larger than the size 3 of shape [3, 3]',
    );
    expect(() => criticalSmear(ring, [3, 3], { dim: 1, block: [1, 4], noise: 0 })).toThrow(
      'options.block: block size 4 along axis 1 is larger than the size 3 of shape [3, 3]',
    );
  });
});
