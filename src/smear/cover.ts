import { SimplicialComplex } from '../persistence/lower-star/simplicial-complex.js';
import { describe } from '../base/checks.js';

/**
 * A cover U = {U_0, …, U_{m−1}} of the vertices 0..numVertices−1 of a complex by vertex sets (paper,
 * Section II.A), in CSR form: the members of U_i are `members[starts[i] .. starts[i+1])`, increasing.
 * Every vertex lies in at least one U_i; the sets may overlap.
 * @category Smearing
 */
export interface Cover {
  /** Number of vertices of the complex covered. */
  readonly numVertices: number;
  /** Number of cover elements m. */
  readonly size: number;
  /** m + 1 offsets into `members`: U_i is `members[starts[i] .. starts[i+1])`. */
  readonly starts: Int32Array;
  /** The vertices of every cover element, one after the other, increasing within each. */
  readonly members: Int32Array;
}

/**
 * A cover from explicit vertex sets, e.g. `[[0, 1, 2], [2, 3]]`; checks ranges, emptiness and that every vertex is covered.
 *
 * @category Smearing
 */
export function coverFromSets(sets: ArrayLike<ArrayLike<number>>, numVertices: number): Cover {
  if (!Number.isInteger(numVertices) || numVertices < 1)
    throw new Error(`numVertices: expected an integer ≥ 1, got ${describe(numVertices)}`);
  if (sets === null || typeof sets !== 'object' || typeof sets.length !== 'number' || sets.length === 0)
    throw new Error('sets: expected a non-empty list of vertex sets (arrays of vertex indices)');
  const starts = new Int32Array(sets.length + 1);
  const members: number[] = [];
  const covered = new Uint8Array(numVertices);
  for (let i = 0; i < sets.length; i++) {
    const set = sets[i];
    if (set === null || typeof set !== 'object' || typeof set.length !== 'number' || set.length === 0)
      throw new Error(`sets[${i}]: expected a non-empty array of vertex indices`);
    const sorted = Array.from(set).sort((a, b) => a - b);
    sorted.forEach((v, j) => {
      if (!Number.isInteger(v) || v < 0 || v >= numVertices)
        throw new Error(`sets[${i}]: vertex ${String(v)} is not an integer in 0..${numVertices - 1}`);
      if (j > 0 && v === sorted[j - 1]) throw new Error(`sets[${i}]: vertex ${v} is listed twice`);
      covered[v] = 1;
    });
    members.push(...sorted);
    starts[i + 1] = members.length;
  }
  const missing = covered.indexOf(0);
  if (missing >= 0) throw new Error(`sets: vertex ${missing} lies in no set (a cover must cover every vertex)`);
  return { numVertices, size: sets.length, starts, members: Int32Array.from(members) };
}

/**
 * The cover of a `rows × cols` grid's vertices (vertex r · cols + c, as `gridTriangulation` numbers
 * them) by `block × block` squares, the last row and column of blocks partial: the cover whose
 * nerve is the pooled grid of cubical STUMP.
 * @category Smearing
 */
export function blockCover(rows: number, cols: number, block: number): Cover {
  for (const [name, v] of [
    ['rows', rows],
    ['cols', cols],
    ['block', block],
  ] as const)
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name}: expected an integer ≥ 1, got ${describe(v)}`);
  const br = Math.ceil(rows / block);
  const bc = Math.ceil(cols / block);
  const sets: number[][] = Array.from({ length: br * bc }, () => []);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) sets[Math.floor(r / block) * bc + Math.floor(c / block)].push(r * cols + c);
  return coverFromSets(sets, rows * cols);
}

/**
 * A cover by graph balls on the complex's 1-skeleton: centres are picked greedily (the lowest-index
 * vertex not yet within `radius` edges of a centre), and U_i is the ball of `radius` edges around
 * centre i. Balls overlap, so the nerve is connected wherever the complex is.
 *
 * @throws Error naming `complex` (not a SimplicialComplex) or `radius` (not an integer ≥ 0).
 * @example
 * ```js
 * const path = SimplicialComplex.fromSimplices([[0, 1], [1, 2], [2, 3], [3, 4]]); // a path of 5 vertices
 * const cover = graphBallCover(path, 1); // balls of 1 edge around vertices 0, 2 and 4
 * // cover.size → 3; cover.members → [0, 1, 1, 2, 3, 3, 4], cover.starts → [0, 2, 5, 7]
 * ```
 * @category Smearing
 */
export function graphBallCover(complex: SimplicialComplex, radius: number): Cover {
  if (!(complex instanceof SimplicialComplex)) throw new Error('complex: expected a SimplicialComplex');
  if (!Number.isInteger(radius) || radius < 0)
    throw new Error(`radius: expected an integer ≥ 0 (edges), got ${describe(radius)}`);
  const n = complex.numVertices;
  const { starts, neighbours } = adjacency(complex);
  const covered = new Uint8Array(n);
  const depth = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const sets: number[][] = [];
  for (let centre = 0; centre < n; centre++) {
    if (covered[centre]) continue;
    // Breadth-first search to `radius` edges; `depth` is reset for the visited vertices afterwards.
    let head = 0;
    let tail = 0;
    queue[tail++] = centre;
    depth[centre] = 0;
    while (head < tail) {
      const v = queue[head++];
      if (depth[v] === radius) continue;
      for (let e = starts[v]; e < starts[v + 1]; e++) {
        const u = neighbours[e];
        if (depth[u] < 0) {
          depth[u] = depth[v] + 1;
          queue[tail++] = u;
        }
      }
    }
    const ball = Array.from(queue.subarray(0, tail));
    for (const v of ball) {
      covered[v] = 1;
      depth[v] = -1;
    }
    sets.push(ball);
  }
  return coverFromSets(sets, n);
}

/**
 * The nerve of the cover by the open stars of the U_i, up to dimension `maxDim`: cover elements
 * i_0 … i_k span a simplex when one simplex of the complex has a vertex in each of them (their
 * open stars meet). For a partition into blocks of a grid triangulation this is the triangulated
 * grid of blocks; for overlapping sets, sets that share a vertex are joined too.
 *
 * @throws Error naming `complex` (not a SimplicialComplex), `cover` (not a Cover, or one of
 *   another number of vertices than the complex) or `maxDim` (not an integer ≥ 0).
 * @example
 * ```js
 * const path = SimplicialComplex.fromSimplices([[0, 1], [1, 2], [2, 3], [3, 4]]); // a path of 5 vertices
 * const cover = graphBallCover(path, 1); // {0, 1}, {1, 2, 3}, {3, 4}
 * const n = nerve(path, cover, 1); // one vertex per cover element, joined where they meet
 * // n.numVertices → 3, n.edges() → Int32Array [0, 1, 1, 2]: the path of blocks 0–1–2
 * ```
 * @category Smearing
 */
export function nerve(complex: SimplicialComplex, cover: Cover, maxDim: number): SimplicialComplex {
  if (!(complex instanceof SimplicialComplex)) throw new Error('complex: expected a SimplicialComplex');
  checkCover(cover, complex.numVertices);
  if (!Number.isInteger(maxDim) || maxDim < 0)
    throw new Error(`maxDim: expected an integer ≥ 0, got ${describe(maxDim)}`);
  const elementsOf = inverse(cover);
  const stamp = new Int32Array(cover.size).fill(-1);
  const simplices: number[][] = [];
  for (let i = 0; i < cover.size; i++) simplices.push([i]);
  let visit = 0;
  for (let k = 1; k <= complex.dimension; k++) {
    const faces = complex.faces(k);
    for (let s = 0; s < faces.length; s += k + 1, visit++) {
      // L(σ): the cover elements meeting σ.
      const meeting: number[] = [];
      for (let j = 0; j <= k; j++) {
        const v = faces[s + j];
        for (let e = elementsOf.starts[v]; e < elementsOf.starts[v + 1]; e++) {
          const u = elementsOf.members[e];
          if (stamp[u] !== visit) {
            stamp[u] = visit;
            meeting.push(u);
          }
        }
      }
      if (meeting.length > 1)
        subsets(
          meeting.sort((a, b) => a - b),
          Math.min(meeting.length, maxDim + 1),
          simplices,
        );
    }
  }
  return SimplicialComplex.fromSimplices(simplices, cover.size);
}

/** Pushes every subset of `items` of size `size` (the nerve's simplices of dimension size − 1). */
function subsets(items: number[], size: number, out: number[][]): void {
  const pick: number[] = [];
  const walk = (from: number) => {
    if (pick.length === size) {
      out.push(pick.slice());
      return;
    }
    for (let i = from; i <= items.length - (size - pick.length); i++) {
      pick.push(items[i]);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
}

/** Vertex → cover elements containing it, CSR. */
function inverse(cover: Cover): { starts: Int32Array; members: Int32Array } {
  const starts = new Int32Array(cover.numVertices + 1);
  for (const v of cover.members) starts[v + 1]++;
  for (let v = 0; v < cover.numVertices; v++) starts[v + 1] += starts[v];
  const cursor = starts.slice(0, cover.numVertices);
  const members = new Int32Array(cover.members.length);
  for (let i = 0; i < cover.size; i++)
    for (let e = cover.starts[i]; e < cover.starts[i + 1]; e++) members[cursor[cover.members[e]]++] = i;
  return { starts, members };
}

/** The 1-skeleton as CSR adjacency lists. */
function adjacency(complex: SimplicialComplex): { starts: Int32Array; neighbours: Int32Array } {
  const n = complex.numVertices;
  const edges = complex.dimension >= 1 ? complex.edges() : new Int32Array(0);
  const starts = new Int32Array(n + 1);
  for (const v of edges) starts[v + 1]++;
  for (let v = 0; v < n; v++) starts[v + 1] += starts[v];
  const cursor = starts.slice(0, n);
  const neighbours = new Int32Array(edges.length);
  for (let e = 0; e < edges.length; e += 2) {
    neighbours[cursor[edges[e]]++] = edges[e + 1];
    neighbours[cursor[edges[e + 1]]++] = edges[e];
  }
  return { starts, neighbours };
}

/**
 * Throws unless `cover` is a well-formed Cover (see `Cover`: offsets rising from 0 to the number of
 * members, each element non-empty and increasing, every vertex covered) — of `numVertices`
 * vertices when given. O(members + vertices).
 */
export function checkCover(cover: Cover, numVertices?: number, name = 'cover'): void {
  if (
    cover === null ||
    typeof cover !== 'object' ||
    !(cover.starts instanceof Int32Array) ||
    !(cover.members instanceof Int32Array)
  )
    throw new Error(`${name}: expected a Cover (from coverFromSets, blockCover or graphBallCover)`);
  const { numVertices: n, size, starts, members } = cover;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name}.numVertices: expected an integer ≥ 1, got ${describe(n)}`);
  if (numVertices !== undefined && n !== numVertices)
    throw new Error(`${name}: covers ${n} vertices, but the complex has ${numVertices}`);
  if (size !== starts.length - 1 || size < 1)
    throw new Error(`${name}.size: expected starts.length − 1 ≥ 1 cover elements, got ${describe(size)}`);
  if (starts[0] !== 0 || starts[size] !== members.length)
    throw new Error(
      `${name}.starts: expected offsets from 0 to members.length (${members.length}), got ${starts[0]} to ${starts[size]}`,
    );
  const covered = new Uint8Array(n);
  for (let i = 0; i < size; i++) {
    if (!(starts[i + 1] > starts[i]))
      throw new Error(`${name}.starts: element ${i} is empty or the offsets fall (${starts[i]} to ${starts[i + 1]})`);
    for (let e = starts[i]; e < starts[i + 1]; e++) {
      const v = members[e];
      if (v < 0 || v >= n) throw new Error(`${name}.members[${e}]: vertex ${v} is not in 0..${n - 1}`);
      if (e > starts[i] && v <= members[e - 1])
        throw new Error(
          `${name}.members[${e}]: the members of element ${i} are not increasing (${members[e - 1]}, ${v})`,
        );
      covered[v] = 1;
    }
  }
  const missing = covered.indexOf(0);
  if (missing >= 0) throw new Error(`${name}: vertex ${missing} lies in no element (a cover must cover every vertex)`);
}
