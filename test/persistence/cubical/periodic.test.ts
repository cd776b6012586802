import { readFileSync } from 'fs';
import { join } from 'path';
import { cubicalPersistence, CubicalPersistence } from '../../../src/persistence/cubical/cubical';
import { PersistenceDiagram } from '../../../src/persistence/diagram';
import { bruteForcePersistence } from '../../reference/brute-force';
import { canonicalPairs, misplacedCells, valuePairs } from '../../reference/fixtures';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// Periodic cubical complexes (tori, cylinders, slabs): values against GUDHI's PeriodicCubicalComplex
// (test/fixtures/make_periodic_fixtures.py), pairs and critical cells against the textbook reduction.

interface PeriodicFixture {
  name: string;
  shape: number[];
  dtype: 'float32' | 'float64';
  values: number[];
  periodic: boolean[];
  construction: 'T' | 'V';
  filtration: 'sublevel' | 'superlevel';
  diagrams: Record<string, [number, number | null][]>;
}

const fixtures: PeriodicFixture[] = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/periodic/periodic.json'), 'utf8'),
);

describe('periodic cubical complexes vs GUDHI PeriodicCubicalComplex', () => {
  test('the fixtures cover tori, cylinders and slabs in 2-D and 3-D, T and V, both filtrations', () => {
    const kinds = new Set(
      fixtures.map((f) => `${f.shape.length}${f.periodic.every(Boolean)}${f.construction}${f.filtration}`),
    );
    expect(kinds.size).toBe(16);
    expect(fixtures.some((f) => f.shape.some((n, a) => n === 1 && f.periodic[a]))).toBe(true);
  });

  test.each(fixtures.map((f) => ({ f, label: `${f.name} ${f.construction} ${f.filtration}` })))('$label', ({ f }) => {
    const values = f.dtype === 'float32' ? Float32Array.from(f.values) : Float64Array.from(f.values);
    const diagrams = cubicalPersistence(values, f.shape, {
      construction: f.construction,
      superlevel: f.filtration === 'superlevel',
      periodic: f.periodic,
    });
    const torus = f.periodic.every(Boolean);
    expect(diagrams.map((d) => d.dim)).toEqual(Array.from({ length: f.shape.length + (torus ? 1 : 0) }, (_, k) => k));
    for (const d of diagrams) {
      const expected = (f.diagrams[String(d.dim)] ?? []).map(([b, x]) => `${b} ${x === null ? Infinity : x}`).sort();
      expect(valuePairs(d)).toEqual(expected);
      expect(misplacedCells(d, values)).toEqual([]);
    }
  });

  test('a 3-torus has the Betti numbers 1, 3, 3, 1 in essential classes', () => {
    const f = fixtures.find((x) => x.name === 'random-5x4x6-float64-torus')!;
    const diagrams = cubicalPersistence(Float64Array.from(f.values), f.shape, { periodic: [true, true, true] });
    expect(diagrams.map((d) => Array.from(d.deaths).filter((x) => x === Infinity).length)).toEqual([1, 3, 3, 1]);
  });
});

interface Case {
  shape: number[];
  values: Float32Array | Float64Array;
  periodic: boolean[];
  construction: 'T' | 'V';
  superlevel: boolean;
}

/** Tiny random cases, every mix of periodic axes, sizes down to one element on a wrapped axis. */
function randomCases(seed: number, count: number): Case[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, k) => {
    const rank = k % 3 === 2 ? 3 : 2;
    const shape = Array.from({ length: rank }, () => 1 + randomInt(random, rank === 3 ? 4 : 6));
    let periodic = shape.map(() => random() < 0.6);
    if (!periodic.some(Boolean)) periodic = periodic.map((_, a) => a === k % rank);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = k % 4 < 2 ? new Float64Array(size) : new Float32Array(size);
    const ties = k % 2 === 0;
    for (let i = 0; i < size; i++) values[i] = ties ? randomInt(random, 4) : random() * 2 - 1;
    return { shape, values, periodic, construction: k % 8 < 4 ? 'T' : 'V', superlevel: random() < 0.5 };
  });
}

function canonical(diagrams: PersistenceDiagram[]) {
  return diagrams.map((d) => ({ dim: d.dim, pairs: canonicalPairs(d) }));
}

describe('periodic cubical complexes vs brute-force reduction (exact pairs and cells)', () => {
  const cases = randomCases(20261206, 500);

  test.each([false, true])('500 random small inputs, keepZeroLength %s', (keepZeroLength) => {
    const sorted = [...cases].sort((a, b) => a.values.length - b.values.length);
    for (const c of sorted) {
      const options = { construction: c.construction, superlevel: c.superlevel, periodic: c.periodic, keepZeroLength };
      const expected = canonical(bruteForcePersistence(c.values, c.shape, options));
      const actual = canonical(cubicalPersistence(c.values, c.shape, options));
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        throw new Error(
          `mismatch on shape [${c.shape}] periodic [${c.periodic}] ${c.construction} superlevel ${c.superlevel} values [${Array.from(c.values)}]:\n${JSON.stringify({ expected, actual })}`,
        );
    }
  });

  test('one engine reused across inputs gives what fresh engines give', () => {
    const engine = new CubicalPersistence([4, 5], { periodic: [true, false], construction: 'V' });
    const random = mulberry32(7);
    for (let k = 0; k < 20; k++) {
      const values = Float64Array.from({ length: 20 }, () => randomInt(random, 3));
      expect(canonical(engine.compute(values))).toEqual(
        canonical(cubicalPersistence(values, [4, 5], { periodic: [true, false], construction: 'V' })),
      );
    }
  });

  test('all axes bounded takes the box engine and equals the default', () => {
    const values = Float64Array.from({ length: 30 }, (_, i) => (i * 7) % 5);
    expect(canonical(cubicalPersistence(values, [5, 6], { periodic: [false, false] }))).toEqual(
      canonical(cubicalPersistence(values, [5, 6])),
    );
  });
});

describe('periodic: bad options', () => {
  test.each([
    [{ periodic: [true] }, /^options\.periodic: expected 2 booleans, one per axis of the shape, got/],
    [{ periodic: 'xy' }, /^options\.periodic: expected 2 booleans/],
    [{ periodic: [true, 1] }, /^options\.periodic: expected 2 booleans/],
    [
      { periodic: [false, true], dims: [2] },
      /^options\.dims: homology dimension 2 is out of range for a 2-D input \(expected 0\.\.1\)/,
    ],
  ])('%j', (options, message) => {
    expect(() => new CubicalPersistence([3, 4], options as never)).toThrow(message);
  });

  test('a torus has a top dimension', () => {
    const [h2] = cubicalPersistence(Float64Array.of(1, 2, 3, 4), [2, 2], { periodic: [true, true], dims: [2] });
    expect(Array.from(h2.births)).toEqual([4]);
    expect(Array.from(h2.deathCells)).toEqual([-1]);
  });
});
