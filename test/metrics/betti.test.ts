import { bettiErrors, bettiNumbers, topologyAccuracy } from '../../src/metrics/index';
import { cubicalPersistence } from '../../src/persistence/index';
import { eulerCharacteristic, floodFill, randomMask, referenceBetti } from './reference-topology';

/** A row-major `[h, w]` mask from lines of '#' (foreground) and '.' (background). */
function grid(...rows: string[]): number[] {
  return rows.flatMap((r) => [...r].map((c) => (c === '#' ? 1 : 0)));
}

describe('bettiNumbers: the connectivity of the cubical complex T under the superlevel filtration', () => {
  test('2-D: foreground 8-connected, holes 4-connected', () => {
    // Two pixels touching at a corner: one component (8-connectivity).
    expect(Array.from(bettiNumbers(grid('#.', '.#'), [1, 2, 2]))).toEqual([1, 0]);
    // A diamond of four pixels around an empty one: the centre is a hole (its 4 neighbours are
    // foreground, so it reaches no other background pixel).
    expect(Array.from(bettiNumbers(grid('.#.', '#.#', '.#.'), [1, 3, 3]))).toEqual([1, 1]);
    // A square ring with a corner-touching gap: still closed for the foreground.
    expect(Array.from(bettiNumbers(grid('###.', '#..#', '#..#', '####'), [1, 4, 4]))).toEqual([1, 1]);
    // A ring open by an edge: the inside reaches the outside → no hole.
    expect(Array.from(bettiNumbers(grid('##.#', '#..#', '#..#', '####'), [1, 4, 4]))).toEqual([1, 0]);
    // Background open to the image border is no hole; empty and full maps.
    expect(Array.from(bettiNumbers(grid('#.#', '#.#', '###'), [1, 3, 3]))).toEqual([1, 0]);
    expect(Array.from(bettiNumbers(new Float32Array(6), [1, 2, 3]))).toEqual([0, 0]);
    expect(Array.from(bettiNumbers(new Float32Array(6).fill(1), [1, 2, 3]))).toEqual([1, 0]);
  });

  test('why construction T: under V the same superlevel count would join the foreground by edges only', () => {
    // V puts the values on vertices and gives each square the least of its corners in a superlevel
    // filtration, so two pixels touching at a corner stay apart (4-connected foreground) and the
    // diamond encloses nothing (8-connected background): the dual convention. bettiNumbers uses T.
    const count = (values: number[], shape: number[], construction: 'T' | 'V') =>
      cubicalPersistence(Float32Array.from(values), shape, { construction, superlevel: true }).map(
        (d) => Array.from(d.births).filter((b) => b === 1).length,
      );
    expect(count(grid('#.', '.#'), [2, 2], 'V')).toEqual([2, 0]);
    expect(count(grid('#.', '.#'), [2, 2], 'T')).toEqual([1, 0]);
    expect(count(grid('.#.', '#.#', '.#.'), [3, 3], 'V')).toEqual([4, 0]);
    expect(count(grid('.#.', '#.#', '.#.'), [3, 3], 'T')).toEqual([1, 1]);
  });

  test("construction 'V' counts with the dual connectivity (4-connected foreground, 8-connected background)", () => {
    expect(Array.from(bettiNumbers(grid('#.', '.#'), [1, 2, 2], { construction: 'V' }))).toEqual([2, 0]);
    expect(Array.from(bettiNumbers(grid('.#.', '#.#', '.#.'), [1, 3, 3], { construction: 'V' }))).toEqual([4, 0]);
    // A 4-connected ring encloses its centre under both conventions.
    expect(Array.from(bettiNumbers(grid('###', '#.#', '###'), [1, 3, 3], { construction: 'V' }))).toEqual([1, 1]);
    expect(() => bettiNumbers(grid('#'), [1, 1, 1], { construction: 'X' as never })).toThrow(
      /options\.construction: expected 'T' or 'V', got 'X'/,
    );
  });

  test('2-D random masks: equal to flood fill and to β0 − χ', () => {
    const sizes = [
      [1, 1],
      [1, 7],
      [6, 1],
      [4, 4],
      [7, 9],
      [13, 11],
      [24, 24],
    ];
    for (const [h, w] of sizes)
      for (const density of [0.2, 0.45, 0.6, 0.8]) {
        const count = 5;
        const masks = new Float32Array(count * h * w);
        for (let m = 0; m < count; m++)
          masks.set(randomMask(h * w, density, 1000 * h + 10 * w + m + density * 7), m * h * w);
        const got = bettiNumbers(masks, [count, h, w]);
        for (let m = 0; m < count; m++) {
          const mask = masks.subarray(m * h * w, (m + 1) * h * w);
          const want = referenceBetti(mask, [h, w]);
          expect([h, w, density, m, got[2 * m], got[2 * m + 1]]).toEqual([h, w, density, m, ...want]);
          expect(want[0] - want[1]).toBe(eulerCharacteristic(mask, [h, w]));
        }
      }
  });

  test('3-D random volumes: β0 (26-connected) and β2 (6-connected cavities) by flood fill, β1 by χ', () => {
    for (const [d, h, w] of [
      [1, 4, 5],
      [3, 3, 3],
      [5, 6, 7],
      [8, 8, 8],
    ])
      for (const density of [0.3, 0.5, 0.75]) {
        const mask = randomMask(d * h * w, density, d * 97 + h * 13 + w + density * 1000);
        const got = Array.from(bettiNumbers(mask, [1, d, h, w]));
        expect([d, h, w, density, ...got]).toEqual([d, h, w, density, ...referenceBetti(mask, [d, h, w])]);
      }
    // A hollow 3 × 3 × 3 cube: one cavity. A solid torus-like ring of voxels: one tunnel.
    const hollow = new Float32Array(27).fill(1);
    hollow[13] = 0;
    expect(Array.from(bettiNumbers(hollow, [1, 3, 3, 3]))).toEqual([1, 0, 1]);
    const ring = new Float32Array(27);
    for (let i = 9; i < 18; i++) ring[i] = i === 13 ? 0 : 1;
    expect(Array.from(bettiNumbers(ring, [1, 3, 3, 3]))).toEqual([1, 1, 0]);
    expect(floodFill(ring, [3, 3, 3])).toEqual({ components: 1, holes: 0 });
  });

  test('the threshold: foreground where a value is strictly greater', () => {
    // 0.2 0.5 0.9 / 0.5 0.1 0.5 / 0.9 0.5 0.2
    const p = [0.2, 0.5, 0.9, 0.5, 0.1, 0.5, 0.9, 0.5, 0.2];
    // > 0.5: the two 0.9 corners, apart → β0 = 2.
    expect(Array.from(bettiNumbers(p, [1, 3, 3]))).toEqual([2, 0]);
    // > 0.4: the diamond of 0.5s and the corners, one component around the 0.1 → a hole.
    expect(Array.from(bettiNumbers(p, [1, 3, 3], { threshold: 0.4 }))).toEqual([1, 1]);
    // > 0.15: everything but the centre, a hole; > 0: everything.
    expect(Array.from(bettiNumbers(p, [1, 3, 3], { threshold: 0.15 }))).toEqual([1, 1]);
    expect(Array.from(bettiNumbers(p, [1, 3, 3], { threshold: 0 }))).toEqual([1, 0]);
    // Random probabilities at several thresholds against flood fill of the thresholded map.
    const [h, w] = [12, 15];
    const values = Float64Array.from(randomMask(h * w, 0.5, 7), (_, i) => ((i * 7919) % 101) / 100);
    for (const t of [0.1, 0.35, 0.5, 0.72, 0.9]) {
      const binary = values.map((v) => (v > t ? 1 : 0));
      expect(Array.from(bettiNumbers(values, [1, h, w], { threshold: t }))).toEqual(referenceBetti(binary, [h, w]));
    }
  });
});

describe('bettiErrors and topologyAccuracy', () => {
  test('hand-worked: a ring, the ring with a gap, two dots', () => {
    const ring = grid('.....', '.###.', '.#.#.', '.###.', '.....'); // β = [1, 1]
    const broken = grid('.....', '.###.', '.#.#.', '.#.#.', '.....'); // [1, 0]: the inside leaks out
    const dots = grid('.....', '.#...', '.....', '...#.', '.....'); // [2, 0]
    const label = [...ring, ...ring, ...ring];
    const pred = [...ring, ...broken, ...dots].map((v) => (v ? 0.8 : 0.1));
    const shape = [3, 5, 5];
    // Map 0: |1−1|, |1−1|. Map 1: |1−1|, |0−1|. Map 2: |2−1|, |0−1|.
    expect(Array.from(bettiErrors(pred, label, shape))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(topologyAccuracy(pred, label, shape)).toBeCloseTo(1 / 3, 12);
    // At 0.9 the predictions are empty: β = [0, 0] everywhere → errors [1, 1], none match.
    expect(Array.from(bettiErrors(pred, label, shape, { threshold: 0.9 }))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(topologyAccuracy(pred, label, shape, { threshold: 0.9 })).toBe(0);
  });
});
