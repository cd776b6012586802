import { describe } from '../../base/checks.js';
import { DiagramBuilder } from '../diagram.js';
import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { find, findCodedRoot } from '../toolkit/union-find.js';
import { keepPair } from './cells-3d.js';
import { grown } from '../toolkit/growable.js';
import {
  CRITICAL,
  DOWN,
  DOWN_LEFT,
  DOWN_RIGHT,
  INTERIOR_OUTCOME,
  LEFT,
  LINKED,
  matchSquare,
  PREVIOUS_CORNER,
  RIGHT,
  SQUARE_CRITICAL,
  UP,
  UP_LEFT,
  UP_RIGHT,
} from './square-matching.js';

/**
 * Persistence of a 2-D image (a box), both constructions, by local pairing and two union-finds
 * over the critical cells only.
 *
 * Everything runs on the T construction of a padded copy `g` of the image, one ring of elements
 * around it:
 * - T: g is the image (negated for a superlevel filtration) in a ring of +∞. The ring enters last
 *   and owns no cell between two image corners, so it changes no pair; it makes every pixel an
 *   interior square, and is the outside of the dual pass.
 * - V, by duality: the V complex's sublevel sets and the T complex of the same values, entering
 *   from the other end, are complements of each other in the sphere (Alexander duality), so V's
 *   H0 pairs are the dual pass's H1 pairs and V's H1 pairs the primal pass's H0 pairs, ends
 *   swapped. g is the image turned half a turn (so that among equal values the lower index still
 *   enters first in the reversed order), negated for a sublevel filtration, in a ring of −∞: the
 *   ring enters first and stands for the outside of the V complex. Its cells pair only among
 *   themselves (zero length, not reported), except the edge that closes the last region of the
 *   dual pass: V's essential component.
 *
 * Then, as GUDHI's `Persistence_on_rectangle.h` does (M. Glisse, 2023), each square pairs the cells
 * it brings in with each other by its neighbours' order alone (`square-matching.ts`, one table
 * lookup), leaving critical corners, edges and squares; the critical edges are sorted by their
 * square's (value, index), Kruskal's union-find over the corners pairs the components (H0), and
 * the edges that close a loop go to a union-find over the squares in reverse order (H1, the ring
 * being the outside, older than every square). The elder rules compare (value, index), so the
 * pairs between different pixels are exactly those of the library's total order.
 */
export class PlanePairing {
  private readonly height: number;
  private readonly width: number;
  private readonly stride: number; // padded width
  private readonly padded: number; // padded size
  private readonly dual: boolean; // V: run T on the turned image and read the passes swapped
  private g32: Float32Array | null = null; // padded values, for float32 input
  private g64: Float64Array | null = null; // padded values, for float64 input
  /**
   * Per corner (named by the square it is the up-right corner of): its parent in the primal
   * union-find, or for a root −2 − the square that brought it in (its birth), read with the root.
   */
  private readonly cornerParent: Int32Array;
  /** Per square: its parent in the dual union-find; the ring points at square 0, the outside. */
  private readonly squareParent: Int32Array;
  private readonly ringSquares: Int32Array; // the ring, in index order
  private readonly cornerOffset: Int32Array; // corner k of square i: i + cornerOffset[k]
  private readonly squareAcross: Int32Array; // the square across edge e of square i: i + squareAcross[e]
  // Critical edges: 2 · first corner + (0 horizontal, 1 vertical), and the value of the square
  // that brings each in (the first of its two sides); the ring's first, then the image's.
  private edgeCode = new Uint32Array(1024);
  private edgeValue: Float32Array | Float64Array = new Float64Array(1024);
  private edgeCount = 0;
  private kept = new Uint32Array(1024); // codes of the edges that close a loop in the primal pass, in its order
  private readonly sorter = new RadixArgsort();

  constructor(
    shape: readonly number[],
    construction: 'T' | 'V',
    private readonly dims: readonly number[],
  ) {
    [this.height, this.width] = shape;
    this.stride = this.width + 2;
    this.padded = (this.height + 2) * this.stride;
    this.dual = construction === 'V';
    this.cornerParent = new Int32Array(this.padded);
    this.squareParent = new Int32Array(this.padded);
    const W = this.stride;
    this.cornerOffset = Int32Array.of(-W - 1, -W, -1, 0);
    this.squareAcross = Int32Array.of(-W, 1, W, -1);
    const ring: number[] = [];
    for (let i = 0; i < this.padded; i++) {
      const y = Math.floor(i / this.stride);
      const x = i - y * this.stride;
      if (y === 0 || x === 0 || y === this.height + 1 || x === this.width + 1) ring.push(i);
    }
    this.ringSquares = Int32Array.from(ring); // a JS array of 2(h + w) + 4 entries only
  }

  /** Pushes the pairs of each requested dimension k into builders[k]. */
  compute(
    values: Float32Array | Float64Array,
    superlevel: boolean,
    builders: readonly DiagramBuilder[],
    keepZeroLength: boolean,
  ): void {
    const g = this.load(values, superlevel);
    this.edgeCount = 0;
    if (this.dual) for (const i of this.ringSquares) this.pairRingSquare(g, i);
    const ringEdges = this.edgeCount;
    this.pairInteriorSquares(g);
    const order = this.sorter.sort(
      this.edgeValue.subarray(ringEdges, this.edgeCount),
      this.edgeCount - ringEdges,
      false,
      this.edgeCode.subarray(ringEdges),
    );
    const [components, loops] = this.dual ? [1, 0] : [0, 1]; // the T dimension whose pairs give each
    const wantComponents = this.dims.includes(this.dual ? 1 : 0);
    const wantLoops = this.dims.includes(this.dual ? 0 : 1);
    const kept = this.primal(values, g, order, ringEdges, wantComponents ? builders[components] : null, keepZeroLength);
    if (wantLoops) this.dualPass(values, g, kept, builders[loops], keepZeroLength);
    if (!this.dual && wantComponents) {
      const root = findCodedRoot(this.cornerParent, this.stride + 1);
      const oldest = this.element(-2 - this.cornerParent[root]);
      builders[0].push(values[oldest], Infinity, oldest, -1);
    }
  }

  /** The padded values: the image placed (turned for V), negated as the filtration needs, checked finite. */
  private load(values: Float32Array | Float64Array, superlevel: boolean): Float32Array | Float64Array {
    const f64 = values instanceof Float64Array;
    let g = f64 ? this.g64 : this.g32;
    if (g === null) {
      g = f64 ? new Float64Array(this.padded) : new Float32Array(this.padded);
      g.fill(this.dual ? -Infinity : Infinity);
      if (f64) this.g64 = g as Float64Array;
      else this.g32 = g as Float32Array;
      for (const i of this.ringSquares) this.squareParent[i] = 0;
    }
    const { width: w, height: h, stride, dual } = this;
    const sign = dual === superlevel ? 1 : -1;
    const n = w * h;
    for (let y = 0, e = 0; y < h; y++) {
      const row = (y + 1) * stride + 1;
      for (let x = 0; x < w; x++, e++) {
        const v = values[dual ? n - 1 - e : e];
        if (v - v !== 0)
          throw new Error(`values: expected finite numbers, got ${describe(v)} at index ${dual ? n - 1 - e : e}`);
        g[row + x] = sign * v;
      }
    }
    return g;
  }

  /** The input element of a padded square index (turned back for V). */
  private element(i: number): number {
    const y = Math.floor(i / this.stride) - 1;
    const e = y * this.width + (i - (y + 1) * this.stride - 1);
    return this.dual ? this.width * this.height - 1 - e : e;
  }

  /** Local pairing of every pixel: its neighbours' order → the table's outcome → applied. */
  private pairInteriorSquares(g: Float32Array | Float64Array): void {
    const { stride: W, height: h, width: w } = this;
    for (let y = 1; y <= h; y++) {
      for (let i = y * W + 1, end = i + w; i < end; i++) {
        const v = g[i];
        // Later in the filtration: a larger value, or an equal one at a larger index.
        const later =
          (g[i - 1] > v ? LEFT : 0) |
          (g[i + 1] >= v ? RIGHT : 0) |
          (g[i - W] > v ? DOWN : 0) |
          (g[i + W] >= v ? UP : 0) |
          (g[i - W - 1] > v ? DOWN_LEFT : 0) |
          (g[i - W + 1] > v ? DOWN_RIGHT : 0) |
          (g[i + W - 1] >= v ? UP_LEFT : 0) |
          (g[i + W + 1] >= v ? UP_RIGHT : 0);
        this.apply(i, INTERIOR_OUTCOME[later], v);
      }
    }
  }

  /**
   * A ring square (V only) owns the cells between image corners that it is the first coface of;
   * it is the outside, already paired (with the cells beyond the image), so not free.
   */
  private pairRingSquare(g: Float32Array | Float64Array, i: number): void {
    const { stride: W, padded } = this;
    const v = g[i];
    const later = (j: number) => g[j] > v || (g[j] === v && j > i);
    const y = Math.floor(i / W);
    const x = i - y * W;
    // Corner c (the up-right corner of square c) lies between image corners when its square is
    // neither in the last row nor the last column of the padded grid, nor before the first.
    const inside = (cy: number, cx: number) => cy >= 0 && cx >= 0 && cy < padded / W - 1 && cx < W - 1;
    const cornerAt = [
      [y - 1, x - 1],
      [y - 1, x],
      [y, x - 1],
      [y, x],
    ];
    let corners = 0;
    cornerAt.forEach(([cy, cx], k) => {
      if (!inside(cy, cx)) return;
      const c = cy * W + cx;
      const around = [c, c + 1, c + W, c + W + 1].filter((s) => s !== i);
      if (around.every(later)) corners |= 1 << k;
    });
    // Edge e joins corners EDGE_ENDS[e]; it is owned when both ends are inside and the square across comes later.
    const across = [i - W, i + 1, i + W, i - 1];
    let edges = 0;
    EDGE_ENDS.forEach(([a, b], e) => {
      const [ay, ax] = cornerAt[a];
      const [by, bx] = cornerAt[b];
      if (inside(ay, ax) && inside(by, bx) && later(across[e])) edges |= 1 << e;
    });
    this.apply(i, matchSquare(corners, edges, false), v);
  }

  /** Writes one square's outcome: corner links, its own dual parent, its critical edges. */
  private apply(i: number, outcome: number, value: number): void {
    const W = this.stride;
    if (outcome & 0xff) {
      const { cornerParent, cornerOffset } = this;
      for (let k = 0; k < 4; k++) {
        const state = (outcome >> (2 * k)) & 3;
        if (state === CRITICAL) cornerParent[i + cornerOffset[k]] = -2 - i;
        else if (state === LINKED) cornerParent[i + cornerOffset[k]] = i + cornerOffset[PREVIOUS_CORNER[k]];
      }
    }
    const square = (outcome >> 8) & 7;
    if (square === SQUARE_CRITICAL) this.squareParent[i] = i;
    else if (square !== 0) this.squareParent[i] = i + this.squareAcross[square - 1];
    const edges = outcome >> 11;
    if (edges === 0) return;
    // Edge codes: down 2(i−W−1), right 2(i−W)+1, up 2(i−1), left 2(i−W−1)+1.
    if (edges & 1) this.pushEdge(2 * (i - W - 1), value);
    if (edges & 2) this.pushEdge(2 * (i - W) + 1, value);
    if (edges & 4) this.pushEdge(2 * (i - 1), value);
    if (edges & 8) this.pushEdge(2 * (i - W - 1) + 1, value);
  }

  private pushEdge(code: number, value: number): void {
    const k = this.edgeCount++;
    if (k === this.edgeCode.length) {
      this.edgeCode = grown(this.edgeCode, 2 * k);
      this.edgeValue = grown(this.edgeValue, 2 * k);
    }
    this.edgeCode[k] = code;
    this.edgeValue[k] = value;
  }

  /** The square that brings an edge in: the first of the two it separates, by (value, index). */
  private edgeOwner(g: Float32Array | Float64Array, code: number): number {
    const u = code >> 1;
    const s = code & 1 ? u + this.stride : u + 1;
    const t = code & 1 ? s + 1 : s + this.stride;
    return g[t] < g[s] ? t : s; // t > s: on a tie s comes first
  }

  /**
   * Kruskal over the critical edges — the ring's first, then the others by (value, square) — on
   * the corners. Pushes the component pairs into `out` (T: H0, V: its H1, ends swapped; none for
   * the ring's own edges), and returns the codes of the edges that close a loop, in order.
   */
  private primal(
    values: Float32Array | Float64Array,
    g: Float32Array | Float64Array,
    order: Uint32Array,
    ringEdges: number,
    out: DiagramBuilder | null,
    keepZeroLength: boolean,
  ): Uint32Array {
    const { cornerParent: parent, edgeCode, stride: W } = this;
    if (this.kept.length < this.edgeCount) this.kept = new Uint32Array(this.edgeCount);
    const kept = this.kept;
    let k = 0;
    const total = this.edgeCount;
    for (let r = 0; r < total; r++) {
      const ring = r < ringEdges;
      const code = ring ? edgeCode[r] : order[r - ringEdges];
      const u = code >> 1;
      const a = findCodedRoot(parent, u);
      const b = findCodedRoot(parent, u + (code & 1 ? W : 1));
      if (a === b) {
        kept[k++] = code;
        continue;
      }
      // Elder rule: the component born later, by (value, square), dies.
      const oa = -2 - parent[a];
      const ob = -2 - parent[b];
      const bYounger = g[ob] > g[oa] || (g[ob] === g[oa] && ob > oa);
      const young = bYounger ? b : a;
      parent[young] = bYounger ? a : b;
      if (out === null || ring) continue;
      let born = this.element(bYounger ? ob : oa);
      let dies = this.element(this.edgeOwner(g, code));
      if (this.dual) [born, dies] = [dies, born];
      if (keepPair(values, born, dies, keepZeroLength)) out.push(values[born], values[dies], born, dies);
    }
    return kept.subarray(0, k);
  }

  /**
   * The loops' pass: the kept edges in reverse order join the squares on their two sides; the
   * older region (the outside, else the later square) survives. Pushes into `out` T's H1 pairs,
   * or V's H0 pairs, ends swapped (an edge of the ring closing the last region: V's essential class).
   */
  private dualPass(
    values: Float32Array | Float64Array,
    g: Float32Array | Float64Array,
    kept: Uint32Array,
    out: DiagramBuilder,
    keepZeroLength: boolean,
  ): void {
    const { squareParent: parent, stride: W } = this;
    for (let r = kept.length - 1; r >= 0; r--) {
      const code = kept[r];
      const u = code >> 1;
      const s = code & 1 ? u + W : u + 1; // the squares on its two sides: s and s + (1 or W)
      const t = code & 1 ? s + 1 : s + W;
      const a = find(parent, s);
      const b = find(parent, t);
      if (a === b) continue; // never in a box: every loop of a plane region is filled
      const aOlder = a === OUTSIDE || (b !== OUTSIDE && (g[a] > g[b] || (g[a] === g[b] && a > b)));
      const young = aOlder ? b : a;
      parent[young] = aOlder ? a : b;
      const square = this.element(young);
      const owner = g[t] < g[s] ? t : s;
      if (g[owner] === -Infinity) {
        out.push(values[square], Infinity, square, -1); // an edge of the ring: V's component that never dies
        continue;
      }
      let born = this.element(owner);
      let dies = square;
      if (this.dual) [born, dies] = [dies, born];
      if (keepPair(values, born, dies, keepZeroLength)) out.push(values[born], values[dies], born, dies);
    }
  }
}

/** The ends of each edge of a square, as corner numbers (see square-matching.ts). */
const EDGE_ENDS = [
  [0, 1],
  [1, 3],
  [2, 3],
  [0, 2],
] as const;

/** The dual pass's outside: square 0, a ring square, whose whole ring points at it. */
const OUTSIDE = 0;
