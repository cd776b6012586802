import { DiagramBuilder, PersistenceDiagram } from '../../src/persistence/diagram';
import { rankElements } from './brute-force';
import { symmetricDifference } from './z2';

/**
 * Reference lower-star persistence of a simplicial complex, written to be obviously right rather
 * than fast: enumerate every face of every listed simplex, sort all simplices into the library's
 * documented total order, and reduce the full Z/2 boundary matrix with the textbook column
 * algorithm (no union-find, no clearing, no cohomology, no shortcuts). Independent of the engine
 * and of SimplicialComplex; meant for complexes of a few dozen simplices.
 *
 * The total order (the library's tie-breaking rule):
 * - vertices are ranked by (value, vertex index), or (−value, vertex index) when superlevel;
 * - a simplex's *owner* is its vertex of largest rank;
 * - simplices are ordered by (owner rank, dimension, lexicographic order of the sorted vertex tuple).
 *
 * A pair reports the values and indices of the owners of its two simplices; pairs whose simplices
 * share an owner are never reported, zero-length pairs only with keepZeroLength.
 */
export interface LowerStarBruteForceOptions {
  superlevel?: boolean;
  /** Dimensions to report, in any order; output is in increasing order. Default: 0..top. */
  dims?: readonly number[];
  keepZeroLength?: boolean;
}

export function bruteForceLowerStar(
  simplices: readonly (readonly number[])[],
  values: ArrayLike<number>,
  options: LowerStarBruteForceOptions = {},
): PersistenceDiagram[] {
  const { superlevel = false, keepZeroLength = false } = options;
  const n = values.length;

  // Every face of every simplex, once, as sorted vertex tuples; all vertices 0..n−1 included.
  const seen = new Map<string, number[]>();
  for (let v = 0; v < n; v++) seen.set(String(v), [v]);
  for (const simplex of simplices) {
    const sorted = [...simplex].sort((a, b) => a - b);
    for (let mask = 1; mask < 1 << sorted.length; mask++) {
      const face = sorted.filter((_, i) => mask & (1 << i));
      seen.set(face.join(','), face);
    }
  }
  const all = [...seen.values()];
  const top = Math.max(...all.map((s) => s.length - 1));
  const dims = [...(options.dims ?? Array.from({ length: top + 1 }, (_, k) => k))].sort((a, b) => a - b);

  const rank = rankElements(values, superlevel);
  const owner = (s: number[]) => s.reduce((best, v) => (rank[v] > rank[best] ? v : best), s[0]);
  const lexicographic = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  };
  const order = all.sort((a, b) => rank[owner(a)] - rank[owner(b)] || a.length - b.length || lexicographic(a, b));
  const position = new Map(order.map((s, p) => [s.join(','), p]));

  // Column reduction of the boundary matrix: columns as sorted position lists.
  const pivotOf = new Int32Array(order.length).fill(-1);
  const reduced: number[][] = [];
  for (let j = 0; j < order.length; j++) {
    const s = order[j];
    let col =
      s.length === 1 ? [] : s.map((_, i) => position.get(s.filter((_, k) => k !== i).join(','))!).sort((a, b) => a - b);
    while (col.length > 0 && pivotOf[col[col.length - 1]] !== -1)
      col = symmetricDifference(col, reduced[pivotOf[col[col.length - 1]]]);
    reduced.push(col);
    if (col.length > 0) pivotOf[col[col.length - 1]] = j;
  }

  const builders = new Map(dims.map((d) => [d, new DiagramBuilder(d)]));
  for (let i = 0; i < order.length; i++) {
    if (reduced[i].length > 0) continue; // negative: reported with its partner
    const out = builders.get(order[i].length - 1);
    if (!out) continue;
    const birthCell = owner(order[i]);
    const j = pivotOf[i];
    if (j === -1) {
      out.push(values[birthCell], Infinity, birthCell, -1);
      continue;
    }
    const deathCell = owner(order[j]);
    if (deathCell === birthCell) continue;
    const birth = values[birthCell];
    const death = values[deathCell];
    if (keepZeroLength || birth !== death) out.push(birth, death, birthCell, deathCell);
  }
  return dims.map((d) => builders.get(d)!.build());
}
