import { cubicalPersistence, CubicalPersistence } from '../../../src/persistence/cubical/cubical';
import { sortedPairOrder } from '../../../src/persistence/diagram';

// Bad input fails loudly with a message naming the argument (DESIGN.md §3), never a wrong answer.
// `as any` lets the tests pass what a JavaScript caller could.
/* eslint-disable @typescript-eslint/no-explicit-any */

const ok = new Float64Array(12); // a valid 3×4 image

describe('values', () => {
  test.each([
    ['NaN', Float64Array.of(0, 1, NaN, 3)],
    ['NaN in float32', Float32Array.of(0, NaN, 2, 3)],
    ['+Infinity', Float64Array.of(0, 1, 2, Infinity)],
    ['−Infinity', Float32Array.of(-Infinity, 1, 2, 3)],
  ])('%s is rejected', (_, values) => {
    expect(() => cubicalPersistence(values, [2, 2])).toThrow(/values/);
    expect(() => cubicalPersistence(values, [2, 2], { superlevel: true, construction: 'V' })).toThrow(/values/);
  });

  test.each([
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'], // T volumes pad their dual grid with −∞: still refused in the input
  ])('a volume with %s names it and its index, for both constructions and dtypes', (bad, shown) => {
    for (const construction of ['T', 'V'] as const)
      for (const values of [new Float32Array(24), new Float64Array(24)]) {
        values[17] = bad;
        const message = `values: expected finite numbers, got ${shown} at index 17`;
        expect(() => cubicalPersistence(values, [2, 3, 4], { construction })).toThrow(message);
        expect(() => cubicalPersistence(values, [2, 3, 4], { construction, superlevel: true })).toThrow(message);
      }
  });

  test.each([
    ['a plain array', [0, 1, 2, 3]],
    ['null', null],
    ['undefined', undefined],
    ['a string', '0123'],
    ['an Int32Array', Int32Array.of(0, 1, 2, 3)],
  ])('%s is rejected', (_, values) => {
    expect(() => cubicalPersistence(values as any, [2, 2])).toThrow(/values/);
  });

  test('a length that does not fit a huge shape is refused before any buffer is allocated', () => {
    // 40 000² would take gigabytes of engine buffers (and minutes) if the length were checked after.
    const t0 = performance.now();
    expect(() => cubicalPersistence(new Float32Array(4), [40000, 40000])).toThrow(
      'values: expected 1600000000 entries to match the shape, got 4',
    );
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test.each([11, 13, 0])('length %i for shape [3, 4] is rejected', (n) => {
    expect(() => cubicalPersistence(new Float64Array(n), [3, 4])).toThrow(/values|shape/);
  });
});

describe('shape', () => {
  test.each([
    ['rank 1', [12]],
    ['rank 4', [1, 3, 2, 2]],
    ['empty', []],
    ['a zero-size axis', [0, 12]],
    ['a zero-size axis in 3-D', [3, 0, 4]],
    ['a negative size', [-3, -4]],
    ['a fractional size', [1.5, 8]],
    ['NaN size', [NaN, 12]],
  ])('%s is rejected', (_, shape) => {
    const size =
      Math.max(
        0,
        shape.reduce((a, b) => a * b, 1),
      ) || 12;
    expect(() => cubicalPersistence(new Float64Array(size), shape)).toThrow(/shape/);
  });

  test('a non-array shape is rejected', () => {
    expect(() => cubicalPersistence(ok, '3,4' as any)).toThrow(/shape/);
    expect(() => cubicalPersistence(ok, undefined as any)).toThrow(/shape/);
  });
});

describe('options', () => {
  test.each(['X', 't', '', null, 0])('construction %p is rejected', (construction) => {
    expect(() => cubicalPersistence(ok, [3, 4], { construction: construction as any })).toThrow(
      /options\.construction/,
    );
  });

  test.each([
    ['out of range', [2]],
    ['negative', [-1]],
    ['fractional', [0.5]],
    ['duplicated', [0, 0]],
    ['duplicated, out of order', [1, 0, 1]],
    ['not numbers', ['0']],
  ])('dims %s is rejected', (_, dims) => {
    expect(() => cubicalPersistence(ok, [3, 4], { dims: dims as any })).toThrow(/options\.dims/);
  });

  test('a volume accepts dims up to 2, not 3', () => {
    expect(() => cubicalPersistence(new Float64Array(24), [2, 3, 4], { dims: [3] })).toThrow(/options\.dims/);
    expect(cubicalPersistence(new Float64Array(24), [2, 3, 4], { dims: [2] }).map((d) => d.dim)).toEqual([2]);
  });
});

describe('size limits', () => {
  test('a volume too large for its H1 is refused when the engine is built, before any buffer', () => {
    // T volumes are ranked through their padded dual: 644³ pads to 646³, 2^28 elements and more.
    expect(() => new CubicalPersistence([644, 644, 644], { dims: [1] })).toThrow(
      /shape: H1 of a 644×644×644 volume needs more elements ranked than this engine packs \(2\^28, with the padding of its dual grid\); request options\.dims \[0, 2\]/,
    );
    // V volumes are ranked whole: 2^28 elements and more are refused (645³ is below, 646³ not).
    expect(() => new CubicalPersistence([646, 646, 646], { construction: 'V', dims: [1] })).toThrow(
      /shape: H1 of a 646×646×646 volume needs more elements ranked than this engine packs \(2\^28\); request options\.dims \[0, 2\]/,
    );
  });
});

describe('sortedPairOrder', () => {
  const [h0] = cubicalPersistence(Float64Array.of(2, 0, 3, 1), [1, 4]);
  test.each([
    [undefined, 'diagram: expected a PersistenceDiagram { births, deaths, deathCells, … }, got undefined'],
    [null, 'diagram: expected a PersistenceDiagram { births, deaths, deathCells, … }, got null'],
    [
      { births: [0], deaths: [1] },
      'diagram: expected a PersistenceDiagram { births, deaths, deathCells, … }, got Object',
    ],
    [
      { births: [0, 1], deaths: [1], deathCells: [2, 3] },
      'diagram: expected births, deaths and deathCells of one length, got 2, 1 and 2',
    ],
  ])('diagram %p is refused', (diagram, message) => {
    expect(() => sortedPairOrder(diagram as never)).toThrow(message);
  });

  test('superlevel must be a boolean', () => {
    expect(() => sortedPairOrder(h0, 'yes' as never)).toThrow("superlevel: expected a boolean, got 'yes'");
    expect(Array.from(sortedPairOrder(h0, false))).toEqual(Array.from(sortedPairOrder(h0)));
  });
});
