import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { bettiLoss, topKLifetimes, totalPersistence, wassersteinLoss } from '../../src/ops/functionals';
import { persistenceDiagrams, PersistenceOpOptions } from '../../src/ops/persistence-op';
import { analyticGradient, expectGradientsMatch, genericValues } from '../reference/gradient-check';

// Gradients of every functional against central finite differences. Inputs are generic: a random
// permutation of values j + 0.8·u_j (u_j random in [0, 1)): distinct, with no two lifetimes alike,
// perturbed by 0.01, so no critical cell and no selection changes under the perturbation and each
// loss is a polynomial in the inputs there: the differences are exact up to float32 rounding of
// the loss, which the tolerance allows for.
// A gradient sent to births (or deaths) only is not a derivative; it is checked as a split of the
// full gradient instead.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const layouts: [string, number[]][] = [
  ['image [6, 7]', [6, 7]],
  ['volume [3, 4, 4]', [3, 4, 4]],
  ['batch [2, 5, 4, 2]', [2, 5, 4, 2]],
];

const opVariants: [string, PersistenceOpOptions][] = [
  ['T sublevel', {}],
  ['V superlevel', { construction: 'V', superlevel: true }],
  ['T clipped essentials', { essential: 'clip' }],
];

describe.each(layouts)('%s', (_, shape) => {
  describe.each(opVariants)('%s', (__, op) => {
    test('total persistence, p = 1 and p = 2', () => {
      for (const p of [1, 2])
        expectGradientsMatch((x) => totalPersistence(persistenceDiagrams(x, op), { p }), shape, 11 * p);
    });

    test('gradient to births only plus gradient to deaths only is the full gradient', () => {
      const values = genericValues(
        shape.reduce((a, b) => a * b, 1),
        17,
      );
      const grad = (target: 'birth' | 'death' | 'both') =>
        analyticGradient((x) => totalPersistence(persistenceDiagrams(x, op), { p: 2, target }), values, shape);
      const [births, deaths, both] = [grad('birth'), grad('death'), grad('both')];
      const input = tf.tensor(values, shape);
      const diagrams = persistenceDiagrams(input, op);
      input.dispose();
      const birthCells = new Set(diagrams.birthCell);
      const deathCells = new Set(diagrams.deathCell);
      diagrams.pairs.dispose();
      for (let i = 0; i < values.length; i++) {
        expect(births[i] + deaths[i]).toBeCloseTo(both[i], 3);
        if (!birthCells.has(i)) expect(births[i]).toBe(0);
        if (!deathCells.has(i)) expect(deaths[i]).toBe(0);
      }
      expect(births.some((g) => g !== 0) && deaths.some((g) => g !== 0)).toBe(true);
    });

    test('total persistence over a region, maximized, mean over maps', () => {
      expectGradientsMatch(
        (x) =>
          totalPersistence(persistenceDiagrams(x, op), {
            dim: 0,
            lifetimeRange: [2.2, Infinity],
            goal: 'maximize',
            reduction: 'mean',
          }),
        shape,
        3,
      );
    });

    test('top-k lifetimes', () => {
      expectGradientsMatch((x) => topKLifetimes(persistenceDiagrams(x, op), { k: 2, p: 2 }), shape, 5);
    });

    test('Betti-number loss', () => {
      expectGradientsMatch((x) => bettiLoss(persistenceDiagrams(x, op), { dim: 0, betti: 2, lifetime: 10 }), shape, 7);
    });

    test('Wasserstein loss to a target diagram', () => {
      const target: [number, number][] = [
        [1.3, 20.7],
        [3.1, 9.4],
      ];
      // 1e300: a valid q beyond float32's range (found by test/fuzz: its gradient was NaN).
      for (const internalP of [Infinity, 2, 1e300])
        expectGradientsMatch(
          (x) => wassersteinLoss(persistenceDiagrams(x, op), target, { dim: 0, p: 2, internalP }),
          shape,
          13,
        );
    });
  });
});
