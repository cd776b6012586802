import {
  bettiErrors,
  bettiNumbers,
  clDice,
  dice,
  segmentationMetrics,
  topologyAccuracy,
} from '../../src/metrics/index';

const p = new Float32Array(8).fill(0.7);
const l = new Uint8Array(8).fill(1);

describe('metrics: bad arguments name the argument and what was expected', () => {
  test("a tensor's [N, H, W, 1] is refused, not read as volumes of width 1", () => {
    const message =
      'shape: expected [N, H, W] or [N, D, H, W] without a channel axis, got [2, 2, 2, 1]: drop the channel axis ([2, 2, 2]); volumes of width 1 are not supported';
    expect(() => segmentationMetrics(p, l, [2, 2, 2, 1])).toThrow(message);
    expect(() => dice(p, l, [2, 2, 2, 1])).toThrow(message);
    expect(() => bettiNumbers(p, [2, 2, 2, 1])).toThrow(message);
    expect(segmentationMetrics(p, l, [2, 2, 2]).count).toBe(2); // the same data without the channel axis
    expect(segmentationMetrics(p, l, [1, 2, 2, 2]).count).toBe(1); // a volume
  });

  test('shape', () => {
    expect(() => dice(p, l, [8])).toThrow(
      'shape: expected [N, H, W] (a batch of images) or [N, D, H, W] (a batch of volumes), got [8]',
    );
    expect(() => dice(p, l, [2, 0, 4])).toThrow('shape: expected positive integer sizes, got [2, 0, 4]');
    expect(() => bettiNumbers(p, [2, 2.5, 2])).toThrow('shape: expected positive integer sizes, got [2, 2.5, 2]');
    expect(() => dice(p, l, 'x' as never)).toThrow('shape: expected [N, H, W] (a batch of images) or [N, D, H, W]');
  });

  test('pred and label', () => {
    expect(() => dice(p, l, [1, 3, 3])).toThrow('pred: expected 9 entries for shape [1, 3, 3], got 8');
    expect(() => dice(p, new Uint8Array(9), [1, 3, 3])).toThrow('pred: expected 9 entries');
    expect(() => dice(new Float32Array(9), l, [1, 3, 3])).toThrow(
      'label: expected 9 entries for shape [1, 3, 3], got 8',
    );
    expect(() => dice({ length: 8 } as never, l, [2, 2, 2])).toThrow(
      'pred: expected a typed array or an array of numbers, got Object',
    );
    const nan = Float32Array.from(p);
    nan[3] = NaN;
    expect(() => clDice(nan, l, [2, 2, 2])).toThrow('pred: expected finite numbers, got NaN at index 3');
    const soft = Float32Array.from(l);
    soft[5] = 0.5;
    expect(() => bettiErrors(p, soft, [2, 2, 2])).toThrow('label: expected a binary mask (0 or 1), got 0.5 at index 5');
    expect(() => bettiNumbers([0, 1, Infinity, 0], [1, 2, 2])).toThrow(
      'maps: expected finite numbers, got Infinity at index 2',
    );
  });

  test('options', () => {
    expect(() => dice(p, l, [2, 2, 2], { threshold: '0.5' as never })).toThrow(
      "options.threshold: expected a finite number, got '0.5'",
    );
    expect(() => topologyAccuracy(p, l, [2, 2, 2], { threshold: NaN })).toThrow(
      'options.threshold: expected a finite number, got NaN',
    );
    expect(() => dice(p, l, [2, 2, 2], { soft: 1 as never })).toThrow('options.soft: expected a boolean, got 1');
    expect(() => dice(p, l, [2, 2, 2], { treshold: 0.3 } as never)).toThrow(
      "options.treshold: unknown option (did you mean 'threshold'?); expected one of threshold, soft",
    );
    expect(() => clDice(p, l, [2, 2, 2], [] as never)).toThrow('options: expected an object, got []');
    expect(() => segmentationMetrics(p, l, [2, 2, 2], { clDice: 'yes' as never })).toThrow(
      "options.clDice: expected a boolean, got 'yes'",
    );
  });

  test('extra metrics', () => {
    const one = () => [1, 1];
    expect(() => segmentationMetrics(p, l, [2, 2, 2], { extra: { dice: one } })).toThrow(
      "options.extra.dice: 'dice' is a built-in metric; give the extra one another name",
    );
    expect(() => segmentationMetrics(p, l, [2, 2, 2], { extra: { m: 3 as never } })).toThrow(
      'options.extra.m: expected a function (pred, label, shape, options) → one value per map, got 3',
    );
    expect(() => segmentationMetrics(p, l, [2, 2, 2], { extra: { m: () => [1] } })).toThrow(
      'options.extra.m: expected 2 values (one per map), got 1',
    );
    expect(() => segmentationMetrics(p, l, [2, 2, 2], { extra: { m: () => 5 as never } })).toThrow(
      'options.extra.m: expected an array of 2 values, got 5',
    );
    expect(() => segmentationMetrics(p, l, [2, 2, 2], { extra: [] as never })).toThrow(
      'options.extra: expected an object, got []',
    );
  });
});
