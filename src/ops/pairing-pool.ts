import { CubicalOptions } from '../persistence/cubical/cubical.js';
import { PersistenceDiagram } from '../persistence/diagram.js';
import { describe } from '../base/checks.js';

/**
 * Pairs the maps of a batch on several threads at once. `createPairingPool` from
 * 'tfjs-topo/node' makes one on Node's worker threads; `setPairingPool` hands it to the ops.
 *
 * @category Parallel pairing
 */
export interface PairingPool {
  /** Threads pairing at once. */
  readonly threads: number;
  /**
   * The diagrams of `maps` maps of one shape packed in `values` (map m from m · size), each
   * exactly what `new CubicalPersistence(shape, options).compute(map)` returns. An engine error
   * on a map is thrown with that map's index in its `map` property.
   */
  cubical(
    values: Float32Array,
    maps: number,
    shape: readonly number[],
    options: Readonly<CubicalOptions>,
  ): PersistenceDiagram[][];
}

/**
 * Options of `setPairingPool`.
 *
 * @category Parallel pairing
 */
export interface PairingPoolOptions {
  /**
   * Batches with fewer elements in all than this are paired on the calling thread, where handing
   * them over would cost more than it saves. Default 8192: on 2 cores a pool of two threads pays
   * from two 64² maps (×1.26) and reaches ×1.7 at sixteen 256² maps (bench/POOL.md).
   */
  minElements?: number;
}

let current: { pool: PairingPool; minElements: number } | null = null;

/**
 * Makes the cubical ops (`persistenceDiagrams` and every loss and layer built on it) pair the
 * maps of large batches on `pool`; `null` pairs every map on the calling thread again (the
 * default). The diagrams are the same either way, bit for bit.
 *
 * @throws Error naming `pool` (not null nor an object with `threads` and `cubical`) or
 *   `options.minElements` (not a non-negative integer).
 * @example
 * ```js
 * // In Node, createPairingPool({ threads: 2 }) from 'tfjs-topo/node' makes a pool: hand it over
 * // with setPairingPool(pool) before training, and after it call setPairingPool(null) and close it.
 * setPairingPool(null); // the default: every map on this thread
 * ```
 * @category Parallel pairing
 */
export function setPairingPool(pool: PairingPool | null, options: PairingPoolOptions = {}): void {
  if (pool !== null && (typeof pool !== 'object' || typeof pool.cubical !== 'function' || !(pool.threads >= 1))) {
    throw new Error(`pool: expected null or a PairingPool (from createPairingPool), got ${describe(pool)}`);
  }
  const { minElements = 8192 } = options;
  if (!Number.isInteger(minElements) || minElements < 0) {
    throw new Error(`options.minElements: expected a non-negative integer, got ${describe(minElements)}`);
  }
  current = pool === null ? null : { pool, minElements };
}

/** The pool to pair `maps` maps of `mapSize` elements on, or null to pair them here. */
export function pairingPoolFor(maps: number, mapSize: number): PairingPool | null {
  return current !== null && maps >= 2 && maps * mapSize >= current.minElements ? current.pool : null;
}
