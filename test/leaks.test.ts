import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { gridTriangulation, layers, losses, optimize } from '../src/index';
import type { FunctionalConfig, LabelTermConfig } from '../src/index';
import { mulberry32 } from './reference/mulberry32';

// Leak tests: tf.memory().numTensors stays flat over 1,000 `optimize` steps (vanilla and STUMP, on
// both step paths) and over 200 `model.fit` steps with every loss layer and every loss function.
// After a few warm-up steps (the optimizer's slots, the layers' kept term, engine caches), the
// count read at every step must equal the count read at the end of the warm-up. Inputs are tiny
// (8×8 images, batch 2, one per-pixel dense layer) so that the whole file stays within seconds.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const S = 8; // image side
const WARM_UP = 5; // steps whose allocations are allowed

/** Counts must be flat from WARM_UP on: every later count equals the one at the end of the warm-up. */
function expectFlat(counts: number[], steps: number): void {
  expect(counts).toHaveLength(steps);
  const settled = counts[WARM_UP - 1];
  const drift = counts
    .slice(WARM_UP)
    .map((c, i) => [WARM_UP + i + 1, c - settled])
    .filter(([, d]) => d !== 0);
  expect(drift).toEqual([]); // [step, tensors more than after the warm-up] for every step that differs
}

/** Reproducible values in [0, 1). */
function uniform(n: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => random());
}

describe('optimize: 1,000 steps', () => {
  // Every H0 pair has a term (one kept at lifetime 1, the others pushed to 0), and on this input
  // there are pairs at every step (checked by hand: 2 to 8 of them), so the diagram op, the
  // functional and their gradients run in all 1,000 steps.
  const functional: FunctionalConfig = { kind: 'betti', dim: 0, betti: 2, lifetime: 1 };
  const STEPS = 1000;
  for (const path of ['host', 'tensor'] as const)
    for (const [name, smear] of [
      ['vanilla', undefined],
      ['STUMP smear', { block: 2, noise: 0.05, seed: 1 }],
    ] as const)
      test(`${name}, ${path} path`, async () => {
        const x0 = tf.tensor2d(uniform(S * S, 1), [S, S]);
        const before = tf.memory().numTensors;
        const counts: number[] = [];
        const { result, history } = await optimize(x0, {
          steps: STEPS,
          path,
          dims: [0],
          functional,
          smear,
          onStep: () => {
            counts.push(tf.memory().numTensors); // includes the step's copy of x, disposed after the call
          },
        });
        expect(history).toHaveLength(STEPS);
        expectFlat(counts, STEPS);
        result.dispose();
        expect(tf.memory().numTensors).toBe(before);
        x0.dispose();
      });
});

/** The steps of a fit: 20 epochs of 10 batches of 2. */
const EPOCHS = 20;
const BATCHES = 10;
const BATCH = 2;
const FIT_STEPS = EPOCHS * BATCHES;
const N = BATCHES * BATCH; // examples

/** Fits for FIT_STEPS steps, reading numTensors after every batch; then checks flatness and the count after fit. */
async function expectFitFlat(model: tfl.LayersModel, x: tf.Tensor | tf.Tensor[], y: tf.Tensor): Promise<void> {
  const counts: number[] = [];
  const epochEnds: number[] = [];
  const history = await model.fit(x, y, {
    epochs: EPOCHS,
    batchSize: BATCH,
    shuffle: false,
    verbose: 0,
    yieldEvery: 'never',
    callbacks: {
      onBatchEnd: async () => {
        counts.push(tf.memory().numTensors);
      },
      onEpochEnd: async () => {
        epochEnds.push(tf.memory().numTensors);
      },
    },
  });
  expect((history.history.loss as number[]).every(Number.isFinite)).toBe(true);
  expectFlat(counts, FIT_STEPS);
  // Epoch ends, from the second on, agree too (the first epoch holds the warm-up).
  expect(epochEnds.slice(1).every((c) => c === epochEnds[1])).toBe(true);
  // And fit itself leaves nothing behind: a second fit ends where the first did.
  const after = tf.memory().numTensors;
  await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0, yieldEvery: 'never' });
  expect(tf.memory().numTensors).toBe(after);
}

/** Images [N, S, S, 1] in [0, 1) and masks: a 3×3 square or two per image, with noise. */
function images(seed: number): { x: tf.Tensor4D; y: tf.Tensor4D } {
  const random = mulberry32(seed);
  const x = new Float32Array(N * S * S);
  const y = new Float32Array(N * S * S);
  for (let i = 0; i < N; i++)
    for (let s = 1 + Math.floor(random() * 2); s > 0; s--) {
      const r0 = Math.floor(random() * (S - 3));
      const c0 = Math.floor(random() * (S - 3));
      for (let r = r0; r < r0 + 3; r++) for (let c = c0; c < c0 + 3; c++) y[i * S * S + r * S + c] = 1;
    }
  for (let j = 0; j < x.length; j++) x[j] = 0.6 * y[j] + 0.4 * random();
  return { x: tf.tensor4d(x, [N, S, S, 1]), y: tf.tensor4d(y, [N, S, S, 1]) };
}

/**
 * A per-pixel dense layer (a 1×1 convolution, sigmoid), optionally followed by a loss layer. Not a
 * 3×3 conv2d: tfjs-cpu's convolution gradients would double the file's time, and the loss terms
 * see the same [B, S, S, 1] maps either way.
 */
function pixelModel(topoLayer?: tfl.layers.Layer): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ inputShape: [S, S, 1], units: 1, activation: 'sigmoid' }));
  if (topoLayer) m.add(topoLayer);
  return m;
}

const imageFunctional: FunctionalConfig = { kind: 'betti', dim: 0, betti: 1, lifetime: 1 };

describe('model.fit: 200 steps with each image loss layer', () => {
  test.each([
    ['vanillaTopoLoss', () => layers.vanillaTopoLoss({ superlevel: true, functional: imageFunctional, weight: 0.1 })],
    [
      'smearedTopoLoss',
      () =>
        layers.smearedTopoLoss({
          superlevel: true,
          functional: imageFunctional,
          weight: 0.1,
          block: 2,
          noise: 0.02,
          samples: 2,
          seed: 1,
        }),
    ],
  ])('%s', async (_, make) => {
    const { x, y } = images(1);
    const m = pixelModel(make());
    m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    await expectFitFlat(m, x, y);
    m.dispose();
    tf.dispose([x, y]);
  });
});

describe('model.fit: 200 steps with each point-cloud and complex loss layer', () => {
  const P = 10; // points per cloud
  const clouds = () => tf.tensor3d(uniform(N * P * 2, 2), [N, P, 2]);
  const cloudModel = (topoLayer: tfl.layers.Layer) => {
    const m = tfl.sequential();
    m.add(tfl.layers.dense({ inputShape: [P, 2], units: 2 }));
    m.add(topoLayer);
    return m;
  };
  const loop: FunctionalConfig = { kind: 'topK', dim: 1, k: 1, goal: 'maximize' };

  const grid = gridTriangulation(4, 4); // 16 vertices
  const triangles = Array.from({ length: grid.count(2) }, (_, t) =>
    Array.from(grid.faces(2).subarray(3 * t, 3 * t + 3)),
  );
  const V = grid.numVertices;
  const functions = () => tf.tensor2d(uniform(N * V, 3), [N, V]);
  const complexModel = (topoLayer: tfl.layers.Layer) => {
    const m = tfl.sequential();
    m.add(tfl.layers.dense({ inputShape: [V], units: V }));
    m.add(topoLayer);
    return m;
  };
  const extrema: FunctionalConfig = { kind: 'totalPersistence', dim: 0, lifetimeRange: [null, 0.5] };

  test.each([
    [
      'vanillaPointCloudTopoLoss',
      () => cloudModel(layers.vanillaPointCloudTopoLoss({ functional: loop, maxDim: 1, weight: 0.1 })),
      clouds,
    ],
    [
      'smearedPointCloudTopoLoss',
      () =>
        cloudModel(
          layers.smearedPointCloudTopoLoss({
            functional: loop,
            size: 6,
            jitter: 0.01,
            samples: 2,
            seed: 1,
            weight: 0.1,
          }),
        ),
      clouds,
    ],
    [
      'vanillaComplexTopoLoss',
      () => complexModel(layers.vanillaComplexTopoLoss({ simplices: triangles, functional: extrema, weight: 0.1 })),
      functions,
    ],
    [
      'smearedComplexTopoLoss',
      () =>
        complexModel(
          layers.smearedComplexTopoLoss({
            simplices: triangles,
            functional: extrema,
            coverRadius: 1,
            noise: 0.02,
            samples: 2,
            seed: 1,
            weight: 0.1,
          }),
        ),
      functions,
    ],
  ] as const)('%s', async (_, make, data) => {
    const x = data();
    const m = make();
    m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    await expectFitFlat(m, x, x);
    m.dispose();
    x.dispose();
  });
});

/** Every label term, vanilla, and every persistence term STUMP-smeared. */
const labelTerms: [string, LabelTermConfig, boolean][] = [
  ['betti', { kind: 'betti' }, false],
  ['wasserstein', { kind: 'wasserstein' }, false],
  ['bettiMatching', { kind: 'bettiMatching' }, false],
  ['clDice', { kind: 'clDice', iterations: 1 }, false], // one iteration: the cost of clDice is its soft skeleton's tfjs ops
  ['skeletonRecall', { kind: 'skeletonRecall' }, false],
  ['betti, smeared', { kind: 'betti' }, true],
  ['wasserstein, smeared', { kind: 'wasserstein' }, true],
  ['bettiMatching, smeared', { kind: 'bettiMatching' }, true],
];
const labelSmear = { block: 2, noise: 0.02, seed: 1 };

// The layer's own code (keeping this step's term for the loss thunk) does not depend on the term;
// the terms themselves (label cache, matching, smearing) are those of losses.labelTopological,
// which runs every one of them below. Here: one vanilla and one smeared persistence term.
const layerTerms = labelTerms.filter(([name]) => name === 'wasserstein' || name === 'bettiMatching, smeared');

describe('model.fit: 200 steps with layers.labelTopoLoss', () => {
  test.each(layerTerms)('%s', async (_, term, smeared) => {
    const { x, y } = images(4);
    const image = tfl.input({ shape: [S, S, 1] });
    const label = tfl.input({ shape: [S, S, 1] });
    const prob = tfl.layers.dense({ units: 1, activation: 'sigmoid' }).apply(image) as tfl.SymbolicTensor;
    const layer = layers.labelTopoLoss({ term, weight: 0.1, smear: smeared ? labelSmear : undefined });
    const out = layer.apply([label, prob]) as tfl.SymbolicTensor;
    const m = tfl.model({ inputs: [image, label], outputs: out });
    m.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
    await expectFitFlat(m, [x, y], y);
    m.dispose();
    tf.dispose([x, y]);
  });
});

describe('model.fit: 200 steps with each loss function', () => {
  test.each([
    ['losses.topological, vanilla', undefined],
    ['losses.topological, smeared', { block: 2, noise: 0.02, samples: 2, seed: 1 }],
  ] as const)('%s', async (_, smear) => {
    const { x, y } = images(5);
    const m = pixelModel();
    const loss = losses.topological({
      base: 'binaryCrossentropy',
      weight: 0.1,
      superlevel: true,
      functional: imageFunctional,
      smear,
    });
    m.compile({ optimizer: tf.train.adam(0.01), loss });
    await expectFitFlat(m, x, y);
    m.dispose();
    tf.dispose([x, y]);
  });

  test.each(labelTerms)('losses.labelTopological, %s', async (_, term, smeared) => {
    const { x, y } = images(6);
    const m = pixelModel();
    const loss = losses.labelTopological({ term, weight: 0.1, smear: smeared ? labelSmear : undefined });
    m.compile({ optimizer: tf.train.adam(0.01), loss });
    await expectFitFlat(m, x, y);
    m.dispose();
    tf.dispose([x, y]);
  });
});
