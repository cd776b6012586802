import { DiagramBuilder } from '../diagram.js';
import { FiltrationOrder } from './filtration-order.js';
import { PaddedGrid } from './padded-grid.js';
import { findCodedRoot } from '../toolkit/union-find.js';

/**
 * Union-find sweeps over the voxels of a volume (one node per input element), the fast path for
 * its lowest and its highest homology dimension:
 *
 * - H0: elements enter in filtration order; each joins its already-present neighbours and the
 *   elder rule kills the younger of two merged components (Kruskal).
 * - Top dimension, by Alexander duality: the complement grows in reverse filtration order with the
 *   dual connectivity, surrounded by an outside that is older than every hole; when element p
 *   merges a hole whose first (largest-rank) element is m, the class born at p dies at m.
 *
 * Work happens on the padded grid: the padding ring is never present in the H0 sweep and is the
 * outside in the hole sweep. Roots are the oldest element of their component and hold its age.
 */
export class GridSweep {
  /**
   * Union-find over padded slots: a parent slot (≥ 0), or ABSENT, or for a root −2 − its rank,
   * so the elder rule reads the age from the root it has just found.
   */
  private readonly parent: Int32Array;
  private readonly ring: Int32Array; // the padding slots

  constructor(private readonly grid: PaddedGrid) {
    this.parent = new Int32Array(grid.paddedSize);
    const inside = new Uint8Array(grid.paddedSize);
    const padded = new Uint32Array(grid.size);
    grid.paddedIndices(padded);
    for (const i of padded) inside[i] = 1;
    // A plain loop: `Int32Array.from(inside.keys())` would build a JS array of every slot first.
    this.ring = new Int32Array(grid.paddedSize - grid.size);
    for (let i = 0, r = 0; i < inside.length; i++) if (inside[i] === 0) this.ring[r++] = i;
  }

  /** H0 pairs by Kruskal's sweep, with neighbours at `offsets`. */
  components(
    values: Float32Array | Float64Array,
    { order }: FiltrationOrder,
    offsets: Int32Array,
    keepZeroLength: boolean,
    out: DiagramBuilder,
  ): void {
    const { parent, grid } = this;
    parent.fill(ABSENT);
    const k = offsets.length;
    for (let r = 0; r < order.length; r++) {
      const p = order[r];
      let root = -1;
      for (let j = 0; j < k; j++) {
        const q = p + offsets[j];
        if (parent[q] === ABSENT) continue; // not yet in the filtration
        const s = findCodedRoot(parent, q);
        if (root === -1) root = s;
        else if (s !== root) {
          // Elder rule: the component whose root entered later (higher rank, lower code) dies.
          const sYounger = parent[s] < parent[root];
          const young = sYounger ? s : root;
          if (!sYounger) root = s;
          parent[young] = root;
          const born = grid.element(young);
          const dies = grid.element(p);
          if (keepZeroLength || values[born] !== values[dies]) out.push(values[born], values[dies], born, dies);
        }
      }
      parent[p] = root === -1 ? rootCode(r) : root;
    }
    const first = grid.element(order[0]);
    out.push(values[first], Infinity, first, -1);
  }

  /**
   * Top-dimensional pairs by duality: the complement swept in reverse order with `offsets`. The
   * loop mirrors `components` on purpose: one loop with a direction flag measured ~1.5× slower.
   */
  holes(
    values: Float32Array | Float64Array,
    { order }: FiltrationOrder,
    offsets: Int32Array,
    keepZeroLength: boolean,
    out: DiagramBuilder,
  ): void {
    const { parent, grid, ring } = this;
    const n = order.length;
    // The padding ring is one component, the outside, older than every hole in this sweep.
    parent.fill(ABSENT);
    const outside = ring[0];
    for (let i = 0; i < ring.length; i++) parent[ring[i]] = outside;
    parent[outside] = rootCode(n);
    const k = offsets.length;
    for (let r = n - 1; r >= 0; r--) {
      const p = order[r];
      let root = -1;
      for (let j = 0; j < k; j++) {
        const q = p + offsets[j];
        if (parent[q] === ABSENT) continue; // still in the sublevel set
        const s = findCodedRoot(parent, q);
        if (root === -1) root = s;
        else if (s !== root) {
          // In the reverse sweep the older component has the larger rank (lower code).
          const sYounger = parent[s] > parent[root];
          const young = sYounger ? s : root;
          if (!sYounger) root = s;
          parent[young] = root;
          // The hole `young`, last filled at its first complement element, was closed off by p.
          const born = grid.element(p);
          const dies = grid.element(young);
          if (keepZeroLength || values[born] !== values[dies]) out.push(values[born], values[dies], born, dies);
        }
      }
      parent[p] = root === -1 ? rootCode(r) : root;
    }
  }
}

const ABSENT = -1;

/** The parent entry of a root of rank r. */
function rootCode(r: number): number {
  return -2 - r;
}
