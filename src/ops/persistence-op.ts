import * as tf from '@tensorflow/tfjs-core';
import { CubicalOptions, CubicalPersistence } from '../persistence/cubical/cubical.js';
import { PersistenceDiagram } from '../persistence/diagram.js';
import { DiagramSet } from './diagram-set.js';
import { LruCache } from './lru-cache.js';
import { pairingPoolFor } from './pairing-pool.js';
import { SparseMatrix } from './sparse-matrix.js';
import { flatIndex, mapLayout, MapLayout, readMap } from '../base/layout.js';
import { checkDims, checkFlag, checkOptions, describe } from '../base/checks.js';

/**
 * What to do with essential classes (those that never die), which have no finite death.
 *
 * @category Diagram ops
 */
export type EssentialMode = 'drop' | 'clip';

/**
 * The engine's options (construction, superlevel, dims, periodic axes), per map, plus the essential
 * classes.
 *
 * @category Diagram ops
 */
export interface PersistenceOpOptions extends Pick<
  CubicalOptions,
  'construction' | 'superlevel' | 'dims' | 'periodic'
> {
  /**
   * `drop` (default): essential classes are left out of `pairs` (their count per map and
   * dimension is in `essentialCounts`). `clip`: each gets the map's last value in the filtration
   * (its maximum; minimum for superlevel) as death, at that element, so it is an ordinary finite
   * pair with gradients at both ends.
   */
  essential?: EssentialMode;
}

/** The keys of `PersistenceOpOptions`. */
export const PERSISTENCE_OP_KEYS = ['construction', 'superlevel', 'dims', 'periodic', 'essential'] as const;

/**
 * Checks the options that do not depend on the input's shape — construction, superlevel,
 * essential, periodic as booleans, and dims as distinct integers 0..2 (0..3 with periodic axes) —
 * so that a layer, loss or `optimize` refuses a bad config when it receives it. Errors name
 * `name.key`; whether dims and periodic fit the input is checked later.
 */
export function checkPersistenceOptions(options: PersistenceOpOptions, name: string): void {
  const { construction, superlevel, dims, periodic, essential } = options;
  if (construction !== undefined && construction !== 'T' && construction !== 'V')
    throw new Error(`${name}.construction: expected 'T' or 'V', got ${describe(construction)}`);
  checkFlag(superlevel, `${name}.superlevel`);
  if (periodic !== undefined && !(Array.isArray(periodic) && periodic.every((p) => typeof p === 'boolean')))
    throw new Error(`${name}.periodic: expected one boolean per axis of the maps, got ${describe(periodic)}`);
  const torus = periodic !== undefined;
  checkDims(dims, torus ? 3 : 2, torus ? 'a periodic image or volume' : 'an image or a volume', `${name}.dims`);
  checkEssential(essential, `${name}.essential`);
}

/** An error naming `name` unless `essential` is undefined, 'drop' or 'clip'. */
export function checkEssential(essential: unknown, name: string): void {
  if (essential !== undefined && essential !== 'drop' && essential !== 'clip')
    throw new Error(`${name}: expected 'drop' or 'clip', got ${describe(essential)}`);
}

/**
 * Persistence diagrams of every map of a tensor (see `mapLayout`), as one differentiable tensor
 * plus the plain data that says which pair is which.
 * @category Diagram ops
 */
export interface TensorDiagrams extends DiagramSet {
  /** Per pair: flat index into the input tensor of the birth element. */
  readonly birthCell: Int32Array;
  /** Per pair: flat index into the input tensor of the death element. */
  readonly deathCell: Int32Array;
  /** How the input splits into maps; map index b · C + c (0 for an unbatched input). */
  readonly layout: MapLayout;
}

/**
 * Persistence diagrams of `x` — `[H, W]`, `[D, H, W]`, `[B, H, W, C]` or `[B, D, H, W, C]` — as a
 * differentiable `[N, 2]` tensor of (birth, death) pairs with the critical cells behind them.
 *
 * The forward pass reads `x` from the device once and runs the cubical engine on every map; the
 * backward pass puts each pair's gradient on its birth and death elements — on a GPU backend by one
 * gather on the device, reading nothing back (on cpu and wasm by a loop on the host). Use it
 * inside `tf.grad`, `optimizer.minimize`, or a layer.
 *
 * @throws Error naming `x` (not a float32 tf.Tensor, a rank other than 2 to 5, an empty axis, a
 *   NaN or infinite entry — `x (map m)` for a batch), or `options` / `options.<key>` (an unknown
 *   key, `construction` other than 'T' or 'V', a non-boolean `superlevel`, `dims` outside the
 *   input's 0..rank−1 (0..rank on a torus) or repeated, `periodic` not one boolean per spatial
 *   axis, `essential` other than 'drop' or 'clip').
 * @example
 * ```js
 * const x = tf.tensor2d([[0, 0, 0], [0, 1, 0], [0, 0, 0]]); // a ring of 0s around a 1
 * const d = persistenceDiagrams(x);
 * // d.pairs.arraySync() → [[0, 1]] and d.dim → [1]: the ring's loop, born at 0, filled at 1
 * // d.birthCell → [7], d.deathCell → [4] (the centre): where the gradient of the pair lands
 * // d.essentialCounts → [1, 0]: the component that never dies is counted, not paired
 * ```
 * @category Diagram ops
 */
export function persistenceDiagrams(x: tf.Tensor, options?: PersistenceOpOptions): TensorDiagrams {
  if (!(x instanceof tf.Tensor)) throw new Error(`x: expected a tf.Tensor, got ${describe(x)}`);
  if (x.dtype !== 'float32') throw new Error(`x: expected a float32 tensor, got ${x.dtype}`);
  options = checkOptions(options, 'options', PERSISTENCE_OP_KEYS);
  checkPersistenceOptions(options, 'options'); // before the engine cache key is built from them
  const layout = mapLayout(x.shape);
  const maps: MapAccess = {
    maps: layout.maps,
    mapSize: layout.mapSize,
    read: (data, m, scratch) => readMap(layout, data, m, scratch),
    flat: (m, i) => flatIndex(layout, m, i),
  };
  const engine = engineFor(layout.spatial, options);
  const pool = pairingPoolFor(layout.maps, layout.mapSize);
  const { construction, superlevel, dims, periodic } = options;
  const pairAll: BatchPairing | undefined =
    pool === null
      ? undefined
      : (data) => {
          const packed = new Float32Array(maps.maps * maps.mapSize);
          const scratch = new Float32Array(maps.mapSize);
          for (let m = 0; m < maps.maps; m++) packed.set(maps.read(data, m, scratch), m * maps.mapSize);
          return pool.cubical(packed, maps.maps, layout.spatial, { construction, superlevel, dims, periodic });
        };
  return { ...cellDiagrams(x, maps, engine, options.essential, pairAll), layout };
}

/** The diagrams of every map of an input's data at once (on a `PairingPool`). */
type BatchPairing = (data: Float32Array) => PersistenceDiagram[][];

/** How an op's input splits into maps whose elements the engine indexes 0..mapSize−1. */
export interface MapAccess {
  readonly maps: number;
  readonly mapSize: number;
  /** Map m of the input's data, copied into `scratch` (length mapSize) or a view of `data`. */
  read(data: Float32Array, m: number, scratch: Float32Array): Float32Array;
  /** Flat index into the input of element i of map m. */
  flat(m: number, i: number): number;
}

/** An engine whose critical cells are input elements (cubical, lower-star). */
export interface ElementEngine {
  readonly dims: readonly number[];
  readonly superlevel: boolean;
  compute(values: Float32Array): PersistenceDiagram[];
}

/** The diagrams of every map of `x` with pairs whose critical cells are elements of `x`, differentiable in `x`. */
export function cellDiagrams(
  x: tf.Tensor,
  maps: MapAccess,
  engine: ElementEngine,
  essential: EssentialMode = 'drop',
  pairAll?: BatchPairing,
): Omit<TensorDiagrams, 'layout'> {
  checkEssential(essential, 'options.essential');
  const diagrams = collect(x.dataSync() as Float32Array, maps, engine, essential === 'clip', pairAll);
  const n = diagrams.dim.length;
  const { birthCell, deathCell } = diagrams;
  const op = tf.customGrad((...args) => ({
    value: tf.tensor2d(diagrams.values, [n, 2]),
    gradFunc: (dy: tf.Tensor) => {
      // Jᵀ: each pair's upstream gradient lands on its two critical elements.
      const jacobianT = new SparseMatrix(x.size, 2 * n, 2 * n);
      for (let i = 0; i < n; i++) {
        jacobianT.add(birthCell[i], 2 * i);
        jacobianT.add(deathCell[i], 2 * i + 1);
      }
      return jacobianT.multiply(dy, (args[0] as tf.Tensor).shape);
    },
  }));
  return { ...diagrams, pairs: op(x) as tf.Tensor2D, maps: maps.maps };
}

type HostDiagrams = Omit<TensorDiagrams, 'pairs' | 'layout' | 'maps'>;

/**
 * Runs the engine on every map (or `pairAll` on all of them) and gathers the pairs, cells mapped
 * back into the whole tensor.
 */
function collect(
  data: Float32Array,
  maps: MapAccess,
  engine: ElementEngine,
  clip: boolean,
  pairAll?: BatchPairing,
): HostDiagrams {
  const scratch = new Float32Array(maps.mapSize);
  let all: PersistenceDiagram[][] | undefined;
  try {
    all = pairAll?.(data);
  } catch (e) {
    throw mapError(e, (e as { map?: number }).map ?? 0, maps.maps);
  }
  const dims = engine.dims;
  const essentialCounts = new Int32Array(maps.maps * dims.length);
  // First every map's diagrams and the pairs they give, so that the arrays are allocated once.
  const diagramsOf: PersistenceDiagram[][] = [];
  const last = new Int32Array(clip ? maps.maps : 0); // per map, the element entering last
  let total = 0;
  for (let m = 0; m < maps.maps; m++) {
    const mapValues = maps.read(data, m, scratch);
    try {
      diagramsOf.push(all?.[m] ?? engine.compute(mapValues));
    } catch (e) {
      throw mapError(e, m, maps.maps);
    }
    if (clip) last[m] = lastInFiltration(mapValues, engine.superlevel);
    diagramsOf[m].forEach((d, k) => {
      for (let i = 0; i < d.deathCells.length; i++) {
        if (d.deathCells[i] >= 0) total++;
        else {
          essentialCounts[m * dims.length + k]++;
          if (clip) total++;
        }
      }
    });
  }
  const values = new Float32Array(2 * total);
  const dim = new Int32Array(total);
  const map = new Int32Array(total);
  const birthCell = new Int32Array(total);
  const deathCell = new Int32Array(total);
  const essential = new Uint8Array(total);
  let p = 0;
  for (let m = 0; m < maps.maps; m++) {
    for (const d of diagramsOf[m]) {
      const { births, birthCells, deathCells } = d;
      for (let i = 0; i < births.length; i++) {
        const isEssential = deathCells[i] < 0;
        if (isEssential && !clip) continue;
        const dies = maps.flat(m, isEssential ? last[m] : deathCells[i]);
        values[2 * p] = births[i];
        values[2 * p + 1] = data[dies];
        dim[p] = d.dim;
        map[p] = m;
        birthCell[p] = maps.flat(m, birthCells[i]);
        deathCell[p] = dies;
        essential[p++] = isEssential ? 1 : 0;
      }
    }
  }
  return { values, dim, map, birthCell, deathCell, essential, essentialCounts, dims };
}

/** The engine's error on map m of `maps`, renamed: the engine names its own argument; the caller's is x. */
function mapError(e: unknown, m: number, maps: number): Error {
  return new Error(String((e as Error).message).replace(/^values:/, maps > 1 ? `x (map ${m}):` : 'x:'), { cause: e });
}

/** Index of the element entering last: the maximum (minimum for superlevel), last index on ties. */
export function lastInFiltration(values: Float32Array, superlevel: boolean): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    const v = values[i];
    if (superlevel ? v <= values[best] : v >= values[best]) best = i;
  }
  return best;
}

/** Engines keep their working memory: one per (shape, options), the few most recent kept. */
const engines = new LruCache<CubicalPersistence>(8);

function engineFor(spatial: readonly number[], options: PersistenceOpOptions): CubicalPersistence {
  const { construction, superlevel, dims, periodic } = options;
  const key = JSON.stringify([spatial, construction ?? 'T', superlevel ?? false, dims ?? null, periodic ?? null]);
  return engines.get(key, () => new CubicalPersistence(spatial, { construction, superlevel, dims, periodic }));
}
