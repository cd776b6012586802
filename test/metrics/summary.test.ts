import { bettiNumbers, clDice, dice, ExtraMetric, segmentationMetrics } from '../../src/metrics/index';

function grid(...rows: string[]): number[] {
  return rows.flatMap((r) => [...r].map((c) => (c === '#' ? 1 : 0)));
}

const ring = grid('.......', '.#####.', '.#...#.', '.#...#.', '.#####.', '.......');
const broken = grid('.......', '.#####.', '.#...#.', '.#.....', '.#####.', '.......'); // one pixel off the ring

describe('segmentationMetrics', () => {
  test('per map and mean values agree with the single metrics', () => {
    const label = [...ring, ...ring];
    const pred = [...ring, ...broken].map((v) => (v ? 0.9 : 0.05));
    const shape = [2, 6, 7];
    const m = segmentationMetrics(pred, label, shape);
    expect(m.count).toBe(2);
    expect(m.threshold).toBe(0.5);
    expect(Array.from(m.perImage.dice)).toEqual(Array.from(dice(pred, label, shape)));
    expect(Array.from(m.perImage.clDice!)).toEqual(Array.from(clDice(pred, label, shape).clDice));
    // Map 0 is perfect. Map 1 misses one of the ring's 14 pixels: Dice = 2·13 / 27; its inside leaks out, β1 drops to 0.
    expect(m.perImage.dice[0]).toBe(1);
    expect(m.perImage.dice[1]).toBeCloseTo(26 / 27, 12);
    expect(Array.from(m.perImage.betti0Error)).toEqual([0, 0]);
    expect(Array.from(m.perImage.betti1Error)).toEqual([0, 1]);
    expect(Array.from(m.perImage.topologyMatch)).toEqual([1, 0]);
    expect(m.mean.dice).toBeCloseTo((1 + 26 / 27) / 2, 12);
    expect(m.mean.betti1Error).toBe(0.5);
    expect(m.mean.topologyMatch).toBe(0.5);
    expect(Array.from(m.betti.label)).toEqual([1, 1, 1, 1]);
    expect(Array.from(m.betti.pred)).toEqual([1, 1, 1, 0]);
    expect(m.betti.dims).toBe(2);
    expect(m.perImage.betti2Error).toBeUndefined();
  });

  test('extra metrics (the place for a Betti-matching error) join the table', () => {
    const calls: number[] = [];
    const foregroundFraction: ExtraMetric = (pred, _label, shape, { threshold }) => {
      calls.push(threshold);
      const size = shape[1] * shape[2];
      return Array.from({ length: shape[0] }, (_, m) => {
        let n = 0;
        for (let i = 0; i < size; i++) n += pred[m * size + i] > threshold ? 1 : 0;
        return n / size;
      });
    };
    const m = segmentationMetrics([...ring, ...broken], [...ring, ...ring], [2, 6, 7], {
      threshold: 0.25,
      extra: { foregroundFraction },
    });
    expect(calls).toEqual([0.25]);
    expect(Array.from(m.perImage.foregroundFraction!)).toEqual([14 / 42, 13 / 42]);
    expect(m.mean.foregroundFraction).toBeCloseTo(27 / 84, 12);
  });

  test('volumes: no clDice, a β2 error', () => {
    const label = new Float32Array(27).fill(1);
    label[13] = 0; // a hollow cube: β = [1, 0, 1]
    const pred = new Float32Array(27).fill(1); // solid: [1, 0, 0]
    const m = segmentationMetrics(pred, label, [1, 3, 3, 3]);
    expect(m.perImage.clDice).toBeUndefined();
    expect(m.mean.clDice).toBeUndefined();
    expect(Array.from(m.perImage.betti2Error!)).toEqual([1]);
    expect(m.mean.topologyMatch).toBe(0);
    expect(Array.from(bettiNumbers(label, [1, 3, 3, 3]))).toEqual([1, 0, 1]);
    expect(segmentationMetrics(pred, label, [1, 3, 3, 3], { clDice: true }).perImage.clDice).toHaveLength(1);
    expect(segmentationMetrics(ring, ring, [1, 6, 7], { clDice: false }).perImage.clDice).toBeUndefined();
  });
});
