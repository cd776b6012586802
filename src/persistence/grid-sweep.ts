import { DiagramBuilder } from './diagram';
import { FiltrationOrder } from './filtration-order';
import { PaddedGrid } from './padded-grid';

/**
 * Union-find sweeps over the input grid itself (one node per input element), the fast path for the
 * lowest and the highest homology dimension of a cubical complex:
 *
 * - H0: elements enter in filtration order; each joins its already-present neighbours and the
 *   elder rule kills the younger of two merged components (Kruskal).
 * - Top dimension, by Alexander duality: the complement grows in reverse filtration order with the
 *   dual connectivity, surrounded by an outside that is older than every hole; when element p
 *   merges a hole whose first (largest-rank) element is m, the class born at p dies at m.
 *
 * Work happens on the padded grid: the padding ring is never present in the H0 sweep and is the
 * outside in the hole sweep. Roots are the oldest element of their component; their ranks are
 * their ages.
 */
export class GridSweep {
  private readonly parent: Int32Array; // union-find over padded slots; −1 = not present

  constructor(private readonly grid: PaddedGrid) {
    this.parent = new Int32Array(grid.paddedSize);
  }

  /** H0 pairs by Kruskal's sweep, with neighbours at `offsets`. */
  components(
    values: Float32Array | Float64Array,
    filtration: FiltrationOrder,
    offsets: Int32Array,
    keepZeroLength: boolean,
    out: DiagramBuilder,
  ): void {
    const { parent, grid } = this;
    const { order, rank } = filtration;
    parent.fill(-1);
    const k = offsets.length;
    for (let r = 0; r < order.length; r++) {
      const p = order[r];
      let root = -1;
      for (let j = 0; j < k; j++) {
        let s = parent[p + offsets[j]];
        if (s < 0) continue; // not yet in the filtration
        s = find(parent, s);
        if (root === -1) root = s;
        else if (s !== root) {
          // Elder rule: the component whose root entered later dies here.
          const sYounger = rank[s] > rank[root];
          const young = sYounger ? s : root;
          if (!sYounger) root = s;
          parent[young] = root;
          const born = grid.element(young);
          const dies = grid.element(p);
          if (keepZeroLength || values[born] !== values[dies]) out.push(values[born], values[dies], born, dies);
        }
      }
      parent[p] = root === -1 ? p : root;
    }
    const first = grid.element(order[0]);
    out.push(values[first], Infinity, first, -1);
  }

  /** Top-dimensional pairs by duality: the complement swept in reverse order with `offsets`. */
  holes(
    values: Float32Array | Float64Array,
    filtration: FiltrationOrder,
    offsets: Int32Array,
    keepZeroLength: boolean,
    out: DiagramBuilder,
  ): void {
    const { parent, grid } = this;
    const { order, rank } = filtration;
    // The padding ring is one component, the outside, rooted at slot 0 (a ring slot, whose
    // padding rank makes it older than every hole).
    parent.fill(0);
    for (let r = 0; r < order.length; r++) parent[order[r]] = -1;
    const k = offsets.length;
    for (let r = order.length - 1; r >= 0; r--) {
      const p = order[r];
      let root = -1;
      for (let j = 0; j < k; j++) {
        let s = parent[p + offsets[j]];
        if (s < 0) continue; // still in the sublevel set
        s = find(parent, s);
        if (root === -1) root = s;
        else if (s !== root) {
          // In the reverse sweep the older component has the larger rank.
          const sYounger = rank[s] < rank[root];
          const young = sYounger ? s : root;
          if (!sYounger) root = s;
          parent[young] = root;
          // The hole `young`, last filled at its first complement element, was closed off by p.
          const born = grid.element(p);
          const dies = grid.element(young);
          if (keepZeroLength || values[born] !== values[dies]) out.push(values[born], values[dies], born, dies);
        }
      }
      parent[p] = root === -1 ? p : root;
    }
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
