import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { cubicalPersistence, layers, losses, persistenceDiagrams, topologicalTerm } from '../../src';
import { expectGradientsMatch, genericValues } from '../reference/gradient-check';
import { expectRoundTrip } from '../reference/round-trip';

// Periodic axes through the differentiable op, the terms, the layers and the losses. The engine
// itself is checked against GUDHI in test/persistence/cubical/periodic.test.ts.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const torus = { periodic: [true, true] };

/** A horizontal band of low values: a loop once rows wrap around, a strip otherwise. */
function band(h: number, w: number): Float32Array {
  return Float32Array.from({ length: h * w }, (_, i) => (Math.floor(i / w) === 2 ? 0.1 * (i % w) : 1 + ((i * 7) % 5)));
}

describe('persistenceDiagrams with periodic axes', () => {
  test('a batch: every map gives the engine’s pairs, cells mapped into the batch', () => {
    const [B, H, W] = [2, 6, 7];
    const maps = [band(H, W), genericValues(H * W, 3)];
    const x = tf.tensor4d(Float32Array.from([...maps[0], ...maps[1]]), [B, H, W, 1]);
    const d = persistenceDiagrams(x, { ...torus, essential: 'drop' });
    expect(d.dims).toEqual([0, 1, 2]);
    const pairs = d.pairs.arraySync();
    for (let m = 0; m < B; m++) {
      const engine = cubicalPersistence(Float64Array.from(maps[m]), [H, W], torus);
      const finite = engine.flatMap((g) =>
        Array.from(g.births, (b, i) => [
          g.dim,
          b,
          g.deaths[i],
          m * H * W + g.birthCells[i],
          m * H * W + g.deathCells[i],
        ]).filter((p) => p[2] !== Infinity),
      );
      const ours = pairs
        .map((p, i) => [d.dim[i], p[0], p[1], d.birthCell[i], d.deathCell[i]])
        .filter((_, i) => d.map[i] === m);
      expect(ours.map((p) => p.map(Math.fround))).toEqual(finite.map((p) => p.map(Math.fround)));
      // A torus: one component, two loops and the top class never die.
      expect(Array.from(d.essentialCounts.subarray(3 * m, 3 * m + 3))).toEqual([1, 2, 1]);
    }
  });

  test('the band closes a loop only when its axis wraps', () => {
    const x = tf.tensor2d(band(6, 7), [6, 7]);
    const loops = (periodic: boolean[]) => persistenceDiagrams(x, { periodic, dims: [1] }).essentialCounts[0];
    expect([loops([false, false]), loops([true, false]), loops([false, true]), loops([true, true])]).toEqual([
      0, 1, 1, 2,
    ]);
  });

  test.each([
    ['H1 total persistence on a torus', [6, 7], { ...torus, functional: { kind: 'totalPersistence', dim: 1, p: 2 } }],
    [
      'H0 of a cylinder, superlevel, V, essential clipped',
      [5, 6],
      {
        periodic: [false, true],
        superlevel: true,
        construction: 'V',
        essential: 'clip',
        functional: { kind: 'totalPersistence', dim: 0, p: 2 },
      },
    ],
    [
      'H2 of a 3-torus',
      [3, 4, 3],
      { periodic: [true, true, true], functional: { kind: 'totalPersistence', dim: 2, p: 2 } },
    ],
  ])('gradient equals finite differences: %s', (_, shape, config) => {
    expectGradientsMatch((x) => topologicalTerm(x, config as never), shape as number[], 11);
  });

  test('bad periodic options name the argument', () => {
    const x = tf.zeros([4, 4]);
    expect(() => persistenceDiagrams(x, { periodic: [true] })).toThrow(
      /^options\.periodic: expected 2 booleans, one per axis of the shape, got \[true\]/,
    );
    expect(() => persistenceDiagrams(x, { periodic: 'yes' as never })).toThrow(
      /^options\.periodic: expected one boolean per axis of the maps, got 'yes'/,
    );
    expect(() => persistenceDiagrams(x, { periodic: [false, true], dims: [2] })).toThrow(
      /^options\.dims: homology dimension 2/,
    );
    expect(() => layers.vanillaTopoLoss({ functional: { kind: 'topK', k: 1 }, periodic: [1] as never })).toThrow(
      /^args\.periodic: expected one boolean per axis of the maps/,
    );
    x.dispose();
  });
});

describe('layers and losses with periodic axes', () => {
  const term = { functional: { kind: 'totalPersistence' as const, dim: 1, p: 2 }, periodic: [true, true] };

  test('a layer keeps periodic in its config and comes back from a saved model', async () => {
    const model = tfl.sequential();
    model.add(tfl.layers.conv2d({ inputShape: [6, 7, 1], filters: 1, kernelSize: 3, padding: 'same' }));
    model.add(layers.smearedTopoLoss({ ...term, block: 2, noise: 0.05, seed: 1 }));
    expect(model.layers[1].getConfig()['periodic']).toEqual([true, true]);
    await expectRoundTrip(model, 'SmearedTopoLoss', tf.tensor4d(band(6, 7), [1, 6, 7, 1]));
  });

  test('fit lowers the loop term of a torus', async () => {
    const model = tfl.sequential();
    model.add(
      tfl.layers.conv2d({
        inputShape: [6, 7, 1],
        filters: 1,
        kernelSize: 1,
        useBias: false,
        kernelInitializer: 'ones',
      }),
    );
    model.add(layers.vanillaTopoLoss({ ...term, weight: 1 }));
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    const x = tf.tensor4d(
      genericValues(42, 5).map((v) => v / 42),
      [1, 6, 7, 1],
    );
    const value = () => tf.tidy(() => topologicalTerm(model.predict(x) as tf.Tensor, term).dataSync()[0]);
    const before = value();
    await model.fit(x, x, { epochs: 5, verbose: 0 });
    expect(value()).toBeLessThan(before);
  });

  test('losses.topological takes periodic', () => {
    const loss = losses.topological({ ...term, weight: 1 });
    const y = tf.tensor4d(genericValues(42, 6), [1, 6, 7, 1]);
    expect(loss(y, y).dataSync()[0]).toBeCloseTo(topologicalTerm(y, term).dataSync()[0], 5);
  });
});
