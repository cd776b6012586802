import { cubicalPersistence } from '../../../src/persistence/cubical/cubical';
import { PersistenceDiagram } from '../../../src/persistence/diagram';
import { bruteForcePersistence } from '../../reference/brute-force';
import { canonicalPairs } from '../../reference/fixtures';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// Property test: the engine's pairs, critical cells included, must equal the textbook reduction
// of the same totally ordered filtration. The pairing of a total order is unique, so any
// difference in a cell index is a bug (in the engine's tie-breaking or its algorithm).

interface Case {
  shape: number[];
  values: Float32Array | Float64Array;
  construction: 'T' | 'V';
  superlevel: boolean;
}

/** Deterministic random cases: tiny shapes, heavy ties or continuous values, both dtypes. */
function randomCases(seed: number, count: number): Case[] {
  const random = mulberry32(seed);
  const cases: Case[] = [];
  for (let k = 0; k < count; k++) {
    const shape =
      k % 3 === 2
        ? [1 + randomInt(random, 4), 1 + randomInt(random, 4), 1 + randomInt(random, 4)]
        : [1 + randomInt(random, 7), 1 + randomInt(random, 7)];
    const size = shape.reduce((a, b) => a * b, 1);
    const ties = k % 2 === 0;
    const values = k % 4 < 2 ? new Float64Array(size) : new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = ties ? randomInt(random, 4) : random() * 2 - 1;
    cases.push({ shape, values, construction: k % 8 < 4 ? 'T' : 'V', superlevel: random() < 0.5 });
  }
  return cases;
}

/** A readable one-line description of a case, for failure messages. */
function describeCase(c: Case): string {
  const filtration = c.superlevel ? 'superlevel' : 'sublevel';
  return `shape [${c.shape}] ${c.values.constructor.name} [${Array.from(c.values)}] ${c.construction} ${filtration}`;
}

function canonical(diagrams: PersistenceDiagram[]) {
  return diagrams.map((d) => ({ dim: d.dim, pairs: canonicalPairs(d) }));
}

/** Runs both on every case and returns the first mismatch (smallest input first), or null. */
function firstMismatch(cases: Case[], options: { keepZeroLength?: boolean } = {}) {
  const sorted = [...cases].sort((a, b) => a.values.length - b.values.length);
  for (const c of sorted) {
    const opts = { construction: c.construction, superlevel: c.superlevel, ...options };
    const expected = canonical(bruteForcePersistence(c.values, c.shape, opts));
    const actual = canonical(cubicalPersistence(c.values, c.shape, opts));
    if (JSON.stringify(actual) !== JSON.stringify(expected)) return { input: describeCase(c), expected, actual };
  }
  return null;
}

describe('cubicalPersistence vs brute-force reduction (exact pairs and cells)', () => {
  const cases = randomCases(12345, 800);

  test('cases cover both constructions, filtrations, dtypes, ranks and tie regimes', () => {
    const kinds = new Set(
      cases.map((c) => `${c.construction}${c.superlevel}${c.shape.length}${c.values.constructor.name}`),
    );
    expect(kinds.size).toBe(16);
  });

  test('800 random small inputs', () => {
    expect(firstMismatch(cases)).toBeNull();
  });

  test('keepZeroLength: zero-length pairs between distinct elements are kept', () => {
    const some = cases.slice(0, 300);
    expect(firstMismatch(some, { keepZeroLength: true })).toBeNull();
    // Integer values guarantee that such pairs exist, so this checks something.
    const zeroLength = some.flatMap((c) =>
      cubicalPersistence(c.values, c.shape, {
        construction: c.construction,
        superlevel: c.superlevel,
        keepZeroLength: true,
      }),
    );
    expect(zeroLength.some((d) => d.births.some((b, i) => b === d.deaths[i]))).toBe(true);
  });

  test('the largest shapes (8×8 and 4×4×4) with ties', () => {
    const random = mulberry32(99);
    const big: Case[] = [];
    for (const shape of [
      [8, 8],
      [4, 4, 4],
    ])
      for (const construction of ['T', 'V'] as const)
        for (const superlevel of [false, true])
          for (let k = 0; k < 5; k++) {
            const size = shape.reduce((a, b) => a * b, 1);
            const values = Float64Array.from({ length: size }, () => randomInt(random, 4));
            big.push({ shape, values, construction, superlevel });
          }
    expect(firstMismatch(big)).toBeNull();
  });
});

describe('options.dims', () => {
  const values = Float64Array.from([3, 1, 2, 0, 5, 1, 2, 4, 0, 3, 1, 2, 5, 0, 4, 1, 3, 2, 0, 2, 5, 1, 0, 4, 3, 2, 1]);

  test.each([
    [[3, 9], [1]],
    [[3, 9], [0]],
    [
      [3, 9],
      [1, 0],
    ],
    [[3, 3, 3], [2]],
    [
      [3, 3, 3],
      [0, 2],
    ],
    [
      [3, 3, 3],
      [2, 1, 0],
    ],
  ])('shape %j dims %j: requested dimensions only, increasing, same pairs as the full run', (shape, dims) => {
    for (const construction of ['T', 'V'] as const) {
      const all = cubicalPersistence(values, shape, { construction });
      const some = cubicalPersistence(values, shape, { construction, dims });
      const wanted = [...dims].sort();
      expect(some.map((d) => d.dim)).toEqual(wanted);
      expect(canonical(some)).toEqual(canonical(all.filter((d) => wanted.includes(d.dim))));
      expect(canonical(some)).toEqual(canonical(bruteForcePersistence(values, shape, { construction, dims })));
    }
  });
});
