import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { SimplicialComplex } from './simplicial-complex.js';

/**
 * The lower-star filtration's total order on the simplices of a complex, recomputed in place for
 * each vector of vertex values:
 *
 * - vertices are ranked by (value, index) — (−value, index) for a superlevel filtration — with the
 *   toolkit's radix argsort;
 * - a simplex's *owner* is its vertex of largest rank: the vertex whose entry brings it in, whose
 *   value is the simplex's filtration value (the max over its vertices; the min when superlevel);
 * - simplices are ordered by (owner rank, dimension, index in the complex's lexicographic list).
 *   Per dimension that is one stable counting sort by owner rank, O(#simplices + #vertices).
 */
export class LowerStarOrder {
  /** rank[v]: position of vertex v in the vertex order. */
  readonly rank: Int32Array;
  /** vertexAt[r]: the vertex of rank r. */
  readonly vertexAt: Int32Array;
  /** ownerRank[k][i]: rank of the owner of k-simplex i (k ≥ 1; [0] aliases `rank`). */
  readonly ownerRank: Int32Array[];
  /** order[k][p]: the k-simplex at position p among the k-simplices ([0] aliases `vertexAt`). */
  readonly order: Int32Array[];
  /** position[k][i]: the position of k-simplex i, for k ≥ 2 only (rows of a reduction); [0] aliases `rank`, [1] is empty. */
  readonly position: Int32Array[];
  /**
   * ownerStart[k][r]: the first position among the k-simplices owned by the vertex of rank r
   * (length n + 1), so a sweep in order reads each simplex's owner sequentially ([0] is empty).
   */
  readonly ownerStart: Int32Array[];
  private readonly carried: [Int32Array, Int32Array][][] = []; // per dimension: (source, target) pairs, see carryPairs
  private readonly sorter: RadixArgsort;

  /** Working memory for the simplices of dimensions 0..`upTo` of `complex`. */
  constructor(
    private readonly complex: SimplicialComplex,
    readonly upTo: number,
  ) {
    const n = complex.numVertices;
    this.sorter = new RadixArgsort(n);
    this.rank = new Int32Array(n);
    this.vertexAt = new Int32Array(n);
    this.ownerRank = [this.rank];
    this.ownerStart = [new Int32Array(0)];
    this.order = [this.vertexAt];
    this.position = [this.rank];
    for (let k = 1; k <= upTo; k++) {
      const m = complex.count(k);
      this.ownerRank.push(new Int32Array(m));
      this.order.push(new Int32Array(m));
      this.position.push(new Int32Array(k >= 2 ? m : 0));
      this.ownerStart.push(new Int32Array(n + 1));
    }
    for (let k = 0; k <= upTo; k++) this.carried.push([]);
  }

  /**
   * Asks every `compute` to copy `source` (two numbers per k-simplex, by index) into the returned
   * array in filtration order (two per position): the sweeps then read it sequentially instead of
   * looking it up at random, and the copy costs only writes during the counting sort.
   */
  carryPairs(k: number, source: Int32Array): Int32Array {
    if (k < 1 || k > this.upTo || source.length !== 2 * this.order[k].length || this.carried[k].length === 2)
      throw new Error(`carryPairs: bad dimension ${k}, source length, or more than two sources`);
    const target = new Int32Array(source.length);
    this.carried[k].push([source, target]);
    return target;
  }

  /** Ranks the vertices by `values` and orders the simplices of every dimension up to `upTo`. */
  compute(values: Float32Array | Float64Array, superlevel: boolean): void {
    const { rank, vertexAt } = this;
    const n = rank.length;
    const sorted = this.sorter.sort(values, n, superlevel);
    for (let r = 0; r < n; r++) {
      const v = sorted[r];
      vertexAt[r] = v;
      rank[v] = r;
    }
    for (let k = 1; k <= this.upTo; k++) this.orderSimplices(k);
  }

  /** Owner ranks of the k-simplices, then a stable counting sort by them. */
  private orderSimplices(k: number): void {
    const { rank } = this;
    const cursor = this.ownerStart[k];
    const faces = this.complex.faces(k);
    const owner = this.ownerRank[k];
    const order = this.order[k];
    const position = this.position[k];
    const s = k + 1;
    const m = owner.length;
    ownerRanks(faces, s, rank, owner);
    cursor.fill(0);
    for (let i = 0; i < m; i++) cursor[owner[i] + 1]++;
    const n = rank.length;
    for (let r = 0; r < n; r++) cursor[r + 1] += cursor[r];
    // The placement below advances cursor[r] to the start of bucket r + 1; shift back afterwards.
    const carried = this.carried[k];
    if (carried.length > 0) {
      // The same placement, copying the carried pairs (at most two sources) along.
      const [source0, target0] = carried[0];
      const [source1, target1] = carried.length > 1 ? carried[1] : carried[0];
      const withPosition = position.length > 0;
      for (let i = 0; i < m; i++) {
        const p = cursor[owner[i]]++;
        order[p] = i;
        if (withPosition) position[i] = p;
        target0[2 * p] = source0[2 * i];
        target0[2 * p + 1] = source0[2 * i + 1];
        target1[2 * p] = source1[2 * i];
        target1[2 * p + 1] = source1[2 * i + 1];
      }
    } else {
      for (let i = 0; i < m; i++) {
        const p = cursor[owner[i]]++;
        order[p] = i;
        position[i] = p;
      }
    }
    cursor.copyWithin(1, 0, n);
    cursor[0] = 0;
  }
}

/** out[i] = the largest rank among the s vertices of simplex i of `faces`. */
export function ownerRanks(faces: Int32Array, s: number, rank: Int32Array, out: Int32Array): void {
  const m = out.length;
  if (s === 3) {
    for (let i = 0, j = 0; i < m; i++, j += 3) {
      const a = rank[faces[j]];
      const b = rank[faces[j + 1]];
      const c = rank[faces[j + 2]];
      out[i] = a > b ? (a > c ? a : c) : b > c ? b : c;
    }
    return;
  }
  for (let i = 0, j = 0; i < m; i++, j += s) {
    let r = rank[faces[j]];
    for (let c = 1; c < s; c++) if (rank[faces[j + c]] > r) r = rank[faces[j + c]];
    out[i] = r;
  }
}
