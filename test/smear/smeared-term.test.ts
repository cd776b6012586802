import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { topologicalTerm } from '../../src';
import { BlockSmear } from '../../src/smear/block-smear';
import { smearedTerm } from '../../src/smear/smeared-term';
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
