import { LowerStarOrder, ownerRanks } from './order.js';
import { VertexPairs } from './vertex-pairs.js';
import { SimplicialComplex } from './simplicial-complex.js';
import { findCodedRoot } from '../toolkit/union-find.js';

/**
 * The two union-find passes of lower-star persistence, over the simplices of one dimension in
 * filtration order (LowerStarOrder). Walking each vertex's star in rank order instead, which
 * needs no sort, measured 2–4× slower on meshes with random values: the star lists are visited
 * in random order and every edge twice.
 */

/**
 * H0 by Kruskal's sweep with the elder rule: each edge joins the components of its two vertices; a
 * merge kills the younger component (whose oldest vertex has the larger rank) at the edge's owner.
 * `ends` holds the edges' endpoints in filtration order (LowerStarOrder.carryPairs). Marks the
 * positions of the edges that kill a component in `killedEdges` (they are cleared from H1) and
 * reports one essential class per final component, born at its oldest vertex.
 */
export function componentPairs(
  complex: SimplicialComplex,
  { rank, vertexAt, ownerStart }: LowerStarOrder,
  ends: Int32Array,
  parent: Int32Array,
  killedEdges: Uint8Array,
  out: VertexPairs,
): void {
  const n = complex.numVertices;
  // A root is the oldest vertex of its component and stores −1 − its rank.
  for (let v = 0; v < n; v++) parent[v] = -1 - rank[v];
  const start = ownerStart[1];
  let r = 0; // owner rank of the edge at position p, read from the bucket bounds
  for (let p = 0, m = ends.length / 2; p < m; p++) {
    while (start[r + 1] <= p) r++;
    const a = findCodedRoot(parent, ends[2 * p]);
    const b = findCodedRoot(parent, ends[2 * p + 1]);
    if (a === b) continue; // the edge closes a cycle: positive, left for H1
    // Elder rule: the younger root has the larger rank, i.e. the smaller code.
    const young = parent[a] < parent[b] ? a : b;
    parent[young] = young === a ? b : a;
    killedEdges[p] = 1;
    const v = vertexAt[r];
    if (young !== v) out.push(young, v); // else: born and killed by one vertex
  }
  for (let q = 0; q < n; q++) {
    const v = vertexAt[q];
    if (parent[v] < 0) out.push(v, -1);
  }
}

/**
 * Pairs of dimensions (d−1, d) for the top dimension d ≥ 2 of a complex in which every
 * (d−1)-simplex has at most two cofaces (a pseudo-manifold, possibly with boundary), by union-find
 * on the dual graph. The coboundary matrix of the (d−1)-simplices then has at most two entries per
 * column: it is the incidence matrix of the graph whose nodes are the d-simplices plus one node
 * "outside" (the other end of a column with a single entry) older than all of them, and its
 * persistent-cohomology reduction is Kruskal's algorithm with the elder rule in reverse filtration
 * order (as for the top dimension of a cubical complex, by Alexander duality). A (d−1)-simplex that
 * joins two components pairs with the younger one's first d-simplex in the reverse sweep (its
 * largest in the filtration); one that joins a component to itself, or has no coface, is essential
 * in H_{d−1} unless it kills a (d−2)-class (`killedLower`, by position: its column is cleared).
 * The d-simplices never killed are the essential classes of H_d. Exact over Z/2: the same pairs as
 * the general reduction.
 *
 * `cofaces` holds the two cofaces of each (d−1)-simplex in filtration order (cofacePairs, carried
 * by LowerStarOrder.carryPairs).
 */
export function dualPairs(
  complex: SimplicialComplex,
  { rank, vertexAt, ownerStart }: LowerStarOrder,
  cofaces: Int32Array,
  topOwner: Int32Array,
  parent: Int32Array,
  killedLower: Uint8Array,
  outLower: VertexPairs,
  outTop: VertexPairs,
): void {
  const d = complex.dimension;
  const n = complex.numVertices;
  const m = topOwner.length;
  ownerRanks(complex.faces(d), d + 1, rank, topOwner);
  // A root is the first node of its component in the reverse sweep (the largest in the filtration)
  // and stores −1 − its owner rank; among roots of one owner the larger index is older. The
  // outside is older than every simplex.
  for (let t = 0; t < m; t++) parent[t] = -1 - topOwner[t];
  parent[m] = -1 - n;
  const start = ownerStart[d - 1];
  let r = n - 1; // owner rank of the (d−1)-simplex at position p
  for (let p = killedLower.length - 1; p >= 0; p--) {
    while (start[r] > p) r--;
    if (killedLower[p]) continue; // cleared: it kills a (d−2)-class, its column is zero
    const first = cofaces[2 * p];
    if (first === -1) {
      outLower.push(vertexAt[r], -1); // no coface
      continue;
    }
    const a = findCodedRoot(parent, first);
    const b = findCodedRoot(parent, cofaces[2 * p + 1]);
    if (a === b) {
      outLower.push(vertexAt[r], -1); // closes a cycle of the dual graph: the column reduces to zero
      continue;
    }
    // The younger component's root comes earlier in the filtration: smaller owner rank (larger
    // code), or the same owner and a smaller index.
    const pa = parent[a];
    const pb = parent[b];
    const aYounger = pa > pb || (pa === pb && a < b);
    parent[aYounger ? a : b] = aYounger ? b : a;
    const dies = -1 - (aYounger ? pa : pb); // the owner rank of the young root
    if (dies !== r) outLower.push(vertexAt[r], vertexAt[dies]); // else: one owner
  }
  for (let t = 0; t < m; t++) if (parent[t] < 0) outTop.push(vertexAt[topOwner[t]], -1);
}

/**
 * The cofaces of each (d−1)-simplex of a pseudo-manifold as fixed pairs (one memory access in the
 * sweep instead of two): [t, u] for two cofaces, [t, outside] for one, [−1, −1] for none, where
 * outside = count(d); read straight from the facets of the d-simplices. Null when some
 * (d−1)-simplex has more than two cofaces: the complex is no pseudo-manifold.
 */
export function cofacePairs(complex: SimplicialComplex): Int32Array | null {
  const d = complex.dimension;
  const facets = complex.facets(d);
  const outside = complex.count(d);
  const out = new Int32Array(2 * complex.count(d - 1)).fill(-1);
  for (let t = 0, i = 0; i < facets.length; t++)
    for (let j = 0; j <= d; j++, i++) {
      const at = 2 * facets[i];
      if (out[at] === -1) out[at] = t;
      else if (out[at + 1] === -1) out[at + 1] = t;
      else return null;
    }
  for (let i = 1; i < out.length; i += 2) if (out[i] === -1 && out[i - 1] !== -1) out[i] = outside;
  return out;
}
