import { FIXTURES } from '../reference/fixtures';
import * as fs from 'fs';
import * as path from 'path';
import { DiagramMatching, matchDiagrams, matchWith, MAX_MATCHING_SIZE } from '../../src/ops/matching';
import { denseMatchDiagrams } from '../reference/dense-matching';
import { mulberry32, randomInt } from '../reference/mulberry32';

// The matching must be optimal (brute force on tiny diagrams, GUDHI on small ones, the former dense
// O((n + m)³) solver in test/reference/ up to hundreds of points) and must be what it claims: a
// valid partial matching whose cost, recomputed here independently, is `cost`.

/** L_q distance between (x1, y1) and (x2, y2), written out independently of the library. */
function distance(x1: number, y1: number, x2: number, y2: number, q: number): number {
  const dx = Math.abs(x1 - x2);
  const dy = Math.abs(y1 - y2);
  return q === Infinity ? Math.max(dx, dy) : Math.pow(Math.pow(dx, q) + Math.pow(dy, q), 1 / q);
}

/** Cost of sending (b, d) to its closest diagonal point ((b + d) / 2, (b + d) / 2). */
function diagonalCost(b: number, d: number, p: number, q: number): number {
  const c = (b + d) / 2;
  return Math.pow(distance(b, d, c, c, q), p);
}

function pairCost(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, p: number, q: number): number {
  return Math.pow(distance(a[2 * i], a[2 * i + 1], b[2 * j], b[2 * j + 1], q), p);
}

/** Checks that the partners form a partial matching and returns its cost. */
function matchingCost(a: ArrayLike<number>, b: ArrayLike<number>, r: DiagramMatching, p: number, q: number): number {
  const n = a.length / 2;
  const m = b.length / 2;
  expect(r.partnerOfA).toHaveLength(n);
  expect(r.partnerOfB).toHaveLength(m);
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const j = r.partnerOfA[i];
    if (j < 0) {
      expect(j).toBe(-1);
      cost += diagonalCost(a[2 * i], a[2 * i + 1], p, q);
    } else {
      expect(j).toBeLessThan(m);
      expect(r.partnerOfB[j]).toBe(i);
      cost += pairCost(a, i, b, j, p, q);
    }
  }
  for (let j = 0; j < m; j++) {
    const i = r.partnerOfB[j];
    if (i < 0) {
      expect(i).toBe(-1);
      cost += diagonalCost(b[2 * j], b[2 * j + 1], p, q);
    } else {
      expect(r.partnerOfA[i]).toBe(j);
    }
  }
  return cost;
}

/** Minimum over every partial matching, by enumeration (A's points in order, each to the diagonal or a free B point). */
function bruteForceCost(a: ArrayLike<number>, b: ArrayLike<number>, p: number, q: number): number {
  const n = a.length / 2;
  const m = b.length / 2;
  const used = new Array<boolean>(m).fill(false);
  let best = Infinity;
  const visit = (i: number, acc: number): void => {
    if (i === n) {
      let total = acc;
      for (let j = 0; j < m; j++) if (!used[j]) total += diagonalCost(b[2 * j], b[2 * j + 1], p, q);
      best = Math.min(best, total);
      return;
    }
    visit(i + 1, acc + diagonalCost(a[2 * i], a[2 * i + 1], p, q));
    for (let j = 0; j < m; j++) {
      if (used[j]) continue;
      used[j] = true;
      visit(i + 1, acc + pairCost(a, i, b, j, p, q));
      used[j] = false;
    }
  };
  visit(0, 0);
  return best;
}

/** A random diagram of `size` points (birth ≤ death); integer values make many cost ties. */
function randomDiagram(random: () => number, size: number, integer: boolean): Float64Array {
  const x = new Float64Array(2 * size);
  for (let i = 0; i < size; i++) {
    const birth = integer ? randomInt(random, 5) : random() * 2 - 1;
    x[2 * i] = birth;
    x[2 * i + 1] = birth + (integer ? randomInt(random, 4) : random());
  }
  return x;
}

function expectClose(actual: number, expected: number, relative = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

describe('matchDiagrams: optimal against brute force on tiny diagrams', () => {
  const orders: Array<[number, number]> = [];
  for (const p of [1, 2, 3]) for (const q of [1, 2, Infinity]) orders.push([p, q]);
  orders.push([1.5, 3]);

  test.each(orders)('p = %p, q = %p', (p, q) => {
    const random = mulberry32(1000 * p + (q === Infinity ? 99 : q));
    for (let k = 0; k < 150; k++) {
      const integer = k % 2 === 0;
      const a = randomDiagram(random, randomInt(random, 5), integer);
      const b = randomDiagram(random, randomInt(random, 5), integer);
      const r = matchDiagrams(a, b, { p, internalP: q });
      const brute = bruteForceCost(a, b, p, q);
      if (Math.abs(r.cost - brute) > 1e-9 * Math.max(1, brute)) {
        throw new Error(`a [${Array.from(a)}] b [${Array.from(b)}]: cost ${r.cost}, brute force ${brute}`);
      }
      expectClose(matchingCost(a, b, r, p, q), r.cost);
    }
  });
});

interface FixtureCase {
  a: number[];
  b: number[];
  distances: Array<{ p: number; q: number | 'inf'; distance: number }>;
}

describe('matchDiagrams: equals GUDHI 3.7.1 wasserstein_distance (POT backend)', () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'matching.json'), 'utf8')) as {
    cases: FixtureCase[];
  };

  test('fixture has cases', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(20);
  });

  test.each(fixture.cases.map((c, k) => [k, c] as const))('case %i', (_k, c) => {
    for (const { p, q: qSpec, distance: expected } of c.distances) {
      const q = qSpec === 'inf' ? Infinity : qSpec;
      const r = matchDiagrams(c.a, c.b, { p, internalP: q });
      expectClose(Math.pow(r.cost, 1 / p), expected);
      expectClose(matchingCost(c.a, c.b, r, p, q), r.cost);
    }
  });
});

describe('matchDiagrams: edge cases', () => {
  test('defaults are p = 2 and q = Infinity', () => {
    const a = [0, 4];
    const b = [1, 2];
    // (0, 4) ↔ (1, 2): max(1, 2)² = 4; both to the diagonal: 2² + 0.5² = 4.25.
    const r = matchDiagrams(a, b);
    expect(r.cost).toBe(4);
    expect(Array.from(r.partnerOfA)).toEqual([0]);
    expect(matchDiagrams(a, b, { p: 2, internalP: Infinity })).toEqual(r);
  });

  test('empty vs empty costs 0', () => {
    const r = matchDiagrams([], new Float32Array(0));
    expect(r.cost).toBe(0);
    expect(r.partnerOfA).toHaveLength(0);
    expect(r.partnerOfB).toHaveLength(0);
  });

  test('empty vs non-empty sends every point to the diagonal', () => {
    const b = [0, 1, 2, 5, -1, 3];
    for (const [p, q, expected] of [
      [1, Infinity, 0.5 + 1.5 + 2],
      [2, Infinity, 0.25 + 2.25 + 4],
      [1, 1, 1 + 3 + 4],
      [2, 2, 0.5 + 4.5 + 8],
    ]) {
      const r = matchDiagrams([], b, { p, internalP: q });
      expectClose(r.cost, expected, 1e-12);
      expect(Array.from(r.partnerOfB)).toEqual([-1, -1, -1]);
      const s = matchDiagrams(b, [], { p, internalP: q });
      expect(s.cost).toBe(r.cost);
      expect(Array.from(s.partnerOfA)).toEqual([-1, -1, -1]);
    }
  });

  test('identical diagrams: cost 0 and the identity matching', () => {
    const random = mulberry32(7);
    const a = randomDiagram(random, 40, false);
    for (const q of [1, 2, Infinity]) {
      const r = matchDiagrams(a, Float64Array.from(a), { p: 2, internalP: q });
      expect(r.cost).toBe(0);
      expect(Array.from(r.partnerOfA)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(Array.from(r.partnerOfB)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }
  });

  test('deterministic: the same input gives the same matching, ties included', () => {
    const random = mulberry32(11);
    const a = randomDiagram(random, 60, true);
    const b = randomDiagram(random, 50, true);
    expect(matchDiagrams(a, b, { p: 1 })).toEqual(matchDiagrams(Array.from(a), Array.from(b), { p: 1 }));
  });

  test('bad input throws an Error naming the argument', () => {
    expect(() => matchDiagrams([0, 1, 2], [])).toThrow(/^a: .*odd length 3/);
    expect(() => matchDiagrams([], [0])).toThrow(/^b: .*odd length 1/);
    expect(() => matchDiagrams([0, NaN], [])).toThrow(/^a: expected finite values, got NaN at index 1/);
    expect(() => matchDiagrams([], [0, Infinity])).toThrow(/^b: expected finite values, got Infinity/);
    expect(() => matchDiagrams([-Infinity, 0], [])).toThrow(/^a: expected finite values/);
    expect(() => matchDiagrams([0, 1], [0, 1], { p: 0.5 })).toThrow(
      /^options\.p: expected a finite number ≥ 1, got 0\.5/,
    );
    expect(() => matchDiagrams([0, 1], [0, 1], { p: NaN })).toThrow(/^options\.p:/);
    expect(() => matchDiagrams([0, 1], [0, 1], { p: Infinity })).toThrow(/^options\.p:/);
    expect(() => matchDiagrams([0, 1], [0, 1], { internalP: 0.5 })).toThrow(/^options\.internalP: .*got 0\.5/);
    expect(() => matchDiagrams([0, 1], [0, 1], { internalP: NaN })).toThrow(/^options\.internalP:/);
  });

  test('more candidate pairs than the memory limit is an Error that says what to do', () => {
    expect(MAX_MATCHING_SIZE).toBeGreaterThanOrEqual(2 ** 24);
    const random = mulberry32(5);
    const a = farDiagram(random, 30);
    const b = farDiagram(random, 30);
    const sizes = { allEdges: 64, keptEdges: 24, maxEdges: 100 };
    expect(() => matchWith(a, b, {}, sizes)).toThrow(
      /^matchDiagrams: diagrams of 30 \+ 30 points need more than 100 candidate pairs .*match fewer points/,
    );
    // Points on the diagonal have no candidate pair: any number of them is fine.
    expect(() => matchWith(new Float64Array(2 * 5000), new Float64Array(2 * 5000), {}, sizes)).not.toThrow();
  });
});

/** Points uniform in [0, 1] × [2, 3]: far from the diagonal, nearly every pair a candidate. */
function farDiagram(random: () => number, size: number): Float64Array {
  const x = new Float64Array(2 * size);
  for (let i = 0; i < size; i++) {
    x[2 * i] = random();
    x[2 * i + 1] = 2 + random();
  }
  return x;
}

/**
 * A random diagram of one of four kinds: integer points (heavy ties, repeated points); a mix of
 * points near the diagonal and far from it; all far; a mix on a coarse grid (ties and near/far).
 */
function mixedDiagram(random: () => number, size: number, kind: number): Float64Array {
  const x = new Float64Array(2 * size);
  for (let i = 0; i < size; i++) {
    let birth: number;
    let life: number;
    if (kind === 0) {
      birth = randomInt(random, 5);
      life = randomInt(random, 4);
    } else if (kind === 1) {
      birth = random() * 2 - 1;
      life = random() < 0.5 ? random() * 0.05 : 0.5 + random();
    } else if (kind === 2) {
      birth = random();
      life = 1 + random();
    } else {
      birth = randomInt(random, 3) * 0.5;
      life = random() < 0.7 ? randomInt(random, 2) * 0.25 : 2 + randomInt(random, 3);
    }
    x[2 * i] = birth;
    x[2 * i + 1] = birth + life;
  }
  return x;
}

/** The solver's code paths: the defaults, and restricted first graphs that take many checks and warm restarts. */
const VARIANTS: Array<[string, (a: Float64Array, b: Float64Array, p: number, q: number) => DiagramMatching]> = [
  ['matchDiagrams', (a, b, p, q) => matchDiagrams(a, b, { p, internalP: q })],
  ['1 kept edge', (a, b, p, q) => matchWith(a, b, { p, internalP: q }, { allEdges: 0, keptEdges: 1, maxEdges: 1e9 })],
  ['3 kept edges', (a, b, p, q) => matchWith(a, b, { p, internalP: q }, { allEdges: 0, keptEdges: 3, maxEdges: 1e9 })],
];
const ORDERS: Array<[number, number]> = [];
for (const p of [1, 2, 3.5]) for (const q of [1, 2, Infinity]) ORDERS.push([p, q]);

describe('matchDiagrams: optimal on random diagrams with ties, near and far points', () => {
  test.each(ORDERS)('p = %p, q = %p: brute force, up to 5 points a side', (p, q) => {
    const random = mulberry32(7000 + 10 * p + (q === Infinity ? 9 : q));
    for (let k = 0; k < 120; k++) {
      const kind = k % 4;
      const a = mixedDiagram(random, randomInt(random, 6), kind);
      const b = mixedDiagram(random, randomInt(random, 6), kind);
      const brute = bruteForceCost(a, b, p, q);
      for (const [name, match] of VARIANTS) {
        const r = match(a, b, p, q);
        if (Math.abs(r.cost - brute) > 1e-9 * Math.max(1, brute)) {
          throw new Error(`${name}: a [${Array.from(a)}] b [${Array.from(b)}]: cost ${r.cost}, brute force ${brute}`);
        }
        expectClose(matchingCost(a, b, r, p, q), r.cost);
      }
    }
  });

  test.each(ORDERS)('p = %p, q = %p: the dense solver, up to 40 points a side', (p, q) => {
    const random = mulberry32(8000 + 10 * p + (q === Infinity ? 9 : q));
    for (let k = 0; k < 60; k++) {
      const kind = k % 4;
      const a = mixedDiagram(random, randomInt(random, 41), kind);
      const b = mixedDiagram(random, randomInt(random, 41), kind);
      const dense = denseMatchDiagrams(a, b, { p, internalP: q }).cost;
      for (const [name, match] of VARIANTS) {
        const r = match(a, b, p, q);
        if (Math.abs(r.cost - dense) > 1e-9 * Math.max(1, dense)) {
          throw new Error(`${name}: a [${Array.from(a)}] b [${Array.from(b)}]: cost ${r.cost}, dense ${dense}`);
        }
        expectClose(matchingCost(a, b, r, p, q), r.cost);
      }
    }
  });

  test('swapping the diagrams keeps the cost (the smaller diagram gives the rows)', () => {
    const random = mulberry32(21);
    for (let k = 0; k < 40; k++) {
      const a = mixedDiagram(random, randomInt(random, 30), k % 4);
      const b = mixedDiagram(random, randomInt(random, 30), k % 4);
      const r = matchDiagrams(a, b, { p: 2 });
      const s = matchDiagrams(b, a, { p: 2 });
      expectClose(s.cost, r.cost, 1e-12);
      expectClose(matchingCost(b, a, s, 2, Infinity), s.cost);
    }
  });

  test('deterministic with the restricted graph too', () => {
    const random = mulberry32(12);
    const a = mixedDiagram(random, 80, 3);
    const b = mixedDiagram(random, 70, 3);
    const sizes = { allEdges: 0, keptEdges: 2, maxEdges: 1e9 };
    expect(matchWith(a, b, { p: 1 }, sizes)).toEqual(matchWith(Array.from(a), Array.from(b), { p: 1 }, sizes));
  });
});

describe('matchDiagrams: medium diagrams against the dense solver', () => {
  test.each([
    ['near and far points', 1],
    ['all far from the diagonal', 2],
  ])(
    '600 vs 600, %s',
    (_name, kind) => {
      const random = mulberry32(600 + kind);
      const a = mixedDiagram(random, 600, kind);
      const b = mixedDiagram(random, 600, kind);
      for (const [p, q] of [
        [2, Infinity],
        [1, 2],
      ]) {
        const r = matchDiagrams(a, b, { p, internalP: q });
        expectClose(r.cost, denseMatchDiagrams(a, b, { p, internalP: q }).cost);
        expectClose(matchingCost(a, b, r, p, q), r.cost);
      }
    },
    60000,
  );

  test('300 vs 700 far points (the larger side as columns)', () => {
    const random = mulberry32(307);
    const a = farDiagram(random, 700);
    const b = farDiagram(random, 300);
    const r = matchDiagrams(a, b, { p: 2 });
    expectClose(r.cost, denseMatchDiagrams(a, b, { p: 2 }).cost);
    expectClose(matchingCost(a, b, r, 2, Infinity), r.cost);
  }, 60000);
});

describe('matchDiagrams: large diagrams', () => {
  /** Each A point takes the cheapest of the diagonal and the free B points; a valid matching, so an upper bound. */
  function greedyCost(a: Float64Array, b: Float64Array, p: number, q: number): number {
    const n = a.length / 2;
    const m = b.length / 2;
    const used = new Uint8Array(m);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let best = diagonalCost(a[2 * i], a[2 * i + 1], p, q);
      let bestJ = -1;
      for (let j = 0; j < m; j++) {
        if (used[j]) continue;
        const c = pairCost(a, i, b, j, p, q);
        if (c < best) {
          best = c;
          bestJ = j;
        }
      }
      if (bestJ >= 0) used[bestJ] = 1;
      total += best;
    }
    for (let j = 0; j < m; j++) if (!used[j]) total += diagonalCost(b[2 * j], b[2 * j + 1], p, q);
    return total;
  }

  test('1500 vs 1500 points: a valid matching no worse than greedy', () => {
    const random = mulberry32(1500);
    const a = randomDiagram(random, 1500, false);
    // B: half of A moved slightly, plus fresh points, so the optimum mixes pairs and diagonal moves.
    const b = randomDiagram(random, 1500, false);
    for (let i = 0; i < 1500; i += 2) {
      b[2 * i] = a[2 * i] + (random() - 0.5) * 0.05;
      b[2 * i + 1] = a[2 * i + 1] + (random() - 0.5) * 0.05;
    }
    const p = 2;
    const q = Infinity;
    const r = matchDiagrams(a, b, { p, internalP: q });
    expectClose(matchingCost(a, b, r, p, q), r.cost);
    expect(r.cost).toBeLessThanOrEqual(greedyCost(a, b, p, q) * (1 + 1e-12));
    expect(r.cost).toBeLessThanOrEqual(greedyCost(b, a, p, q) * (1 + 1e-12));
  }, 60000);

  test('2500 vs 3000 points, most near the diagonal (past the former limit of 4000 in all)', () => {
    const random = mulberry32(4000);
    const noisy = (size: number): Float64Array => {
      const x = new Float64Array(2 * size);
      for (let i = 0; i < size; i++) {
        x[2 * i] = 10 * random();
        x[2 * i + 1] = x[2 * i] + (i % 20 === 0 ? 2 * random() : 0.1 * random() ** 2);
      }
      return x;
    };
    const a = noisy(2500);
    const b = noisy(3000);
    const r = matchDiagrams(a, b, { p: 2 });
    expectClose(matchingCost(a, b, r, 2, Infinity), r.cost);
    expect(r.cost).toBeLessThanOrEqual(greedyCost(a, b, 2, Infinity) * (1 + 1e-12));
  }, 60000);
});
