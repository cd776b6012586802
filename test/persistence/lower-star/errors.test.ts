import { LowerStarPersistence, lowerStarPersistence } from '../../../src/persistence/lower-star/lower-star';
import { SimplicialComplex } from '../../../src/persistence/lower-star/simplicial-complex';

// Every validation message of the engine (those of the complex: test/simplicial-complex.test.ts).

const triangle = SimplicialComplex.fromSimplices([[0, 1, 2]]);

describe('lower-star input validation', () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      'complex not a complex',
      () => new LowerStarPersistence([[0, 1]] as never),
      /^complex: expected a SimplicialComplex, got \[\[0, 1\]\]/,
    ],
    [
      'options not an object',
      () => new LowerStarPersistence(triangle, 3 as never),
      /^options: expected an object, got 3/,
    ],
    [
      'superlevel not boolean',
      () => new LowerStarPersistence(triangle, { superlevel: 1 as never }),
      /^options.superlevel: expected a boolean, got 1/,
    ],
    [
      'keepZeroLength not boolean',
      () => new LowerStarPersistence(triangle, { keepZeroLength: 'yes' as never }),
      /^options.keepZeroLength: expected a boolean, got 'yes'/,
    ],
    [
      'dualTop not boolean',
      () => new LowerStarPersistence(triangle, { dualTop: null as never }),
      /^options.dualTop: expected a boolean, got null/,
    ],
    [
      'dims empty',
      () => new LowerStarPersistence(triangle, { dims: [] }),
      /^options.dims: expected a non-empty array of homology dimensions in 0..2/,
    ],
    [
      'dims not an array',
      () => new LowerStarPersistence(triangle, { dims: 1 as never }),
      /^options.dims: expected a non-empty array/,
    ],
    [
      'dims too high',
      () => new LowerStarPersistence(triangle, { dims: [0, 3] }),
      /^options.dims: homology dimension 3 is out of range for a complex of dimension 2 \(expected 0..2\)/,
    ],
    [
      'dims negative',
      () => new LowerStarPersistence(triangle, { dims: [-1] }),
      /^options.dims: homology dimension -1 is out of range/,
    ],
    [
      'dims fractional',
      () => new LowerStarPersistence(triangle, { dims: [0.5] }),
      /^options.dims: homology dimension 0.5 is out of range/,
    ],
    [
      'dims repeated',
      () => new LowerStarPersistence(triangle, { dims: [1, 1] }),
      /^options.dims: repeated dimension in \[1, 1\]/,
    ],
    [
      'values too short',
      () => new LowerStarPersistence(triangle).compute([1, 2]),
      /^values: expected 3 entries \(one per vertex of the complex\), got 2/,
    ],
    [
      'values too long',
      () => new LowerStarPersistence(triangle).compute(new Float32Array(4)),
      /^values: expected 3 entries \(one per vertex of the complex\), got 4/,
    ],
    [
      'values not an array',
      () => new LowerStarPersistence(triangle).compute(7 as never),
      /^values: expected an array of 3 numbers \(one per vertex\), got 7/,
    ],
    [
      'values null',
      () => new LowerStarPersistence(triangle).compute(null as never),
      /^values: expected an array of 3 numbers/,
    ],
    [
      'values NaN (typed)',
      () => new LowerStarPersistence(triangle).compute(Float64Array.of(0, NaN, 1)),
      /^values: expected finite numbers, got NaN at index 1/,
    ],
    [
      'values NaN (array)',
      () => new LowerStarPersistence(triangle).compute([0, 1, NaN]),
      /^values: expected finite numbers, got NaN at index 2/,
    ],
    [
      'values infinite',
      () => new LowerStarPersistence(triangle).compute(Float32Array.of(Infinity, 0, 1)),
      /^values: expected finite numbers, got Infinity at index 0/,
    ],
    [
      'values not numbers',
      () => new LowerStarPersistence(triangle).compute(['a', 1, 2] as never),
      /^values: expected numbers, got 'a' at index 0/,
    ],
    ['one-shot: simplices checked', () => lowerStarPersistence([[0, 0]], [1, 2]), /^simplices\[0\]: repeated vertex 0/],
    [
      'one-shot: vertex beyond values',
      () => lowerStarPersistence([[0, 1, 5]], [1, 2, 3]),
      /^simplices\[0\]: vertex 5 is out of range 0..2 \(numVertices 3\)/,
    ],
    ['one-shot: empty list', () => lowerStarPersistence([], [1]), /^simplices: expected a non-empty list of simplices/],
    ['one-shot: values length', () => lowerStarPersistence(triangle, [1]), /^values: expected 3 entries/],
  ];
  test.each(cases)('%s', (_, f, message) => {
    expect(f).toThrow(message);
  });
});
