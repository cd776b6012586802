import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { coverFromSets, CoverSmear, nerve, PointSubsample, SimplicialComplex, topologicalTerm } from '../../src';
import { BlockSmear } from '../../src/smear/block-smear';
import { smearedComplexTerm, smearedPointCloudTerm, smearedTerm } from '../../src/smear/smeared-term';
import { blobs, H, W } from '../reference/blobs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('smeared term', () => {
  test('with the center measure and no noise, the gradient is the pooled gradient spread evenly', () => {
    const x = tf.reshape(blobs(1, 4), [H, W]);
    const term = { functional: { kind: 'totalPersistence' as const, p: 2 } };
    const smear = new BlockSmear({ block: 3, measure: 'center', noise: 0 });
    const smeared = tf.grad((t: tf.Tensor) => smearedTerm(t, term, smear, 1))(x);
    const pooled = tf.tidy(() =>
      tf.reshape(tf.avgPool(tf.reshape(x, [1, H, W, 1]) as tf.Tensor4D, 3, 3, 'valid'), [H / 3, W / 3]),
    );
    const pooledGrad = tf.grad((t: tf.Tensor) => topologicalTerm(t, term))(pooled);
    const spread = tf.tidy(() => {
      const g = tf.reshape(pooledGrad, [H / 3, 1, W / 3, 1]);
      return tf.div(tf.reshape(tf.tile(g, [1, 3, 1, 3]), [H, W]), 9);
    });
    const a = smeared.dataSync();
    const b = spread.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    expect(a.some((g) => g !== 0)).toBe(true);
    smear.dispose();
  });

  test('m samples average m single draws of the same stream', () => {
    const x = tf.reshape(blobs(1, 6), [H, W]);
    const term = { functional: { kind: 'totalPersistence' as const, dim: 0 } };
    const together = new BlockSmear({ block: 2, noise: 0.2, seed: 42 });
    const apart = new BlockSmear({ block: 2, noise: 0.2, seed: 42 });
    const mean = smearedTerm(x, term, together, 5).dataSync()[0];
    let sum = 0;
    for (let i = 0; i < 5; i++) sum += smearedTerm(x, term, apart, 1).dataSync()[0];
    expect(mean).toBeCloseTo(sum / 5, 4);
    together.dispose();
    apart.dispose();
  });
});

describe('bad arguments are refused before any approximate, naming them', () => {
  const total = { kind: 'totalPersistence', dim: 0 } as const;
  const x = () => tf.zeros([6, 6]);
  const block = new BlockSmear({ block: 2, seed: 1 });
  const square = SimplicialComplex.fromSimplices([
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 0],
  ]);
  const cover = coverFromSets(
    [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 0],
    ],
    4,
  );
  const coverSmear = new CoverSmear(cover, { seed: 1 });
  const nerveComplex = nerve(square, cover, 1);
  const cloud = () => tf.tensor2d([0, 0, 1, 0, 1, 1, 0, 1], [4, 2]);
  const subsample = new PointSubsample({ size: 3, seed: 1 });
  afterAll(() => block.dispose());

  test.each([
    ['samples: expected an integer ≥ 1, got 0', () => smearedTerm(x(), { functional: total }, block, 0)],
    ['samples: expected an integer ≥ 1, got 2.5', () => smearedTerm(x(), { functional: total }, block, 2.5)],
    ['smear: expected a BlockSmear, got Object', () => smearedTerm(x(), { functional: total }, {} as never, 1)],
    [
      "term.functional.kind: expected one of 'totalPersistence'",
      () => smearedTerm(x(), { functional: { kind: 'bettti' } as never }, block, 1),
    ],
    [
      "term.superlevel: expected a boolean, got 'yes'",
      () => smearedTerm(x(), { functional: total, superlevel: 'yes' as never }, block, 1),
    ],
    [
      'term.functional.dim: homology dimension 1 is not computed (term.dims is [0])',
      () => smearedTerm(x(), { functional: { ...total, dim: 1 }, dims: [0] }, block, 1),
    ],
    [
      'term.dims: homology dimension 2 is out of range for a 2-D input',
      () => smearedTerm(x(), { functional: total, dims: [0, 2] }, block, 1),
    ],
    [
      'samples: expected an integer ≥ 1, got 0',
      () => smearedComplexTerm(tf.zeros([4]), { functional: total }, coverSmear, nerveComplex, 0),
    ],
    [
      "term.functional.kind: expected one of 'totalPersistence'",
      () => smearedComplexTerm(tf.zeros([4]), { functional: { kind: 'bettti' } as never }, coverSmear, nerveComplex, 1),
    ],
    [
      'term.dims: homology dimension 2 is out of range for a complex of dimension 1',
      () => smearedComplexTerm(tf.zeros([4]), { functional: total, dims: [2] }, coverSmear, nerveComplex, 1),
    ],
    [
      'smear: expected a CoverSmear, got BlockSmear',
      () => smearedComplexTerm(tf.zeros([4]), { functional: total }, block as never, nerveComplex, 1),
    ],
    [
      'nerveComplex: expected a SimplicialComplex, got undefined',
      () => smearedComplexTerm(tf.zeros([4]), { functional: total }, coverSmear, undefined as never, 1),
    ],
    [
      'samples: expected an integer ≥ 1, got 0',
      () => smearedPointCloudTerm(cloud(), { functional: total }, subsample, 0),
    ],
    [
      "term.functional.kind: expected one of 'totalPersistence', 'topK', 'betti', 'wasserstein', got 'bettti'",
      () => smearedPointCloudTerm(cloud(), { functional: { kind: 'bettti' } as never }, subsample, 1),
    ],
    [
      'term.maxDim: expected 0, 1 or 2, got 3',
      () => smearedPointCloudTerm(cloud(), { functional: total, maxDim: 3 as never }, subsample, 1),
    ],
    [
      'term.functional.dim: homology dimension 1 is not computed (term.maxDim is 0)',
      () => smearedPointCloudTerm(cloud(), { functional: { ...total, dim: 1 }, maxDim: 0 }, subsample, 1),
    ],
    [
      'term.maxdim: unknown option',
      () => smearedPointCloudTerm(cloud(), { functional: total, maxdim: 1 } as never, subsample, 1),
    ],
    [
      'subsample: expected a PointSubsample, got null',
      () => smearedPointCloudTerm(cloud(), { functional: total }, null as never, 1),
    ],
  ])('%s', (message, call) => {
    expect(() => tf.tidy(() => void call())).toThrow(message);
  });
});
