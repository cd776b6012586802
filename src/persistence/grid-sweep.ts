import { DiagramBuilder } from './diagram';

/**
 * Union-find sweeps over the input grid itself (one node per input element), the fast path for the
 * lowest and the highest homology dimension of a cubical complex:
 *
 * - H0: elements enter in filtration order; each joins its already-present neighbours and the
 *   elder rule kills the younger of two merged components (Kruskal).
 * - Top dimension, by Alexander duality: the complement grows in reverse filtration order with the
 *   dual connectivity plus one "outside" node joined to the border; when element p merges a hole
 *   whose first (largest-rank) element is m, the class born at p dies at m.
 *
 * Grids are handled as 3-D `[depth, height, width]`; 2-D inputs have depth 1 and no z sides (a
 * volume of depth 1 has two: every voxel touches the outside).
 */

/** Neighbour offsets of an element, with the border sides each one needs to stay away from. */
export interface Stencil {
  /** Flat index offsets. */
  readonly offsets: Int32Array;
  /** Per offset, a mask of border bits (see `borderBits`) that forbid it. */
  readonly forbidden: Uint8Array;
}

const X_LO = 1, X_HI = 2, Y_LO = 4, Y_HI = 8, Z_LO = 16, Z_HI = 32;

/**
 * Offsets of the `full` (8-/26-) or `faces` (4-/6-) neighbourhood of a [depth, height, width] grid.
 * In 2-D (depth 1) only in-plane offsets are used.
 */
export function stencil(dims: readonly [number, number, number], volume: boolean, kind: 'full' | 'faces'): Stencil {
  const [, height, width] = dims;
  const offsets: number[] = [];
  const forbidden: number[] = [];
  const zRange = volume ? [-1, 0, 1] : [0];
  for (const dz of zRange)
    for (const dy of [-1, 0, 1])
      for (const dx of [-1, 0, 1]) {
        const nonZero = (dz !== 0 ? 1 : 0) + (dy !== 0 ? 1 : 0) + (dx !== 0 ? 1 : 0);
        if (nonZero === 0 || (kind === 'faces' && nonZero > 1)) continue;
        offsets.push((dz * height + dy) * width + dx);
        forbidden.push(
          (dx < 0 ? X_LO : dx > 0 ? X_HI : 0) | (dy < 0 ? Y_LO : dy > 0 ? Y_HI : 0) | (dz < 0 ? Z_LO : dz > 0 ? Z_HI : 0),
        );
      }
  return { offsets: Int32Array.from(offsets), forbidden: Uint8Array.from(forbidden) };
}

/** Which sides of the grid the element at (x, y, z) touches (bits X_LO..Z_HI). */
function borderBits(x: number, y: number, z: number, dims: readonly [number, number, number], volume: boolean): number {
  return (
    (x === 0 ? X_LO : 0) |
    (x === dims[2] - 1 ? X_HI : 0) |
    (y === 0 ? Y_LO : 0) |
    (y === dims[1] - 1 ? Y_HI : 0) |
    (volume && z === 0 ? Z_LO : 0) |
    (volume && z === dims[0] - 1 ? Z_HI : 0)
  );
}

export interface SweepInput {
  readonly values: Float32Array | Float64Array;
  readonly dims: readonly [number, number, number];
  /** True for 3-D inputs, false for 2-D ones (depth 1 without z sides). */
  readonly volume: boolean;
  /** order[r] = element of rank r. */
  readonly order: Uint32Array;
  /** rank[i] = rank of element i. */
  readonly rank: Uint32Array;
  /** Union-find parents, at least one slot per element plus one (the outside node). */
  readonly parent: Int32Array;
  readonly keepZeroLength: boolean;
}

/** H0 pairs by Kruskal's sweep; the oldest element of each component is its root. */
export function sweepComponents(input: SweepInput, st: Stencil, out: DiagramBuilder): void {
  const { values, dims, volume, order, rank, parent, keepZeroLength } = input;
  const { offsets, forbidden } = st;
  const [, height, width] = dims;
  const n = order.length;
  const k = offsets.length;
  for (let r = 0; r < n; r++) {
    const p = order[r];
    const x = p % width;
    const row = (p - x) / width;
    const y = row % height;
    const border = borderBits(x, y, (row - y) / height, dims, volume);
    let root = -1;
    for (let j = 0; j < k; j++) {
      if (border & forbidden[j]) continue;
      const q = p + offsets[j];
      if (rank[q] > r) continue; // not yet in the filtration
      const s = find(parent, q);
      if (root === -1) root = s;
      else if (s !== root) {
        // Elder rule: the component with the later-ranked root dies at p.
        const [young, old] = rank[s] > rank[root] ? [s, root] : [root, s];
        const birth = values[young];
        const death = values[p];
        if (keepZeroLength || birth !== death) out.push(birth, death, young, p);
        parent[young] = old;
        root = old;
      }
    }
    parent[p] = root === -1 ? p : root;
  }
  const first = order[0];
  out.push(values[first], Infinity, first, -1);
}

/**
 * Top-dimensional pairs by duality: the complement, swept in reverse filtration order with
 * stencil `st`, with every border element joined to an outside node that is older than all.
 */
export function sweepHoles(input: SweepInput, st: Stencil, out: DiagramBuilder): void {
  const { values, dims, volume, order, rank, parent, keepZeroLength } = input;
  const { offsets, forbidden } = st;
  const [, height, width] = dims;
  const n = order.length;
  const outside = n;
  const k = offsets.length;
  parent[outside] = outside;
  for (let r = n - 1; r >= 0; r--) {
    const p = order[r];
    const x = p % width;
    const row = (p - x) / width;
    const y = row % height;
    const border = borderBits(x, y, (row - y) / height, dims, volume);
    // A border element touches the outside, which is older than every hole.
    let root = border !== 0 ? outside : -1;
    for (let j = 0; j < k; j++) {
      if (border & forbidden[j]) continue;
      const q = p + offsets[j];
      if (rank[q] < r) continue; // still in the sublevel set, not in the complement
      const s = find(parent, q);
      if (root === -1) root = s;
      else if (s !== root) {
        const [young, old] = s === outside || (root !== outside && rank[s] > rank[root]) ? [root, s] : [s, root];
        // The hole `young`, last filled at its first complement element, was closed off by p.
        const birth = values[p];
        const death = values[young];
        if (keepZeroLength || birth !== death) out.push(birth, death, p, young);
        parent[young] = old;
        root = old;
      }
    }
    parent[p] = root === -1 ? p : root;
  }
}

/** Root of i's component, halving the path on the way. */
export function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    const g = parent[parent[i]];
    parent[i] = g;
    i = g;
  }
  return i;
}
