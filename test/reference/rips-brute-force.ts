import { RipsDiagram, RipsDiagramBuilder } from '../../src/persistence/rips/diagram';
import { symmetricDifference } from './z2';

/**
 * Reference Vietoris–Rips persistence, written to be obviously right rather than fast: list every
 * simplex of dimension ≤ maxDim + 1 of the Rips complex, sort all of them into the library's
 * documented total order, and reduce the full Z/2 boundary matrix with the textbook column
 * algorithm (homology, no clearing, no apparent pairs, no cohomology). Independent of the engine;
 * for n ≤ ~10.
 *
 * The total order:
 * - edges {i < j} of length ≤ threshold by (length, j, i) (colexicographic);
 * - a simplex's diameter edge is its largest edge in that order (vertices have none and come
 *   first);
 * - simplices by (diameter edge rank, dimension, Σ_k C(v_k, k+1) over sorted v_0 < v_1 < …).
 * Pairs whose birth and death simplices share their diameter edge are not reported; pairs with
 * equal values are dropped unless keepZeroLength.
 */
export function bruteForceRips(
  distances: ArrayLike<number>,
  n: number,
  maxDim: number,
  threshold = Infinity,
  keepZeroLength = false,
): RipsDiagram[] {
  const d = (i: number, j: number) => distances[i * n + j];
  const edges: [number, number][] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) if (d(i, j) <= threshold) edges.push([i, j]);
  edges.sort((e, f) => d(e[0], e[1]) - d(f[0], f[1]) || e[1] - f[1] || e[0] - f[0]);
  const rank = new Map<string, number>();
  edges.forEach(([i, j], r) => rank.set(`${i},${j}`, r));

  interface Simplex {
    vertices: number[];
    diameter: number; // edge rank, −1 for a vertex
    colex: number;
  }
  const simplices: Simplex[] = [];
  const grow = (vertices: number[]) => {
    const k = vertices.length;
    let diameter = -1;
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const r = rank.get(`${vertices[a]},${vertices[b]}`);
        if (r === undefined) return; // not in the complex, nor any superset
        diameter = Math.max(diameter, r);
      }
    }
    simplices.push({ vertices, diameter, colex: vertices.reduce((s, v, k) => s + binomial(v, k + 1), 0) });
    if (k < maxDim + 2) for (let v = vertices[k - 1] + 1; v < n; v++) grow([...vertices, v]);
  };
  for (let v = 0; v < n; v++) grow([v]);
  simplices.sort((s, t) => s.diameter - t.diameter || s.vertices.length - t.vertices.length || s.colex - t.colex);
  const position = new Map(simplices.map((s, p) => [s.vertices.join(','), p]));

  const pivotOf = new Int32Array(simplices.length).fill(-1);
  const reduced: number[][] = [];
  simplices.forEach((s, j) => {
    let col =
      s.vertices.length === 1
        ? []
        : s.vertices
            .map((_, drop) => position.get(s.vertices.filter((_, k) => k !== drop).join(','))!)
            .sort((a, b) => a - b);
    while (col.length > 0 && pivotOf[col[col.length - 1]] !== -1)
      col = symmetricDifference(col, reduced[pivotOf[col[col.length - 1]]]);
    reduced.push(col);
    if (col.length > 0) pivotOf[col[col.length - 1]] = j;
  });

  const builders = Array.from({ length: maxDim + 1 }, (_, k) => new RipsDiagramBuilder(k));
  const value = (s: Simplex) => (s.diameter < 0 ? 0 : d(...edges[s.diameter]));
  const edgeOf = (s: Simplex): [number, number] =>
    s.diameter < 0 ? [s.vertices[0], s.vertices[0]] : edges[s.diameter];
  simplices.forEach((s, i) => {
    const dim = s.vertices.length - 1;
    if (dim > maxDim || reduced[i].length > 0) return; // not reported, or negative
    const j = pivotOf[i];
    if (j === -1) {
      builders[dim].push(value(s), Infinity, ...edgeOf(s), -1, -1);
      return;
    }
    const t = simplices[j];
    if (t.diameter === s.diameter) return;
    if (keepZeroLength || value(s) !== value(t)) builders[dim].push(value(s), value(t), ...edgeOf(s), ...edgeOf(t));
  });
  return builders.map((b) => b.build());
}

function binomial(n: number, k: number): number {
  if (k > n) return 0;
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return Math.round(c);
}
