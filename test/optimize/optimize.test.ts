import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { optimize, topologicalTerm } from '../../src';
import { blobs, componentsAbove, componentTerm, H, W } from '../reference/blobs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('optimize', () => {
  const exactTerm = (x: tf.Tensor) => tf.tidy(() => topologicalTerm(x, componentTerm).dataSync()[0]);

  for (const path of ['host', 'tensor'] as const)
    test(`${path} path: vanilla and smeared runs lower the exact term and report their history`, async () => {
      const x0 = tf.reshape(blobs(1, 8), [H, W]);
      for (const smear of [undefined, { block: 2, noise: 0.05, seed: 2 }]) {
        const seen: number[] = [];
        const { result, history } = await optimize(x0, {
          steps: 150,
          path,
          ...componentTerm,
          smear,
          every: 50,
          onStep: ({ step }) => {
            seen.push(step);
          },
        });
        expect(history).toHaveLength(150);
        expect(seen).toEqual([50, 100, 150]);
        expect(history[149].seconds).toBeGreaterThan(0);
        expect(exactTerm(result)).toBeLessThan(0.5 * exactTerm(x0));
        if (!smear) expect(componentsAbove(result, 0.05)).toBeLessThan(componentsAbove(x0, 0.05));
        result.dispose();
      }
    });

  test('the host and tensor paths take the same steps', async () => {
    const x0 = tf.reshape(blobs(1, 3), [H, W]);
    for (const smear of [undefined, { block: 3, noise: 0.02, seed: 5, measure: 'simplex' as const }]) {
      const run = (path: 'host' | 'tensor') => optimize(x0, { steps: 25, path, ...componentTerm, smear });
      const [host, tensor] = [await run('host'), await run('tensor')];
      const a = host.result.dataSync();
      const b = tensor.result.dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 3);
      host.history.forEach((h, i) => expect(h.loss).toBeCloseTo(tensor.history[i].loss, 3));
      host.result.dispose();
      tensor.result.dispose();
    }
  });

  test('stops when onStep returns false, and validates its options', async () => {
    const x0 = tf.reshape(blobs(1, 9), [H, W]);
    const { result, history } = await optimize(x0, {
      steps: 50,
      functional: { kind: 'topK', k: 1 },
      onStep: ({ step }) => step < 3,
    });
    expect(history).toHaveLength(3);
    result.dispose();
    await expect(optimize(x0, { steps: 0, functional: { kind: 'topK', k: 1 } })).rejects.toThrow(/options\.steps/);
    await expect(optimize(x0, { steps: 1, alpha: 2, functional: { kind: 'topK', k: 1 } })).rejects.toThrow(
      /options\.alpha/,
    );
    await expect(
      optimize(tf.zeros([1, 4, 4, 1]), { steps: 1, path: 'host', functional: { kind: 'topK', k: 1 } }),
    ).rejects.toThrow(/options\.path/);
  });

  test('leaks no tensors', async () => {
    const x0 = tf.reshape(blobs(1, 4), [H, W]);
    for (const path of ['host', 'tensor'] as const) {
      const before = tf.memory().numTensors;
      const { result } = await optimize(x0, {
        steps: 5,
        path,
        ...componentTerm,
        smear: { block: 2, seed: 1 },
        onStep: () => {},
      });
      result.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
