import { hash } from './pivot-map.js';

/** Rank of a pair of vertices that is not an edge of the complex (and of the diagonal). */
export const NO_EDGE = 0x7fffffff;

/*
 * The rank of each edge {i, j} of a Rips complex by its key i·n + j (either order), in one of two
 * small types:
 * - `RankMatrix`, the n×n matrix: one read per lookup; for small or dense complexes;
 * - `RankTable`, a hash table over the edges: memory linear in the edges; for sparse ones.
 */

/** Edge ranks in an n×n matrix (n ≤ 46340, so that n² stays below 2³¹). */
export class RankMatrix {
  private ranks = new Int32Array(0); // ranks[i·n + j] = rank of edge {i, j}, NO_EDGE if none

  /** Indexes `count` edges {vertexA[r], vertexB[r]} of rank r on n vertices. */
  index(n: number, count: number, vertexA: Int32Array, vertexB: Int32Array): void {
    if (this.ranks.length < n * n) this.ranks = new Int32Array(n * n);
    const ranks = this.ranks;
    ranks.fill(NO_EDGE, 0, n * n);
    for (let r = 0; r < count; r++) {
      ranks[vertexA[r] * n + vertexB[r]] = r;
      ranks[vertexB[r] * n + vertexA[r]] = r;
    }
  }

  /** The matrix itself, read directly in the hot loops (ranks by key i·n + j). */
  get rows(): Int32Array {
    return this.ranks;
  }
}

/** Edge ranks in an open-addressing hash table keyed by i·n + j (n ≤ 65535, keys below 2³²). */
export class RankTable {
  private keys = new Uint32Array(0); // i·n + j for both orders of each edge, EMPTY where free
  private ranks = new Int32Array(0); // the rank stored with each key
  private mask = 0;

  /** Indexes `count` edges {vertexA[r], vertexB[r]} of rank r on n vertices. */
  index(n: number, count: number, vertexA: Int32Array, vertexB: Int32Array): void {
    let size = 16;
    while (size < 4 * count) size *= 2; // both orders of each edge, load ≤ 1/2
    if (this.keys.length < size) {
      this.keys = new Uint32Array(size);
      this.ranks = new Int32Array(size);
    }
    this.mask = size - 1;
    this.keys.fill(EMPTY, 0, size);
    for (let r = 0; r < count; r++) {
      this.insert(vertexA[r] * n + vertexB[r], r);
      this.insert(vertexB[r] * n + vertexA[r], r);
    }
  }

  /** The rank of the edge with key i·n + j, NO_EDGE if there is none. */
  rankAt(key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    for (let b = hash(key) & mask; ; b = (b + 1) & mask) {
      const k = keys[b];
      if (k === key) return this.ranks[b];
      if (k === EMPTY) return NO_EDGE;
    }
  }

  private insert(key: number, r: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let b = hash(key) & mask;
    while (keys[b] !== EMPTY) b = (b + 1) & mask;
    keys[b] = key;
    this.ranks[b] = r;
  }
}

/** A free slot: no key i·n + j with i, j < 2¹⁶ reaches it. */
const EMPTY = 0xffffffff;
