import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { LabelTerm } from '../../src/ops/label-term';
import { tileBatch, tileStarts } from '../../src/ops/tiles';
import { expectGradientsMatch, genericValues } from '../reference/gradient-check';
import { mulberry32 } from '../reference/mulberry32';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('tile starts step by size − overlap and the last tile ends at the border', () => {
  expect(tileStarts(10, 4, 1)).toEqual([0, 3, 6]);
  expect(tileStarts(8, 4, 0)).toEqual([0, 4]);
  expect(tileStarts(9, 4, 0)).toEqual([0, 4, 5]);
  expect(tileStarts(3, 4, 0)).toEqual([0]);
});

test('tileBatch stacks the tiles of every item along the batch axis', () => {
  const x = tf.tensor(
    Array.from({ length: 2 * 5 * 5 }, (_, i) => i),
    [2, 5, 5, 1],
  );
  const tiles = tileBatch(x, { size: 3, overlap: 1 }); // starts [0, 2] on both axes: 4 tiles per item
  expect(tiles.shape).toEqual([8, 3, 3, 1]);
  const v = tiles.arraySync() as number[][][][];
  expect(v[0].map((r) => r.map((c) => c[0]))).toEqual([
    [0, 1, 2],
    [5, 6, 7],
    [10, 11, 12],
  ]);
  // Tile order: corner by corner (y then x), every item within a corner: tile 3 is item 1 at (0, 2).
  expect(v[3][0].map((c) => c[0])).toEqual([27, 28, 29]);
  expect(tileBatch(x, { size: 5, overlap: 0 })).toBe(x); // one whole tile: the input itself
});

describe('LabelTerm with patch', () => {
  const random = mulberry32(5);
  const label = tf.tensor(
    Float32Array.from({ length: 2 * 8 * 8 }, () => (random() < 0.4 ? 1 : 0)),
    [2, 8, 8, 1],
  );
  test.each(['betti', 'bettiMatching'] as const)('%s: the sum over the tiles, each a map of its own', (kind) => {
    const pred = tf.tensor(genericValues(128, 3), [2, 8, 8, 1]);
    const patch = { size: 5, overlap: 2 };
    const whole = new LabelTerm({ kind, patch, reduction: 'sum' });
    const manual = new LabelTerm({ kind, reduction: 'sum' });
    const got = tf.tidy(() => whole.evaluate(label, pred).dataSync()[0]);
    const want = tf.tidy(
      () => manual.evaluate(tileBatch(label, whole.patch!), tileBatch(pred, whole.patch!)).dataSync()[0],
    );
    expect(got).toBeCloseTo(want, 5);
    expectGradientsMatch((x) => whole.evaluate(label, x), [2, 8, 8, 1], 0, genericValues(128, 3));
  });

  test.each([
    [{ size: 1 }, /config\.patch\.size: expected an integer ≥ 2, got 1/],
    [{ size: 4, overlap: 4 }, /config\.patch\.overlap: expected an integer from 0 to 3, got 4/],
    [{ size: 4, stride: 2 }, /config\.patch\.stride: unknown option; expected one of size, overlap/],
    [
      { size: 4, overlpa: 2 },
      /config\.patch\.overlpa: unknown option \(did you mean 'overlap'\?\); expected one of size, overlap/,
    ],
    [16, /config\.patch: expected \{ size, overlap\? \}, got 16/],
  ])('bad patch %j', (patch, message) => {
    expect(() => new LabelTerm({ kind: 'betti', patch: patch as never })).toThrow(message);
  });
});
