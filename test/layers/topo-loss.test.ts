import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { layers, losses, optimize, persistenceDiagrams, topologicalTerm } from '../../src';
import { smearedTerm } from '../../src/smear/smeared-term';
import { BlockSmear } from '../../src/smear/block-smear';
import { mulberry32 } from '../reference/mulberry32';
import { expectRoundTrip } from '../reference/round-trip';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const H = 12;
const W = 12;

/** A batch of [B, H, W, 1] images of scattered bright blobs: many superlevel components. */
function blobs(batch: number, seed: number): tf.Tensor4D {
  const random = mulberry32(seed);
  const data = new Float32Array(batch * H * W);
  for (let b = 0; b < batch; b++)
    for (let k = 0; k < 6; k++) {
      const cy = random() * H;
      const cx = random() * W;
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) data[(b * H + y) * W + x] += Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / 2);
    }
  return tf.tensor4d(data, [batch, H, W, 1]);
}

/** Superlevel H0 classes of each map living longer than `threshold` (the essential one included). */
function componentsAbove(x: tf.Tensor, threshold: number): number {
  return tf.tidy(() => {
    const d = persistenceDiagrams(x, { superlevel: true, dims: [0], essential: 'clip' });
    let count = 0;
    for (let i = 0; i < d.dim.length; i++) if (Math.abs(d.values[2 * i + 1] - d.values[2 * i]) > threshold) count++;
    return count;
  });
}

// Merge the components by raising their saddles (gradient to the death cells, as the paper does
// for its blobs): lowering peaks instead would dig dimples that are new components themselves.
const componentTerm = {
  superlevel: true,
  functional: { kind: 'totalPersistence' as const, dim: 0, p: 2, target: 'death' as const },
};

// For a model, both ends of each bar are the model's to move (raising only the saddles through a
// kernel would raise the peaks with them).
const modelTerm = {
  superlevel: true,
  functional: { kind: 'totalPersistence' as const, dim: 0, p: 2 },
};

/** A 3×3 convolution starting as the identity, then the topological layer. */
function model(topoLayer: tfl.layers.Layer): tfl.Sequential {
  const m = tfl.sequential();
  const identity = tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [3, 3, 1, 1]);
  m.add(
    tfl.layers.conv2d({
      inputShape: [H, W, 1],
      filters: 1,
      kernelSize: 3,
      padding: 'same',
      weights: [identity],
      useBias: false,
    }),
  );
  m.add(topoLayer);
  return m;
}

describe('loss layers in model.fit', () => {
  for (const [name, make] of [
    ['vanillaTopoLoss', () => layers.vanillaTopoLoss({ ...modelTerm, weight: 1 })],
    ['smearedTopoLoss', () => layers.smearedTopoLoss({ ...modelTerm, weight: 1, block: 2, noise: 0.01, seed: 3 })],
  ] as const)
    test(`${name}: training removes spurious components of the output`, async () => {
      const x = blobs(4, 1);
      const m = model(make());
      // The data term asks the output to stay the input; the topological term asks for fewer
      // components: the kernel learns to blur blobs together.
      m.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
      const before = componentsAbove(m.predict(x) as tf.Tensor, 0.05);
      await m.fit(x, x, { epochs: 60, batchSize: 4, verbose: 0 });
      const after = componentsAbove(m.predict(x) as tf.Tensor, 0.05);
      expect(before).toBeGreaterThan(4); // several components per image to begin with
      expect(after).toBeLessThan(before);
    });
});

describe('serialization', () => {
  for (const [name, layer] of [
    ['VanillaTopoLoss', () => layers.vanillaTopoLoss({ ...componentTerm, weight: 0.5, essential: 'clip' })],
    [
      'SmearedTopoLoss',
      () =>
        layers.smearedTopoLoss({
          functional: { kind: 'totalPersistence', dim: 0, lifetimeRange: [0.1, Infinity], target: 'death' },
          block: [2, 3],
          noise: 0.1,
          measure: 'vertex',
          samples: 2,
          seed: 9,
        }),
    ],
  ] as const)
    test(`${name}: save and load round trip`, async () => {
      const original = model(layer());
      await expectRoundTrip(original, name, blobs(2, 5));
    });
});

test('no tensor leaks over 100 training steps', async () => {
  const x = blobs(2, 2);
  const y = tf.zerosLike(x);
  const m = model(layers.smearedTopoLoss({ ...componentTerm, block: 2, noise: 0.01, seed: 1 }));
  m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  await m.trainOnBatch(x, y); // creates the optimizer's slots
  const start = tf.memory().numTensors;
  for (let i = 0; i < 100; i++) await m.trainOnBatch(x, y);
  expect(tf.memory().numTensors).toBe(start);
});

describe('loss functions for compile', () => {
  test('binary cross-entropy plus a Betti prior trains and lowers the component count', async () => {
    const x = blobs(4, 7);
    const m = tfl.sequential();
    m.add(
      tfl.layers.conv2d({ inputShape: [H, W, 1], filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
    );
    const loss = losses.topological({
      base: 'binaryCrossentropy',
      weight: 1,
      superlevel: true,
      functional: { kind: 'betti', dim: 0, betti: 1, lifetime: 1 },
    });
    m.compile({ optimizer: tf.train.adam(0.05), loss });
    const labels = tf.tidy(() => tf.cast(tf.greater(x, 0.5), 'float32'));
    const history = await m.fit(x, labels, { epochs: 30, batchSize: 4, verbose: 0 });
    const values = history.history.loss as number[];
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values[values.length - 1]).toBeLessThan(values[0]);
  });

  test('rejects malformed arguments', () => {
    expect(() => losses.topological({ functional: { kind: 'nope' } as never })).toThrow(/args\.functional\.kind/);
    expect(() => losses.topological({ base: 'hinge' as never, functional: { kind: 'topK', k: 1 } })).toThrow(
      /args\.base/,
    );
  });
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

describe('bad arguments', () => {
  test('layers reject a malformed functional, weight or smearing', () => {
    expect(() => layers.vanillaTopoLoss({ functional: { kind: 'magic' } as never })).toThrow(/args\.functional\.kind/);
    expect(() => layers.vanillaTopoLoss({ functional: { kind: 'topK', k: 1 }, weight: NaN })).toThrow(/args\.weight/);
    expect(() => layers.smearedTopoLoss({ functional: { kind: 'topK', k: 1 }, block: 2, noise: -1 })).toThrow(/noise/);
    expect(() => layers.smearedTopoLoss({ functional: { kind: 'topK', k: 1 }, block: 2, samples: 0 })).toThrow(
      /args\.samples/,
    );
  });

  test('a loss layer refuses a second input, in a model and when called, as tfjs-layers layers do', () => {
    const a = tfl.input({ shape: [H, W, 1] });
    const b = tfl.input({ shape: [H, W, 1] });
    const layer = layers.vanillaTopoLoss({ functional: { kind: 'topK', k: 1 }, name: 'topo' });
    expect(() => layer.apply([a, b])).toThrow(/^VanillaTopoLoss 'topo': expected one input, got 2$/);
    expect(() => layer.call([tf.zeros([1, H, W, 1]), tf.zeros([1, H, W, 1])], {})).toThrow(/expected one input, got 2/);
    const output = layer.apply([a]) as tfl.SymbolicTensor;
    expect(output.shape).toEqual([null, H, W, 1]);
    layer.dispose();
  });

  test('the op rejects NaN input, unknown dimensions and wrong ranks', () => {
    expect(() => persistenceDiagrams(tf.tensor2d([[0, NaN]]))).toThrow(/^x: .*NaN/);
    expect(() => persistenceDiagrams(tf.tensor1d([1, 2]))).toThrow(/^x: /);
    expect(() => persistenceDiagrams(tf.zeros([2, 2]), { dims: [2] })).toThrow(/options\.dims/);
    expect(() =>
      topologicalTerm(tf.zeros([3, 3]), { dims: [0], functional: { kind: 'totalPersistence', dim: 1 } }),
    ).toThrow(/options\.dim: homology dimension 1 was not computed/);
  });

  test('a block larger than the input is refused when the smeared term runs', () => {
    const smear = new BlockSmear({ block: 5 });
    expect(() => smearedTerm(tf.zeros([4, 4]), { functional: { kind: 'topK', k: 1 } }, smear, 1)).toThrow(/block/);
    smear.dispose();
  });
});
