import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { layers } from '../../src';
import { lowerStarPersistence } from '../../src/persistence/lower-star/lower-star';
import { ripsPersistence } from '../../src/persistence/rips/rips';
import { torusMesh } from '../../src/persistence/lower-star/triangulations';
import { mulberry32 } from '../reference/mulberry32';
import { expectRoundTrip, expectSameDraws } from '../reference/round-trip';

// The point-cloud and complex loss layers inside model.fit, saved and loaded, and leak-free.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 24;

/** A batch of noisy circles [B, N, 2] of radius 0.5. */
function circles(batch: number, seed: number): tf.Tensor3D {
  const random = mulberry32(seed);
  const data = new Float32Array(batch * N * 2);
  for (let i = 0; i < batch * N; i++) {
    const a = 2 * Math.PI * random();
    const r = 0.5 + 0.1 * (random() - 0.5);
    data.set([r * Math.cos(a), r * Math.sin(a)], 2 * i);
  }
  return tf.tensor3d(data, [batch, N, 2]);
}

/** The longest H1 lifetime of each cloud. */
function longestLoop(points: tf.Tensor): number[] {
  const [b] = points.shape;
  const data = points.dataSync();
  return Array.from({ length: b }, (_, i) => {
    const [, h1] = ripsPersistence(data.subarray(i * N * 2, (i + 1) * N * 2), 2);
    return Math.max(0, ...Array.from(h1.deaths, (d, j) => d - h1.births[j]));
  });
}

/** A per-point linear map (starting as the identity), then the topological layer. */
function cloudModel(topoLayer: tfl.layers.Layer): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ inputShape: [N, 2], units: 2, useBias: false, weights: [tf.eye(2)] }));
  m.add(topoLayer);
  return m;
}

const torus = torusMesh(12, 16);
const torusTriangles = Array.from({ length: torus.complex.count(2) }, (_, t) =>
  Array.from(torus.complex.faces(2).subarray(3 * t, 3 * t + 3)),
);
const V = torus.complex.numVertices;

function noisyFunctions(batch: number, seed: number): tf.Tensor2D {
  const random = mulberry32(seed);
  return tf.tensor2d(
    Float32Array.from({ length: batch * V }, (_, i) => Math.sin(torus.angles[2 * (i % V)]) + 0.5 * random()),
    [batch, V],
  );
}

/** Σ lifetime² of the H0 pairs (minimum, saddle) of every function: what the layers minimize. */
function extremaLoss(values: tf.Tensor): number {
  const [b] = values.shape;
  const data = values.dataSync();
  let sum = 0;
  for (let i = 0; i < b; i++) {
    const [d] = lowerStarPersistence(torus.complex, data.subarray(i * V, (i + 1) * V), { dims: [0] });
    for (let j = 0; j < d.births.length; j++) if (d.deathCells[j] >= 0) sum += (d.deaths[j] - d.births[j]) ** 2;
  }
  return sum;
}

/**
 * A model whose output is one function on the mesh, held in its weights (input: the constant [[1]]),
 * starting at `x`, then the topological layer: fitting it to `x` optimizes the function itself.
 */
function complexModel(topoLayer: tfl.layers.Layer, x = noisyFunctions(1, 3)): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ inputShape: [1], units: V, useBias: false, weights: [x] }));
  m.add(topoLayer);
  return m;
}

const one = tf.ones([1, 1]);

const loopFunctional = { kind: 'topK' as const, dim: 1, k: 1, goal: 'maximize' as const };
const extremaFunctional = { kind: 'totalPersistence' as const, dim: 0, p: 2 };

describe('point-cloud loss layers in model.fit', () => {
  for (const [name, make] of [
    ['vanillaPointCloudTopoLoss', () => layers.vanillaPointCloudTopoLoss({ functional: loopFunctional })],
    [
      'smearedPointCloudTopoLoss',
      () =>
        layers.smearedPointCloudTopoLoss({ functional: loopFunctional, size: 16, samples: 2, jitter: 0.01, seed: 1 }),
    ],
  ] as const)
    test(`${name}: training widens the loop of every cloud`, async () => {
      const x = circles(3, 1);
      const m = cloudModel(make());
      m.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
      const before = longestLoop(m.predict(x) as tf.Tensor);
      await m.fit(x, x, { epochs: 20, batchSize: 3, shuffle: false, verbose: 0 }); // shuffled, the batch order (and the training) would change by run
      const after = longestLoop(m.predict(x) as tf.Tensor);
      after.forEach((l, i) => expect(l).toBeGreaterThan(before[i]));
    });
});

describe('complex loss layers in model.fit', () => {
  for (const [name, make] of [
    [
      'vanillaComplexTopoLoss',
      () => layers.vanillaComplexTopoLoss({ simplices: torusTriangles, functional: extremaFunctional }),
    ],
    [
      'smearedComplexTopoLoss',
      () =>
        layers.smearedComplexTopoLoss({
          simplices: torusTriangles,
          functional: extremaFunctional,
          measure: 'vertex',
          noise: 0.01,
          seed: 2,
          coverRadius: 1,
        }),
    ],
  ] as const)
    test(`${name}: training lowers the exact H0 loss (small extrema flattened)`, async () => {
      const x = noisyFunctions(1, 3);
      const m = complexModel(make(), x);
      m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
      const before = extremaLoss(m.predict(one) as tf.Tensor);
      await m.fit(one, x, { epochs: 100, batchSize: 1, verbose: 0 });
      expect(extremaLoss(m.predict(one) as tf.Tensor)).toBeLessThan(0.5 * before);
    });
});

describe('save and load round trip', () => {
  for (const [name, model, input] of [
    [
      'VanillaPointCloudTopoLoss',
      () => cloudModel(layers.vanillaPointCloudTopoLoss({ functional: loopFunctional, maxDim: 1, threshold: 2 })),
      () => circles(1, 4),
    ],
    [
      'SmearedPointCloudTopoLoss',
      () =>
        cloudModel(
          layers.smearedPointCloudTopoLoss({
            functional: loopFunctional,
            size: 10,
            sampling: 'farthest',
            jitter: 0.1,
            samples: 3,
            seed: 5,
          }),
        ),
      () => circles(1, 4),
    ],
    [
      'VanillaComplexTopoLoss',
      () =>
        complexModel(
          layers.vanillaComplexTopoLoss({ simplices: torusTriangles, superlevel: true, functional: extremaFunctional }),
        ),
      () => one,
    ],
    [
      'SmearedComplexTopoLoss',
      () =>
        complexModel(
          layers.smearedComplexTopoLoss({
            simplices: torusTriangles,
            cover: [[0, 1, 2], ...Array.from({ length: V - 3 }, (_, v) => [v + 3])],
            measure: 'vertex',
            functional: extremaFunctional,
            samples: 2,
          }),
        ),
      () => one,
    ],
  ] as const)
    test(name, async () => {
      const original = model();
      await expectRoundTrip(original, name, input());
    });
});

test('no tensor leaks over 50 training steps of the smeared layers', async () => {
  for (const [m, x, y] of [
    [
      cloudModel(layers.smearedPointCloudTopoLoss({ functional: loopFunctional, size: 12, seed: 1 })),
      circles(2, 2),
      circles(2, 2),
    ],
    [
      complexModel(
        layers.smearedComplexTopoLoss({ simplices: torusTriangles, functional: extremaFunctional, seed: 1 }),
      ),
      one,
      noisyFunctions(1, 2),
    ],
  ] as const) {
    m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    await m.trainOnBatch(x, y); // creates the optimizer's slots
    const start = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) await m.trainOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(start);
  }
});

test('a smeared point-cloud layer built without a seed saves the one it drew: its copy replays the same draws', () => {
  const layer = layers.smearedPointCloudTopoLoss({ functional: loopFunctional, size: 10, jitter: 0.1 });
  const config = layer.getConfig();
  expect(Number.isSafeInteger(config['seed'])).toBe(true);
  const copy = layers.SmearedPointCloudTopoLoss.fromConfig(layers.SmearedPointCloudTopoLoss, config) as typeof layer;
  expect(copy.getConfig()).toEqual(config);
  expectSameDraws(layer, copy, circles(1, 4));
});

test('the complex layers name a malformed complex or cover by its argument', () => {
  const f = extremaFunctional;
  expect(() => layers.vanillaComplexTopoLoss({ functional: f, simplices: [[0, -1]] })).toThrow(
    'args.simplices[0]: vertex -1 is not a non-negative integer',
  );
  expect(() => layers.vanillaComplexTopoLoss({ functional: f, simplices: [[0, 3]], numVertices: 2 })).toThrow(
    'args.simplices[0]: vertex 3 is out of range 0..1 (numVertices 2)',
  );
  expect(() => layers.vanillaComplexTopoLoss({ functional: f, simplices: 'ab' as never })).toThrow(
    /^args\.simplices: expected a list of simplices/,
  );
  expect(() => layers.vanillaComplexTopoLoss({ functional: f, simplices: [[0, 1]], numVertices: 1.5 })).toThrow(
    'args.numVertices: expected an integer from 1 to 2147483647, got 1.5',
  );
  expect(() => layers.smearedComplexTopoLoss({ functional: f, simplices: [[0, 1]], numVertices: 0 })).toThrow(
    'args.numVertices: expected an integer from 1 to 2147483647, got 0',
  );
  expect(() => layers.smearedComplexTopoLoss({ functional: f, simplices: [[0, 1]], cover: [[0]] })).toThrow(
    'args.cover: vertex 1 lies in no set (a cover must cover every vertex)',
  );
  expect(() => layers.smearedComplexTopoLoss({ functional: f, simplices: [[0, 1]], cover: [[0, 5], [1]] })).toThrow(
    'args.cover[0]: vertex 5 is not an integer in 0..1',
  );
  expect(() => layers.smearedComplexTopoLoss({ functional: f, simplices: [[0, 1]], coverRadius: -1 })).toThrow(
    'args.coverRadius: expected an integer ≥ 0 (edges), got -1',
  );
});

test('layer arguments are checked at construction', () => {
  expect(() => layers.smearedPointCloudTopoLoss({ functional: loopFunctional, size: 1 })).toThrow(
    'args.size: expected an integer ≥ 2',
  );
  expect(() => layers.vanillaComplexTopoLoss({ simplices: [[0, 0, 1]], functional: extremaFunctional })).toThrow(
    /simplices\[0\]/,
  );
  expect(() =>
    layers.smearedComplexTopoLoss({ simplices: torusTriangles, cover: [[0]], functional: extremaFunctional }),
  ).toThrow('lies in no set');
  expect(() => layers.vanillaPointCloudTopoLoss({ functional: { kind: 'nope' } as never })).toThrow(
    'args.functional.kind',
  );
});
