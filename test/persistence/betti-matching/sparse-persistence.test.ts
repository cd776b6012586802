import { CubicalPersistence } from '../../../src/persistence/cubical/cubical';
import { PersistenceDiagram } from '../../../src/persistence/diagram';
import {
  sparseCubicalPersistence,
  SparseCubicalPersistence,
} from '../../../src/persistence/betti-matching/sparse-persistence';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// The persistence of the cells a threshold keeps against the dense cubical engine (V construction,
// itself checked against GUDHI and a brute force) on the same input with every entry that does not
// pass set to the floor: the (birth, death) values are the same multiset, a class the kept cells
// leave alive dying at the floor, and every cell named carries its value bit for bit.

/** A diagram's pairs as sorted "birth death" strings. */
const pairsOf = (d: PersistenceDiagram) => Array.from(d.births, (b, i) => `${b} ${d.deaths[i]}`).sort();

function draw(random: () => number, size: number, kind: number): Float64Array {
  return Float64Array.from({ length: size }, () =>
    kind === 0 ? randomInt(random, 5) / 4 : kind === 1 ? +(random() < 0.6) : Math.fround(random()),
  );
}

describe.each([[[7, 8]], [[16, 16]], [[4, 5, 6]], [[7, 7, 7]]])('sparse persistence on %j', (shape) => {
  const size = shape.reduce((a, b) => a * b, 1);
  for (const superlevel of [false, true])
    test(superlevel ? 'superlevel' : 'sublevel', () => {
      const random = mulberry32(size + (superlevel ? 1 : 0));
      const engines = new Map<number, SparseCubicalPersistence>();
      const dense = new CubicalPersistence(shape, { construction: 'V', superlevel });
      let floorDeaths = 0;
      for (let call = 0; call < 30; call++) {
        const values = draw(random, size, call % 3);
        const threshold = [0.05, 0.25, 0.5, 0.75, 0.95][randomInt(random, 5)];
        const engine = engines.get(threshold) ?? new SparseCubicalPersistence(shape, { superlevel, threshold });
        engines.set(threshold, engine);
        const sign = superlevel ? -1 : 1;
        const passes = (v: number) => sign * v <= sign * threshold;
        if (!values.some(passes)) continue; // nothing kept: no pairs (the dense engine has its essential class)
        // The floor strictly beyond every kept value, so that the dense order puts the kept cells first.
        const floor = superlevel ? Math.min(...values) - 1 : Math.max(...values) + 1;
        const clamped = values.map((v) => (passes(v) ? v : floor));
        const result = engine.compute(clamped);
        expect(result.floor).toBe(superlevel ? Math.min(...clamped) : Math.max(...clamped));
        expect(result.kept).toBe(values.filter(passes).length);
        const reference = dense.compute(clamped);
        for (let dim = 0; dim < shape.length; dim++) {
          const d = result.diagrams[dim];
          expect(pairsOf(d)).toEqual(pairsOf(reference[dim]));
          d.births.forEach((b, i) => {
            expect(clamped[d.birthCells[i]]).toBe(b);
            if (d.deathCells[i] >= 0) expect(clamped[d.deathCells[i]]).toBe(d.deaths[i]);
            else floorDeaths += d.deaths[i] === floor ? 1 : 0;
          });
        }
      }
      expect(floorDeaths).toBeGreaterThan(0);
    });
});

test('flat at the floor outside the kept cells, the input itself gives the dense diagrams', () => {
  // Rings and shells of ≈ 1 around cores of ≈ 0.5 on a background at exactly 0: kept above 0.25.
  const random = mulberry32(3);
  for (const shape of [
    [20, 20],
    [10, 10, 20],
  ]) {
    const size = shape.reduce((a, b) => a * b, 1);
    const centers =
      shape.length === 2
        ? [
            [6, 6],
            [13, 12],
          ]
        : [
            [4, 4, 4],
            [5, 5, 14],
          ];
    const values = Float32Array.from({ length: size }, (_, i) => {
      const c = shape.map((_, a) => Math.floor(i / shape.slice(a + 1).reduce((x, y) => x * y, 1)) % shape[a]);
      const d = Math.min(...centers.map((m) => Math.max(...c.map((x, a) => Math.abs(x - m[a])))));
      return d === 3 ? 1 - 0.05 * random() : d < 3 ? 0.5 + 0.05 * random() : 0;
    });
    const { diagrams, floor, kept } = sparseCubicalPersistence(values, shape, { threshold: 0.25, superlevel: true });
    expect(floor).toBe(0);
    expect(kept).toBeLessThan(size / 2);
    const reference = new CubicalPersistence(shape, { construction: 'V', superlevel: true }).compute(values);
    diagrams.forEach((d, dim) => expect(pairsOf(d)).toEqual(pairsOf(reference[dim])));
    // The two loops or cavities, born on the rings, dying in the cores (the rest: noise).
    const top = diagrams[shape.length - 1];
    expect(top.births.filter((b, i) => b - top.deaths[i] > 0.3).length).toBe(2);
  }
});

test('errors name the argument', () => {
  const ok = new Float32Array(6);
  expect(() => sparseCubicalPersistence(ok, [2, 3], {} as never)).toThrow(
    'options.threshold: expected a finite number, got undefined',
  );
  expect(() => sparseCubicalPersistence(ok, [2, 3], { threshold: 0, dims: [0] } as never)).toThrow('options.dims');
  expect(() => sparseCubicalPersistence(ok, [6], { threshold: 0 })).toThrow('shape: expected 2 or 3 axes');
  expect(() => sparseCubicalPersistence(new Float32Array(5), [2, 3], { threshold: 0 })).toThrow(
    'values: expected length 6',
  );
  expect(() => sparseCubicalPersistence(Float32Array.of(0, NaN, 0, 0, 0, 0), [2, 3], { threshold: 0 })).toThrow(
    'values: expected finite numbers, got NaN at index 1',
  );
});
