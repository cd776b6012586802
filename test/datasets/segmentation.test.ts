import { segmentationDataset, segmentationSet, SegmentationKind, SegmentationOptions } from '../../src/datasets/index';
import { maskBetti } from '../../src/datasets/topology';
import { bettiNumbers } from '../../src/metrics/index';
import { referenceBetti } from '../metrics/reference-topology';

const KINDS: SegmentationKind[] = ['vessels', 'membranes'];

/** Options that make the image the structure's intensity itself: 1 on it, 0 elsewhere and in gaps. */
const CLEAN: Partial<SegmentationOptions> = {
  background: [0, 0],
  contrast: [1, 1],
  contrastVariation: 0,
  texture: 0,
  blur: 0,
  noise: 0,
};

function image(data: Float32Array, i: number, size: number): Float32Array {
  return data.subarray(i * size, (i + 1) * size);
}

describe.each(KINDS)('segmentationSet: %s', (kind) => {
  const set = segmentationSet({ kind, size: 64, count: 12, seed: 5 });
  const [n, h, w] = set.shape;

  test('plain arrays of the documented shape and ranges', () => {
    expect(set.shape).toEqual([12, 64, 64]);
    expect(set.images).toBeInstanceOf(Float32Array);
    expect(set.masks).toBeInstanceOf(Float32Array);
    expect(set.images.length).toBe(n * h * w);
    expect(set.masks.length).toBe(n * h * w);
    expect(set.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(set.masks.every((v) => v === 0 || v === 1)).toBe(true);
    for (let i = 0; i < n; i++) {
      const fraction = image(set.masks, i, h * w).reduce((a, v) => a + v, 0) / (h * w);
      expect(fraction).toBeGreaterThan(0.01);
      expect(fraction).toBeLessThan(kind === 'vessels' ? 0.3 : 0.45);
    }
  });

  test('the structure is brighter than the background, on average', () => {
    let on = 0;
    let off = 0;
    let nOn = 0;
    for (let p = 0; p < set.masks.length; p++)
      if (set.masks[p]) {
        on += set.images[p];
        nOn++;
      } else off += set.images[p];
    expect(on / nOn - off / (set.masks.length - nOn)).toBeGreaterThan(0.15);
  });

  test('betti: the flood-fill count, the cubical engine and an independent reference agree', () => {
    expect(Array.from(set.betti)).toEqual(Array.from(maskBetti(set.masks, set.shape)));
    expect(Array.from(set.betti)).toEqual(Array.from(bettiNumbers(set.masks, set.shape)));
    for (let i = 0; i < n; i++)
      expect(Array.from(set.betti.subarray(2 * i, 2 * i + 2))).toEqual(
        referenceBetti(image(set.masks, i, h * w), [h, w]),
      );
  });

  test('deterministic in the seed; other seeds give other images', () => {
    const again = segmentationSet({ kind, size: 64, count: 12, seed: 5 });
    expect(again.images).toEqual(set.images);
    expect(again.masks).toEqual(set.masks);
    const other = segmentationSet({ kind, size: 64, count: 12, seed: 6 });
    expect(other.masks).not.toEqual(set.masks);
    // Images of one set differ from each other.
    expect(image(set.masks, 0, h * w)).not.toEqual(image(set.masks, 1, h * w));
  });

  test('sizes from 32 to 512, and non-square', () => {
    for (const size of [32, 512] as const) {
      const s = segmentationSet({ kind, size, count: 1, seed: 1 });
      expect(s.shape).toEqual([1, size, size]);
      expect(s.masks.some((v) => v === 1)).toBe(true);
    }
    const s = segmentationSet({ kind, size: [32, 48], count: 2, seed: 1 });
    expect(s.shape).toEqual([2, 32, 48]);
    expect(Array.from(s.betti)).toEqual(Array.from(bettiNumbers(s.masks, s.shape)));
  });
});

describe('splits', () => {
  const options = { kind: 'vessels' as const, size: 32, seed: 9 };

  test('each split is its own stream: growing one leaves the others unchanged', () => {
    const a = segmentationDataset({ ...options, count: { train: 3, validation: 2, test: 4 } });
    const b = segmentationDataset({ ...options, count: { train: 7, test: 4 } });
    expect(a.train.shape).toEqual([3, 32, 32]);
    expect(a.validation.shape).toEqual([2, 32, 32]);
    expect(b.validation.shape).toEqual([0, 32, 32]);
    expect(b.test.images).toEqual(a.test.images);
    expect(b.train.images.subarray(0, 3 * 32 * 32)).toEqual(a.train.images);
    expect(a.validation.masks).not.toEqual(a.test.masks.subarray(0, 2 * 32 * 32));
  });

  test('segmentationSet draws the same images by split and start', () => {
    const d = segmentationDataset({ ...options, count: { train: 2, validation: 2, test: 5 } });
    const test = segmentationSet({ ...options, count: 5, split: 'test' });
    expect(test.images).toEqual(d.test.images);
    expect(test.betti).toEqual(d.test.betti);
    expect(segmentationSet({ ...options, count: 2 }).masks).toEqual(d.train.masks);
    const window = segmentationSet({ ...options, count: 2, split: 'test', start: 3 });
    expect(window.images).toEqual(d.test.images.subarray(3 * 32 * 32));
  });
});

describe('the structures', () => {
  test('vessels: thin curves, one or a few components, some loops; no gaps by default', () => {
    const s = segmentationSet({ kind: 'vessels', size: 64, count: 60, seed: 3, ...CLEAN });
    const b0 = Array.from({ length: 60 }, (_, i) => s.betti[2 * i]);
    const b1 = Array.from({ length: 60 }, (_, i) => s.betti[2 * i + 1]);
    expect(Math.min(...b0)).toBeGreaterThanOrEqual(1);
    expect(b0.filter((b) => b <= 3).length).toBeGreaterThan(50);
    expect(b1.some((b) => b > 0)).toBe(true);
    expect(b1.filter((b) => b === 0).length).toBeGreaterThan(5);
    // Clean image formation: the image is the mask exactly (no gaps by default).
    expect(s.images).toEqual(s.masks);
  });

  test('membranes: closed loops (many holes), and gaps in the image only', () => {
    const s = segmentationSet({ kind: 'membranes', size: 64, count: 20, seed: 3, ...CLEAN });
    const [n, h, w] = s.shape;
    let gapPixels = 0;
    for (let i = 0; i < n; i++) {
      // Cells of ~16 px in 64 × 64: a dozen or so closed cells.
      expect(s.betti[2 * i + 1]).toBeGreaterThanOrEqual(4);
      let gaps = 0;
      for (let p = i * h * w; p < (i + 1) * h * w; p++) {
        expect(s.images[p]).toBeLessThanOrEqual(s.masks[p]); // nothing drawn off the mask
        if (s.masks[p] === 1 && s.images[p] === 0) gaps++;
      }
      gapPixels += gaps;
    }
    expect(gapPixels).toBeGreaterThan(20 * n);
    // The gaps break the image's loops: thresholded, it has fewer holes than the mask.
    const imageHoles = bettiNumbers(s.images, s.shape);
    let fewer = 0;
    for (let i = 0; i < n; i++) if (imageHoles[2 * i + 1] < s.betti[2 * i + 1]) fewer++;
    expect(fewer).toBeGreaterThan(n / 2);
    // Without gaps the image is the mask.
    const whole = segmentationSet({ kind: 'membranes', size: 64, count: 3, seed: 3, ...CLEAN, gapDensity: 0 });
    expect(whole.images).toEqual(whole.masks);
  });

  test('vessels can have gaps too; dark structures with invert', () => {
    const s = segmentationSet({ kind: 'vessels', size: 64, count: 10, seed: 4, ...CLEAN, gapDensity: 2 });
    let gaps = 0;
    for (let p = 0; p < s.masks.length; p++) if (s.masks[p] === 1 && s.images[p] === 0) gaps++;
    expect(gaps).toBeGreaterThan(0);
    const dark = segmentationSet({ kind: 'vessels', size: 32, count: 1, seed: 4, ...CLEAN, invert: true });
    expect(dark.images).toEqual(dark.masks.map((v) => 1 - v));
  });

  test('minHoleArea fills small holes of the mask; 0 keeps them all', () => {
    const opts = { kind: 'membranes' as const, size: 64, count: 10, seed: 8, cellSize: 8 };
    const kept = segmentationSet({ ...opts, minHoleArea: 0 });
    const filled = segmentationSet({ ...opts, minHoleArea: 30 });
    const holes = (b: Int32Array) => Array.from({ length: 10 }, (_, i) => b[2 * i + 1]).reduce((a, v) => a + v, 0);
    expect(holes(filled.betti)).toBeLessThan(holes(kept.betti));
  });
});

describe('segmentation datasets: bad options name the argument', () => {
  const base = { kind: 'vessels' as const, size: 32, count: 1 };
  const cases: [object, string][] = [
    [{ ...base, size: 3 }, 'options.size: expected an integer from 16 to 2048, got 3'],
    [{ ...base, size: 40.5 }, 'options.size: expected an integer from 16 to 2048, got 40.5'],
    [{ ...base, size: [32] }, 'options.size: expected an integer or [height, width], got [32]'],
    [{ ...base, size: [32, 8] }, 'options.size[1]: expected an integer from 16 to 2048, got 8'],
    [{ ...base, kind: 'roads' }, "options.kind: expected 'vessels' or 'membranes', got 'roads'"],
    [{ ...base, count: -1 }, 'options.count: expected an integer ≥ 0, got -1'],
    [{ ...base, count: undefined }, 'options.count: expected an integer ≥ 0, got undefined'],
    [{ ...base, seed: -2 }, 'options.seed: expected an integer from 0 to 4294967295, got -2'],
    [{ ...base, split: 'dev' }, "options.split: expected 'train', 'validation' or 'test', got 'dev'"],
    [{ ...base, start: 1.5 }, 'options.start: expected an integer ≥ 0, got 1.5'],
    [{ ...base, contrast: [0.8, 0.2] }, 'options.contrast: expected [min, max] with 0 ≤ min ≤ max ≤ 1, got [0.8, 0.2]'],
    [{ ...base, background: 0.1 }, 'options.background: expected [min, max] with 0 ≤ min ≤ max ≤ 1, got 0.1'],
    [{ ...base, widths: [0.5, 2] }, 'options.widths: expected [min, max] with 1 ≤ min ≤ max ≤ 8, got [0.5, 2]'],
    [{ ...base, gapLength: [4, 100] }, 'options.gapLength: expected [min, max] with 1 ≤ min ≤ max ≤ 64, got [4, 100]'],
    [{ ...base, trees: [1, 2.5] }, 'options.trees: expected [min, max] integers with 1 ≤ min ≤ max ≤ 20, got [1, 2.5]'],
    [{ ...base, branches: [3, 1] }, 'options.branches: expected [min, max] integers with 0 ≤ min ≤ max ≤ 50'],
    [{ ...base, noise: -0.1 }, 'options.noise: expected a number from 0 to 1, got -0.1'],
    [{ ...base, blur: 'big' }, "options.blur: expected a number from 0 to 8, got 'big'"],
    [{ ...base, gapDensity: NaN }, 'options.gapDensity: expected a number from 0 to 100, got NaN'],
    [{ ...base, loopProbability: 2 }, 'options.loopProbability: expected a number from 0 to 1, got 2'],
    [{ ...base, minHoleArea: -1 }, 'options.minHoleArea: expected an integer ≥ 0, got -1'],
    [{ ...base, invert: 1 }, 'options.invert: expected a boolean, got 1'],
    [{ ...base, cellSize: 12 }, "options.cellSize: applies to kind 'membranes' only"],
    [{ ...base, kind: 'membranes', tortuosity: 1 }, "options.tortuosity: applies to kind 'vessels' only"],
    [{ ...base, kind: 'membranes', cellSize: 2 }, 'options.cellSize: expected a number from 6 to 256, got 2'],
    [
      { ...base, nosie: 0.1 },
      "options.nosie: unknown option (did you mean 'noise'?); expected one of kind, size, seed",
    ],
  ];
  test.each(cases)('segmentationSet(%j)', (options, message) => {
    expect(() => segmentationSet(options as never)).toThrow(message);
  });

  test('segmentationDataset: count per split', () => {
    const d = { kind: 'membranes' as const, size: 32 };
    expect(() => segmentationDataset({ ...d, count: { train: -3 } })).toThrow(
      'options.count.train: expected an integer ≥ 0, got -3',
    );
    expect(() => segmentationDataset({ ...d, count: { tset: 3 } } as never)).toThrow(
      "options.count.tset: unknown option (did you mean 'test'?); expected one of train, validation, test",
    );
    expect(() => segmentationDataset({ ...d, count: 5 } as never)).toThrow('options.count: expected an object, got 5');
    expect(() => segmentationDataset({ ...d } as never)).toThrow(
      'options.count: expected { train, validation, test } image counts, got undefined',
    );
    expect(() => segmentationDataset(undefined as never)).toThrow(
      'options: expected an object with kind, size and count, got undefined',
    );
    expect(() => segmentationSet(null as never)).toThrow('options: expected an object, got null');
  });
});
