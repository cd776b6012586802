import { ripsPersistence } from '../../../src/persistence/rips/rips';

/** The finite H0 deaths of two or more points: their edge lengths, as the engine computed them. */
const finiteDeaths = (points: number[], d: number): number[] =>
  Array.from(ripsPersistence(points, d, { maxDim: 0 })[0].deaths).filter(Number.isFinite);

describe('Rips point distances are exact at the ends of the float64 range', () => {
  test('subnormal coordinates and distances: |a − b| exactly (rips-subnormal-distance)', () => {
    expect(finiteDeaths([-5.4e-323, 0], 1)).toEqual([5.4e-323]);
    expect(finiteDeaths([-6.4e-323, 1.9640999493733032e-307], 1)).toEqual([
      Math.abs(-6.4e-323 - 1.9640999493733032e-307),
    ]);
    expect(finiteDeaths([0, 5e-324], 1)).toEqual([5e-324]);
    expect(finiteDeaths([2.2250738585072014e-308, -2.2250738585072014e-308], 1)).toEqual([4.450147717014403e-308]);
  });

  test('1-D distances equal |a − b| for coordinates across the whole range', () => {
    const values = [0, 5e-324, -3e-323, 1e-310, -2.5e-308, 1e-160, -3e-155, 1, -1.5, 1e154, -3e200, 8e307, -1e308];
    for (const a of values)
      for (const b of values) {
        if (Math.abs(a - b) === Infinity || a === b) continue;
        expect([a, b, finiteDeaths([a, b], 1)[0]]).toEqual([a, b, Math.abs(a - b)]);
      }
  });

  test('several dimensions: integer grids times a power of two, subnormal or huge', () => {
    for (const e of [-1074, -1070, -1060, -1030, -600, 520, 1000, 1020]) {
      const s = 2 ** e;
      // (0, 0), (2s, s), (2s, 0): sides s, 2s and √5 s, scaled by the exact power of two.
      const deaths = finiteDeaths([0, 0, 2 * s, s, 2 * s, 0], 2);
      expect(deaths).toEqual([s, 2 * s]);
      expect(finiteDeaths([0, 0, 2 * s, s], 2)).toEqual([Math.sqrt(5) * s]);
    }
  });

  test('a distance beyond float64 is still an error, whether a difference or the sum overflows', () => {
    expect(() => ripsPersistence([-1e308, 1e308], 1)).toThrow(/^points: the distance between points 0 and 1 exceeds/);
    const big = 1.5e308;
    expect(() => ripsPersistence([0, 0, big, big], 2)).toThrow(/^points: the distance between points 0 and 1 exceeds/);
    expect(finiteDeaths([0, 0, 1e308, 1e308], 2)).toEqual([Math.SQRT2 * 1e308]);
  });
});
