import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { createPairingPool, NodePairingPool } from 'tfjs-topo/node';
import { persistenceDiagrams, PersistenceOpOptions } from '../../src/ops/persistence-op';
import { setPairingPool } from '../../src/ops/pairing-pool';
import { totalPersistence } from '../../src/ops/functionals';
import { mulberry32 } from '../reference/mulberry32';

// The worker-thread pool must give the ops exactly what the calling thread computes: the same
// pairs, values, critical cells and counts, map by map, for every layout and option, and the same
// errors. The pool runs the built engine (app/dist, dist), the serial path the sources.

jest.setTimeout(60_000); // starting worker threads takes a moment on a loaded machine

let pool: NodePairingPool;

beforeAll(async () => {
  await tf.setBackend('cpu');
  pool = createPairingPool({ threads: 2 });
});

afterAll(async () => {
  setPairingPool(null);
  await pool.close();
});

afterEach(() => setPairingPool(null));

/** Values with ties: integers 0..9 over random positions. */
function tiedTensor(shape: number[], seed: number): tf.Tensor {
  const random = mulberry32(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => Math.floor(10 * random())),
    shape,
  );
}

function plain(x: tf.Tensor, options?: PersistenceOpOptions) {
  const d = persistenceDiagrams(x, options);
  const out = {
    pairs: Array.from(d.pairs.dataSync()),
    dim: Array.from(d.dim),
    map: Array.from(d.map),
    birthCell: Array.from(d.birthCell),
    deathCell: Array.from(d.deathCell),
    essential: Array.from(d.essential),
    essentialCounts: Array.from(d.essentialCounts),
  };
  d.pairs.dispose();
  return out;
}

/** The op's result with the pool (every batch on it) and without. */
function bothWays(x: tf.Tensor, options?: PersistenceOpOptions) {
  setPairingPool(pool, { minElements: 0 });
  const pooled = plain(x, options);
  setPairingPool(null);
  return { pooled, serial: plain(x, options) };
}

describe('pairing batches on worker threads', () => {
  test.each<[string, number[], PersistenceOpOptions | undefined]>([
    ['a batch of images, one channel', [5, 12, 10, 1], undefined],
    ['images with three channels, V', [3, 9, 11, 3], { construction: 'V' }],
    [
      'superlevel, H1 only, essential classes clipped',
      [4, 10, 10, 2],
      { superlevel: true, dims: [1], essential: 'clip' },
    ],
    ['a batch of volumes', [3, 5, 6, 7, 1], { dims: [0, 2] }],
    ['more maps than threads, odd count', [7, 6, 6, 1], undefined],
    ['tori and cylinders', [3, 8, 9, 2], { periodic: [true, false], construction: 'V' }],
  ])('%s: identical to the calling thread', (_, shape, options) => {
    const x = tiedTensor(shape, shape.length * 31 + shape[0]);
    const { pooled, serial } = bothWays(x, options);
    expect(pooled).toEqual(serial);
    expect(serial.pairs.length).toBeGreaterThan(0);
    x.dispose();
  });

  test('the gradient is the same', () => {
    const x = tiedTensor([4, 8, 8, 1], 5);
    const loss = (t: tf.Tensor) => totalPersistence(persistenceDiagrams(t));
    setPairingPool(pool, { minElements: 0 });
    const pooled = tf.grad(loss)(x);
    setPairingPool(null);
    const serial = tf.grad(loss)(x);
    expect(Array.from(pooled.dataSync())).toEqual(Array.from(serial.dataSync()));
    expect(tf.sum(tf.abs(serial)).dataSync()[0]).toBeGreaterThan(0);
  });

  test('an engine error names the map, as on the calling thread, and the pool keeps working', () => {
    const values = tiedTensor([6, 5, 5, 1], 7).dataSync().slice();
    values[3 * 25 + 4] = NaN;
    const x = tf.tensor(values, [6, 5, 5, 1]);
    let serialMessage = '';
    try {
      persistenceDiagrams(x);
    } catch (e) {
      serialMessage = (e as Error).message;
    }
    expect(serialMessage).toMatch(/^x \(map 3\): /);
    setPairingPool(pool, { minElements: 0 });
    expect(() => persistenceDiagrams(x)).toThrow(serialMessage);
    const y = tiedTensor([4, 6, 6, 1], 8);
    const { pooled, serial } = bothWays(y);
    expect(pooled).toEqual(serial);
  });

  test('small batches stay on the calling thread', () => {
    const cubical = jest.spyOn(pool, 'cubical');
    setPairingPool(pool, { minElements: 1000 });
    plain(tiedTensor([2, 10, 10, 1], 9)); // 200 elements
    expect(cubical).not.toHaveBeenCalled();
    plain(tiedTensor([1, 40, 40, 1], 9)); // one map
    expect(cubical).not.toHaveBeenCalled();
    plain(tiedTensor([2, 30, 30, 1], 9)); // 1800 elements
    expect(cubical).toHaveBeenCalledTimes(1);
    cubical.mockRestore();
  });

  test('bad arguments', () => {
    expect(() => setPairingPool({} as never)).toThrow(/^pool: expected null or a PairingPool/);
    expect(() => setPairingPool(pool, { minElements: -1 })).toThrow(
      'options.minElements: expected a non-negative integer, got -1',
    );
    expect(() => createPairingPool({ threads: 0 })).toThrow('args.threads: expected a positive integer, got 0');
    expect(() => createPairingPool({ workers: 2 } as never)).toThrow(
      "args: unknown option 'workers', expected threads",
    );
  });

  test('a closed pool refuses work', async () => {
    const other = createPairingPool({ threads: 1 });
    await other.close();
    expect(() => other.cubical(new Float32Array(4), 1, [2, 2], {})).toThrow('pool: this PairingPool was closed');
  });
});
