import { describe } from '../../base/checks.js';
import { DiagramBuilder } from '../diagram.js';
import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { find, findCodedRoot } from '../toolkit/union-find.js';
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
  NEXT_CORNER,
  NOT_OWNED,
  PREVIOUS_CORNER,
  RIGHT,
  SQUARE_CRITICAL,
  SQUARE_TAKEN,
  UP,
  UP_LEFT,
  UP_RIGHT,
} from './square-matching.js';

/**
 * Persistence of a 2-D image (a box), both constructions, by local pairing and two union-finds
 * over the critical cells only.
 *
 * Everything runs on the T construction of an image `g` derived from the input, read in place
 * (never copied) with one ring of elements around it:
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
 * lookup), leaving critical corners, edges and squares: the other corners and squares only point,
 * through the cells they were paired with, at a neighbour. The critical edges are sorted by their
 * square's (value, index); Kruskal's union-find over the corners pairs the components (H0), and
 * the edges that close a loop go to a union-find over the squares in reverse order (H1, the ring
 * being the outside, older than every square).
 *
 * Both union-finds run on the critical cells alone, renumbered by birth — corners by (value,
 * square) ascending, squares likewise with the outside last — so that the elder rule is a
 * comparison of numbers, the arrays are small enough to stay in cache, and the only random reads
 * into the image-sized arrays are the independent ones that give each edge the births of its two
 * ends, done in the edges' raster order. The pairs between different pixels are exactly those of
 * the library's total order.
 */
export class PlanePairing {
  private readonly height: number;
  private readonly width: number;
  private readonly stride: number; // padded width
  private readonly padded: number; // padded size
  private readonly dual: boolean; // V: run T on the turned image and read the passes swapped
  /**
   * Per corner (named by the square it is the up-right corner of): the corner it is linked to, or
   * for a critical corner −1 − its number (its place among the critical corners by birth).
   */
  private readonly cornerParent: Int32Array;
  /**
   * Per square, its outcome of the local pairing: 1 + e when linked to the square across its edge e,
   * SQUARE_CRITICAL, or SQUARE_TAKEN for the ring (the outside). A byte, not a parent: the squares'
   * forest is built from it in `cornerParent` once the corners' pass no longer needs that.
   */
  private readonly squareLink: Uint8Array;
  private readonly ringSquares: Int32Array; // the ring, in index order
  private readonly cornerOffset: Int32Array; // corner k of square i: i + cornerOffset[k]
  private readonly squareAcross: Int32Array; // the square across edge e of square i: i + squareAcross[e]
  private readonly linkStep: Int32Array; // the square a square with link l points at: i + linkStep[l] (critical: i)
  private readonly edgeOffset: Int32Array; // the first corner of edge e of square i: i + edgeOffset[e]
  // The critical cells of each kind, in the order the passes find them (the image's by square, then
  // the ring's), coded with the square that brought them in (see cornerCode, edgeCode), with its value.
  private readonly corners = new CriticalCells();
  private readonly squares = new CriticalCells();
  private readonly edges = new CriticalCells();
  private imageCorners = 0; // corners found by the image's squares; after them, the ring's (V: −∞, first in order)
  private imageEdges = 0; // likewise for edges
  private ringEdges = 0; // the edges found by the ring: the first places in the edges' order
  private forest = new Int32Array(1024); // the union-find over numbers (of corners, then of squares)
  private readonly sorter = new RadixArgsort();
  // The edges' places: the ring's edges first (place r < ringEdges: edge imageEdges + r), then the
  // image's: place ringEdges + r holds edge edgeOrder[r], and image edge e has place ringEdges +
  // edgeRanks[e]. The edges' sort is the sorter's last, so these lie in its memory, as do:
  private edgeOrder: Uint32Array = new Uint32Array(0);
  private edgeRanks: Uint32Array = new Uint32Array(0);
  // per place, the numbers of the roots of the edge's two ends; after the primal pass, −1 for an
  // edge that joined two components, else the numbers of the regions on its two sides.
  private endA: Int32Array = new Int32Array(0);
  private endB: Int32Array = new Int32Array(0);

  constructor(
    shape: readonly number[],
    construction: 'T' | 'V',
    private readonly dims: readonly number[],
  ) {
    [this.height, this.width] = shape;
    this.stride = this.width + 2;
    this.padded = (this.height + 2) * this.stride;
    if (4 * this.padded >= 2 ** 31)
      throw new Error(`shape: at most 2²⁹ pixels with their padding are supported in 2-D, got ${shape.join('×')}`);
    this.dual = construction === 'V';
    this.cornerParent = new Int32Array(this.padded);
    this.squareLink = new Uint8Array(this.padded); // SQUARE_TAKEN: the ring, for good
    const W = this.stride;
    this.cornerOffset = Int32Array.of(-W - 1, -W, -1, 0);
    this.squareAcross = Int32Array.of(-W, 1, W, -1);
    this.linkStep = Int32Array.of(0, ...this.squareAcross, 0);
    this.edgeOffset = Int32Array.of(-W - 1, -W, -1, -W - 1);
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
    const sign = this.dual === superlevel ? 1 : -1; // g = sign · value, and value = sign · g
    const { corners, squares, edges, width: w, height: h } = this;
    for (let e = 0; e < w * h; e++) {
      const v = values[e];
      if (v - v !== 0) throw new Error(`values: expected finite numbers, got ${describe(v)} at index ${e}`);
    }
    corners.reset(values);
    squares.reset(values);
    edges.reset(values);
    // The image first (a ring square's cells come first in the filtration, but the compiled loop
    // should see the image's outcomes first), then the ring.
    this.pairImageSquares(values, sign);
    this.imageCorners = corners.length;
    this.imageEdges = edges.length;
    if (this.dual) for (const i of this.ringSquares) this.pairRingSquare(i);
    this.ringEdges = edges.length - this.imageEdges;

    const [components, loops] = this.dual ? [1, 0] : [0, 1]; // the T dimension whose pairs give each
    const wantComponents = this.dims.includes(this.dual ? 1 : 0);
    const wantLoops = this.dims.includes(this.dual ? 0 : 1);
    this.sorter.reserve(Math.max(corners.length, squares.length, edges.length));
    this.number(corners, this.imageCorners, true);
    if (wantLoops) this.number(squares, squares.length, false);
    this.sortEdges();
    this.primal(sign, wantComponents ? builders[components] : null, keepZeroLength);
    if (!this.dual && wantComponents) {
      const oldest = this.element(corners.bornAt[0]);
      builders[0].push(values[oldest], Infinity, oldest, -1);
    }
    if (wantLoops) this.dualPass(sign, this.squareForest(), builders[loops], keepZeroLength);
  }

  /** The input element of a padded square index (turned back for V). */
  private element(i: number): number {
    const y = ((i / this.stride) | 0) - 1;
    const e = y * this.width + (i - (y + 1) * this.stride - 1);
    return this.dual ? this.width * this.height - 1 - e : e;
  }

  /**
   * Local pairing of every pixel: its neighbours' order → the table's outcome → applied. g is
   * read in place: at pixel (y, x) of g, sign · values[at] with at = y·w + x, or for V (the image
   * turned) n − 1 − that, so a step in g is a step of `dir` = ±1 in values. Pixels on the image's
   * border see the ring through `gAt`.
   */
  private pairImageSquares(values: Float32Array | Float64Array, sign: number): void {
    const { stride: W, height: h, width: w, dual } = this;
    const n = w * h;
    const dir = dual ? -1 : 1;
    const [left, right, down, up] = [-dir, dir, -dir * w, dir * w];
    for (let y = 0; y < h; y++) {
      const row = (y + 1) * W + 1; // padded index of (y, 0)
      if (y === 0 || y === h - 1 || w < 3) {
        for (let x = 0; x < w; x++) this.pairBorderSquare(values, sign, y, x, row + x);
        continue;
      }
      this.pairBorderSquare(values, sign, y, 0, row);
      for (let x = 1, at = dual ? n - 1 - (y * w + 1) : y * w + 1; x < w - 1; x++, at += dir) {
        const v = sign * values[at];
        const later = laterNeighbours(
          v,
          sign * values[at + left],
          sign * values[at + right],
          sign * values[at + down],
          sign * values[at + up],
          sign * values[at + down + left],
          sign * values[at + down + right],
          sign * values[at + up + left],
          sign * values[at + up + right],
        );
        this.apply(row + x, INTERIOR_OUTCOME[later], v);
      }
      this.pairBorderSquare(values, sign, y, w - 1, row + w - 1);
    }
  }

  /** The same for a pixel on the image's border, whose neighbours may be the ring. */
  private pairBorderSquare(values: Float32Array | Float64Array, sign: number, y: number, x: number, i: number): void {
    const v = this.gAt(values, sign, y, x);
    const later = laterNeighbours(
      v,
      this.gAt(values, sign, y, x - 1),
      this.gAt(values, sign, y, x + 1),
      this.gAt(values, sign, y - 1, x),
      this.gAt(values, sign, y + 1, x),
      this.gAt(values, sign, y - 1, x - 1),
      this.gAt(values, sign, y - 1, x + 1),
      this.gAt(values, sign, y + 1, x - 1),
      this.gAt(values, sign, y + 1, x + 1),
    );
    this.apply(i, INTERIOR_OUTCOME[later], v);
  }

  /** g at pixel (y, x), the ring (T: +∞, V: −∞) outside the image. */
  private gAt(values: Float32Array | Float64Array, sign: number, y: number, x: number): number {
    const { width: w, height: h } = this;
    if (y < 0 || x < 0 || y >= h || x >= w) return this.dual ? -Infinity : Infinity;
    return sign * values[this.dual ? w * h - 1 - (y * w + x) : y * w + x];
  }

  /**
   * A ring square (V only) owns the cells between image corners that it is the first coface of;
   * it is the outside, already paired (with the cells beyond the image), so not free.
   */
  private pairRingSquare(i: number): void {
    const { stride: W, cornerOffset, squareAcross } = this;
    const rows = this.padded / W;
    // Every ring square is −∞, every image square later: a square j comes after ring square i when
    // it is in the ring at a larger index, or in the image (linked by now, unlike the ring).
    const { squareLink } = this;
    const later = (j: number) => j > i || squareLink[j] !== SQUARE_TAKEN;
    // Corner c (the up-right corner of square c) lies between image corners unless it is on the
    // padded grid's outer boundary: its square in the last row or column, or outside the grid (a
    // corner left of the first column wraps to the last one).
    const inside = (c: number) => c >= 0 && c < (rows - 1) * W && c % W !== W - 1;
    let owned = 0;
    let insideCorners = 0;
    for (let k = 0; k < 4; k++) {
      const c = i + cornerOffset[k];
      if (!inside(c)) continue;
      insideCorners |= 1 << k;
      // The four squares around corner c are c, c + 1, c + W, c + W + 1; all but i must come later.
      if ((c === i || later(c)) && (c + 1 === i || later(c + 1)) && (c + W === i || later(c + W)))
        if (c + W + 1 === i || later(c + W + 1)) owned |= 1 << k;
    }
    // Edge e joins corners EDGE_ENDS[e]: owned when both are inside and the square across comes later.
    let edges = 0;
    for (let e = 0; e < 4; e++) {
      const ends = EDGE_ENDS[e];
      if ((insideCorners >> ends[0]) & (insideCorners >> ends[1]) & 1 && later(i + squareAcross[e])) edges |= 1 << e;
    }
    this.apply(i, matchSquare(owned, edges, false), -Infinity);
  }

  /**
   * Writes one square's outcome: corner links, its own link, its critical cells. One site per kind
   * of cell pushes it, so that the compiled loop has seen each site early (a site first reached
   * after compilation, as on smooth images, costs a deoptimization).
   */
  private apply(i: number, outcome: number, value: number): void {
    const { cornerParent, cornerOffset, edgeOffset } = this;
    for (let k = 0, states = outcome & 0xff; states !== 0; k++, states >>= 2) {
      const state = states & 3;
      if (state === NOT_OWNED) continue;
      const c = i + cornerOffset[k];
      if (state === CRITICAL) {
        cornerParent[c] = -1; // a root; numbered once all are known
        this.corners.push(4 * c + k, value); // corner k of square i
      } else cornerParent[c] = i + cornerOffset[state === LINKED ? PREVIOUS_CORNER[k] : NEXT_CORNER[k]];
    }
    const square = (outcome >> 8) & 7;
    if (square !== SQUARE_TAKEN) this.squareLink[i] = square;
    if (square === SQUARE_CRITICAL) this.squares.push(i, value);
    // Edge e of square i has the code 4 · (i + edgeOffset[e]) + EDGE_TAG[e] (see edgeSquare).
    for (let e = 0, edges = outcome >> 11; edges !== 0; e++, edges >>= 1)
      if (edges & 1) this.edges.push(4 * (i + edgeOffset[e]) + EDGE_TAG[e], value);
  }

  /**
   * Numbers critical corners or squares by birth — the ring's (from `ring` on, all −∞) first as
   * found, then the image's by (value, square), the sort being stable — writing the square that
   * brought each in and its value into `cells.bornAt` and `cells.bornValue` by number, and for
   * corners, −1 − number into `cornerParent` at each.
   */
  private number(cells: CriticalCells, ring: number, corners: boolean): void {
    const n = cells.length;
    const first = n - ring; // how many come from the ring
    const order = this.sorter.sort(cells.value, ring);
    cells.reserveNumbers(n);
    if (this.forest.length < n + 1) this.forest = new Int32Array(n + 1);
    const { code, value, bornAt, bornValue } = cells;
    const { cornerOffset, cornerParent } = this;
    for (let r = 0; r < n; r++) {
      const k = r < first ? ring + r : order[r - first];
      if (corners) {
        // A corner's code is 4 · corner + its place around the square that brought it in.
        const corner = code[k] >> 2;
        cornerParent[corner] = -1 - r;
        bornAt[r] = corner - cornerOffset[code[k] & 3];
      } else bornAt[r] = code[k];
      bornValue[r] = value[k];
    }
  }

  /**
   * The edges' filtration order — the ring's first, then the image's by (value, square) — and each
   * edge's ends as numbers, found in the order the edges were found (near reads) and written at
   * their places.
   */
  private sortEdges(): void {
    const { edges, imageEdges } = this;
    this.edgeOrder = this.sorter.sort(edges.value, imageEdges);
    const { ranks, wordsA, wordsB } = this.sorter.spare(edges.length);
    [this.edgeRanks, this.endA, this.endB] = [ranks, wordsA, wordsB];
    this.numberEnds(this.cornerParent, false);
  }

  /**
   * endA, endB ← at each edge's place, the numbers of the roots of its two ends in `parent` (a
   * corner forest) or, with `sides`, of the two squares it separates (a square forest; only for
   * the edges still kept, endA ≥ 0), going through the edges in the order found.
   */
  private numberEnds(parent: Int32Array, sides: boolean): void {
    const { edges, edgeRanks, imageEdges, ringEdges, endA, endB, stride: W } = this;
    // From an edge's first corner to its first end, then to its second, horizontal or vertical.
    const [startH, startV, stepH, stepV] = sides ? [1, W, W, 1] : [0, 0, 1, W];
    for (let e = 0; e < edges.length; e++) {
      const r = e < imageEdges ? ringEdges + edgeRanks[e] : e - imageEdges;
      if (sides && endA[r] < 0) continue;
      const code = edges.code[e];
      const vertical = code & 2;
      const a = (code >> 2) + (vertical ? startV : startH);
      endA[r] = -1 - parent[findCodedRoot(parent, a)];
      endB[r] = -1 - parent[findCodedRoot(parent, a + (vertical ? stepV : stepH))];
    }
  }

  /**
   * The squares' forest, in `cornerParent` (no longer read): each linked square points at its
   * neighbour, the ring at the outside, and each critical square, and the outside (born after
   * every square), holds −1 − its number.
   */
  private squareForest(): Int32Array {
    const { cornerParent: parent, squareLink, linkStep, squares, stride: W, height: h, width: w } = this;
    for (let y = 1; y <= h; y++)
      for (let i = y * W + 1, end = i + w; i < end; i++) parent[i] = i + linkStep[squareLink[i]];
    for (const i of this.ringSquares) parent[i] = OUTSIDE;
    for (let r = 0; r < squares.length; r++) parent[squares.bornAt[r]] = -1 - r;
    parent[OUTSIDE] = -1 - squares.length;
    return parent;
  }

  /**
   * The square that brought an edge in, from its code 4 · first corner + 2 · vertical + side: of
   * the two squares it separates (above and below a horizontal edge, left and right of a vertical
   * one), the second when side is 1.
   */
  private edgeSquare(code: number): number {
    const first = (code >> 2) + (code & 2 ? this.stride : 1);
    return code & 1 ? first + (code & 2 ? 1 : this.stride) : first;
  }

  /**
   * Kruskal over the sorted edges on the numbers of the corners' roots. Pushes the component pairs
   * into `out` (T: H0, V: its H1, ends swapped; none for the ring's own edges) and marks the edges
   * that join two components (endA −1); the others close a loop.
   */
  private primal(sign: number, out: DiagramBuilder | null, keepZeroLength: boolean): void {
    const { edges, endA, endB, forest, edgeOrder, ringEdges } = this;
    const { bornAt, bornValue } = this.corners;
    for (let r = 0; r < this.corners.length; r++) forest[r] = r;
    for (let r = 0; r < edges.length; r++) {
      const a = find(forest, endA[r]);
      const b = find(forest, endB[r]);
      if (a === b) continue;
      endA[r] = -1;
      // Elder rule: the component born later (the larger number) dies.
      const young = a > b ? a : b;
      forest[young] = a > b ? b : a;
      if (out !== null && r >= ringEdges) {
        const e = edgeOrder[r - ringEdges];
        const square = this.edgeSquare(edges.code[e]);
        this.report(out, bornAt[young], sign * bornValue[young], square, sign * edges.value[e], keepZeroLength);
      }
    }
  }

  /**
   * The loops' pass: the kept edges in reverse order join the regions on their two sides (numbered
   * roots in `squareParent`); the older region (the outside, else the later square: the larger
   * number) survives. Pushes into `out` T's H1 pairs, or V's H0 pairs, ends swapped (an edge of the
   * ring closing the last region: V's essential class).
   */
  private dualPass(sign: number, squareParent: Int32Array, out: DiagramBuilder, keepZeroLength: boolean): void {
    const { edges, endA, endB, forest, edgeOrder, ringEdges } = this;
    const { bornAt, bornValue } = this.squares;
    this.numberEnds(squareParent, true);
    for (let r = 0; r <= this.squares.length; r++) forest[r] = r;
    for (let r = edges.length - 1; r >= 0; r--) {
      if (endA[r] < 0) continue; // joined two components
      const a = find(forest, endA[r]);
      const b = find(forest, endB[r]);
      if (a === b) continue; // never in a box: every loop of a plane region is filled
      const young = a < b ? a : b;
      forest[young] = a < b ? b : a;
      if (r < ringEdges) {
        // An edge of the ring closing the last region: V's component that never dies.
        const square = this.element(bornAt[young]);
        out.push(sign * bornValue[young], Infinity, square, -1);
      } else {
        const e = edgeOrder[r - ringEdges];
        const square = this.edgeSquare(edges.code[e]);
        this.report(out, square, sign * edges.value[e], bornAt[young], sign * bornValue[young], keepZeroLength);
      }
    }
  }

  /** Pushes the pair of squares (T order: born, dies) with their values, ends swapped for V. */
  private report(
    out: DiagramBuilder,
    bornSquare: number,
    born: number,
    diesSquare: number,
    dies: number,
    keepZeroLength: boolean,
  ): void {
    let b = this.element(bornSquare);
    let d = this.element(diesSquare);
    if (this.dual) {
      [b, d] = [d, b];
      [born, dies] = [dies, born];
    }
    // As keepPair: never two cells of one element; equal values of two elements on request.
    if (born !== dies || (keepZeroLength && b !== d)) out.push(born, dies, b, d);
  }
}

/**
 * Critical cells of one kind, as growable arrays: a code and the value it entered at; once
 * numbered by birth, per number the square that brought the cell in and its value.
 */
class CriticalCells {
  code = new Int32Array(1024);
  value: Float32Array | Float64Array = new Float64Array(1024);
  length = 0;
  bornAt = new Int32Array(0);
  bornValue: Float32Array | Float64Array = new Float64Array(0);

  /** Room for the numbers of n cells (and one more, the outside for squares), values as `value`. */
  reserveNumbers(n: number): void {
    if (this.bornAt.length <= n) this.bornAt = new Int32Array(n + 1);
    if (this.bornValue.length <= n || this.bornValue.constructor !== this.value.constructor)
      this.bornValue = sameKind(this.value, this.bornAt.length);
  }

  /** Forgets the cells, keeping the memory; values take the type of `like`. */
  reset(like: Float32Array | Float64Array): void {
    this.length = 0;
    if (like.constructor !== this.value.constructor) this.value = sameKind(like, this.code.length);
  }

  push(code: number, value: number): void {
    const k = this.length++;
    if (k === this.code.length) {
      // Half as much again: the lists are long (a third of the pixels for noise), growth is rare.
      const length = k + (k >> 1);
      this.code = grown(this.code, length);
      this.value = grown(this.value, length);
    }
    this.code[k] = code;
    this.value[k] = value;
  }
}

/**
 * The neighbours of a pixel of value v that enter after it — a larger value, or an equal one at a
 * larger index (right, up and the up diagonals) — as the bits of the square-matching table's index.
 */
function laterNeighbours(
  v: number,
  left: number,
  right: number,
  down: number,
  up: number,
  downLeft: number,
  downRight: number,
  upLeft: number,
  upRight: number,
): number {
  return (
    (left > v ? LEFT : 0) |
    (right >= v ? RIGHT : 0) |
    (down > v ? DOWN : 0) |
    (up >= v ? UP : 0) |
    (downLeft > v ? DOWN_LEFT : 0) |
    (downRight > v ? DOWN_RIGHT : 0) |
    (upLeft >= v ? UP_LEFT : 0) |
    (upRight >= v ? UP_RIGHT : 0)
  );
}

/** A zeroed array of `length` values of the same type as `like`. */
function sameKind(like: Float32Array | Float64Array, length: number): Float32Array | Float64Array {
  return like instanceof Float32Array ? new Float32Array(length) : new Float64Array(length);
}

/** The ends of each edge of a square, as corner numbers (see square-matching.ts). */
const EDGE_ENDS = [
  [0, 1],
  [1, 3],
  [2, 3],
  [0, 2],
] as const;

/**
 * The low bits of the code of edge e of its square: 2 when vertical, plus 1 when the square is the
 * second of the two it separates (down: horizontal, the square above it; right: vertical, the
 * left one; up: horizontal, the lower one; left: vertical, the right one).
 */
const EDGE_TAG = Uint8Array.of(1, 2, 0, 3);

/** The dual pass's outside: square 0, a ring square, whose whole ring points at it. */
const OUTSIDE = 0;
