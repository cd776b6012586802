import { loadPaperImage, PAPER_EXPERIMENTS, preprocess, scaleTo255 } from '../../../app/demo/paper';
import { ExactLoss, noiseRobustness } from '../../../app/demo/experiments';

// The paper's preprocessing: one channel, crop, sign, min–max scaling to exactly [0, 255].

test('crop, sign and scaling on a hand-made image', () => {
  // 3×4 image, crop the 2×2 square at (1, 1): values 5, 6 / 9, 10 → negated −5, −6 / −9, −10.
  const grey = Float64Array.from({ length: 12 }, (_, i) => i);
  const out = preprocess(grey, [3, 4], [1, 1, 2], -1);
  // −5 is the maximum (255), −10 the minimum (0): (v + 10) · 255 / 5.
  expect(Array.from(out)).toEqual([255, 204, 51, 0]);
  expect(Array.from(preprocess(grey, [3, 4], [1, 1, 2], 1))).toEqual([0, 51, 204, 255]);
});

test('crops that do not fit are refused, never padded', () => {
  expect(() => preprocess(new Float64Array(12), [3, 4], [2, 2, 2], 1)).toThrow(/crop: .* does not fit an image of 3×4/);
});

test('a constant image scales to zeros', () => {
  expect(Array.from(scaleTo255(Float32Array.of(7, 7, 7)))).toEqual([0, 0, 0]);
});

test.each(PAPER_EXPERIMENTS.map((e) => [e.name, e] as const))(
  '%s: the paper image, cropped and scaled to exactly [0, 255]',
  (_, e) => {
    const { values, shape } = loadPaperImage(e);
    expect(shape).toEqual([e.crop[2], e.crop[2]]);
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(255);
    // The exact loss sees bars above the threshold: there is something to optimize.
    expect(new ExactLoss(shape, e).of(values)).toBeGreaterThan(0);
  },
);

test('noise robustness: ε = 0 reproduces the exact loss; worst case bounds the mean', () => {
  const e = PAPER_EXPERIMENTS.find((x) => x.name === 'blobs')!;
  const { values, shape } = loadPaperImage(e);
  const rows = noiseRobustness(e, values, shape, [0, 20], 4, 1);
  const exact = new ExactLoss(shape, e).of(values);
  expect(rows.find((r) => r.epsilon === 0 && r.p === 1)!.mean).toBeCloseTo(exact, 6);
  for (const r of rows) expect(r.worst).toBeGreaterThanOrEqual(r.mean - 1e-9); // minimizing: worst = highest
});
