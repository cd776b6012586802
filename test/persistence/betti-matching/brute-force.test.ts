import { BettiMatching } from '../../../src/persistence/betti-matching/betti-matching';
import { BettiMatchingPairs } from '../../../src/persistence/betti-matching/result';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// An independent brute force for tiny images and volumes with heavy ties, written from the
// definitions with no engine code: the V cubical complex and its full boundary matrices, plain
// Z/2 reductions, image barcodes from the rank function of the image module, and the
// Bauer–Lesnick induced matchings.
//
// Cells of one dimension are ordered by (value, name), the engine's documented order (a cell is
// named by its first vertex and, for edges and the squares of a volume, its axis: name = r·v + a
// for an edge, v for a 2-D square or a cube, 3v + normal for a square of a volume). Refined this
// way (by (value, dimension, name)), every filtration is a total order, the inclusions
// P_t ⊆ C_t ⊇ L_t (C = min(P, L)) hold for each refined time, and each bar has its own birth and
// death: the Bauer–Lesnick matching of the surjection H(P_t) → im and of the injection im → H(C_t)
// then pairs bars with the same birth, resp. the same death.
//
// Two rules are checked:
// - `strict: true`: the Bauer–Lesnick matchings through the image barcode computed from its
//   definition (the rank function of t ↦ im(H(P_t) → H(C_t))), image bars of zero length in
//   values dropped;
// - the default (the reference code's rule): through every pivot pair of the image reduction —
//   C's boundary matrix with its rows in P's order (Bauer & Schmahl) — including the pairs whose
//   birth comes after their death (no interval); the brute force checks that the others are
//   exactly the image barcode of the definition.
// Both leave out essential classes and bars of length zero in values. Compared: the multisets
// of matched (birth, death, birth, death) elements and of unmatched bars of each input.

/** The V cubical complex of a shape: per dimension its cells (name, vertices) and their faces. */
interface Complex {
  cells: { name: number; vertices: number[] }[][];
  /** faces[k][i]: indices (into cells[k − 1]) of the faces of cells[k][i]. */
  faces: number[][][];
}

function complexOf(shape: number[]): Complex {
  const r = shape.length;
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((x, y) => x * y, 1));
  const size = shape.reduce((x, y) => x * y, 1);
  const coord = (v: number, a: number) => Math.floor(v / strides[a]) % shape[a];
  const cells: { name: number; vertices: number[] }[][] = Array.from({ length: r + 1 }, () => []);
  for (let v = 0; v < size; v++)
    for (let mask = 0; mask < 1 << r; mask++) {
      const span = [...Array(r).keys()].filter((a) => mask & (1 << a));
      if (span.some((a) => coord(v, a) === shape[a] - 1)) continue;
      const vertices = [v];
      for (const a of span) for (const u of [...vertices]) vertices.push(u + strides[a]);
      vertices.sort((x, y) => x - y);
      const k = span.length;
      let name = v;
      if (k === 1) name = r * v + span[0];
      if (k === 2 && r === 3) name = 3 * v + [0, 1, 2].find((a) => !span.includes(a))!;
      cells[k].push({ name, vertices });
    }
  const faces: number[][][] = [[]];
  for (let k = 1; k <= r; k++) {
    const index = new Map(cells[k - 1].map((c, i) => [c.vertices.join(','), i]));
    faces.push(
      cells[k].map(({ vertices }) => {
        // The faces of a cube: its vertices with one spanned coordinate fixed at either end.
        const out: number[] = [];
        const [first, last] = [vertices[0], vertices[vertices.length - 1]];
        for (let a = 0; a < r; a++) {
          if (coord(first, a) === coord(last, a)) continue;
          for (const end of [coord(first, a), coord(last, a)]) {
            const face = vertices.filter((u) => coord(u, a) === end);
            out.push(index.get(face.join(','))!);
          }
        }
        return out;
      }),
    );
  }
  return { cells, faces };
}

/** A function on the complex: per dimension, each cell's value (the max of its vertices). */
function cellValues(cx: Complex, f: ArrayLike<number>): number[][] {
  return cx.cells.map((list) => list.map((c) => Math.max(...c.vertices.map((u) => f[u]))));
}

/** Per dimension, each cell's rank in the order (value, name). */
function cellRanks(cx: Complex, values: number[][]): number[][] {
  return cx.cells.map((list, k) => {
    const idx = list.map((_, i) => i).sort((i, j) => values[k][i] - values[k][j] || list[i].name - list[j].name);
    const rank = new Array<number>(list.length);
    idx.forEach((i, r) => (rank[i] = r));
    return rank;
  });
}

/** A Z/2 vector as a set of indices. */
const xor = (a: Set<number>, b: Set<number>) => {
  const out = new Set(a);
  for (const x of b)
    if (out.has(x)) out.delete(x);
    else out.add(x);
  return out;
};

/**
 * The pivot pairs of the boundary matrix of dimension k + 1, columns in the order `colRank`,
 * rows in the order `rowRank`, pivot = the last row: the plain left-to-right reduction.
 * Returns (row, column) index pairs.
 */
function pivotPairs(cx: Complex, k: number, colRank: number[], rowRank: number[]): [number, number][] {
  const cols = cx.faces[k + 1].map((_, j) => j).sort((a, b) => colRank[a] - colRank[b]);
  const owner = new Map<number, Set<number>>();
  const out: [number, number][] = [];
  for (const j of cols) {
    let col = new Set(cx.faces[k + 1][j]);
    while (col.size > 0) {
      const low = [...col].reduce((a, b) => (rowRank[a] > rowRank[b] ? a : b));
      const other = owner.get(low);
      if (!other) {
        owner.set(low, col);
        out.push([low, j]);
        break;
      }
      col = xor(col, other);
    }
  }
  return out;
}

/** Rank over Z/2 of a list of vectors (sets of indices), by elimination on the largest index. */
class Echelon {
  private readonly basis = new Map<number, Set<number>>();
  get rank(): number {
    return this.basis.size;
  }
  /** Adds v (reduced against the basis; kept when it does not vanish). */
  add(v: Set<number>): void {
    while (v.size > 0) {
      const p = Math.max(...v);
      const b = this.basis.get(p);
      if (!b) {
        this.basis.set(p, v);
        return;
      }
      v = xor(v, b);
    }
  }
  clone(): Echelon {
    const e = new Echelon();
    for (const [p, v] of this.basis) e.basis.set(p, v);
    return e;
  }
}

/**
 * The finite bars of the image module t ↦ im(H_k(P_t) → H_k(C_t)) from its rank function
 * r(s, t) = dim (Z_k(P_s) + B_k(C_t)) / B_k(C_t), on the refined times: the entries of P's
 * k-cells and of C's (k+1)-cells (nothing else changes the module), ordered by (value, dim,
 * name). Returns (birth k-cell, death (k+1)-cell) index pairs.
 */
function imageBarsByDefinition(cx: Complex, k: number, vp: number[][], vc: number[][]): [number, number][] {
  type Event = { value: number; dim: number; name: number; cell: number };
  const events: Event[] = [
    ...cx.cells[k].map((c, i) => ({ value: vp[k][i], dim: k, name: c.name, cell: i })),
    ...cx.cells[k + 1].map((c, i) => ({ value: vc[k + 1][i], dim: k + 1, name: c.name, cell: i })),
  ].sort((a, b) => a.value - b.value || a.dim - b.dim || a.name - b.name);
  const n = events.length;
  // Z_k(P_s): a cycle appears when a k-cell's boundary depends on the earlier ones (k = 0: always).
  const cyclesAt: Set<number>[][] = events.map(() => []);
  const boundaries = new Map<number, { chain: Set<number>; combo: Set<number> }>();
  events.forEach((e, s) => {
    if (e.dim !== k) return;
    let chain = new Set(k === 0 ? [] : cx.faces[k][e.cell]);
    let combo = new Set([e.cell]);
    while (chain.size > 0) {
      const p = Math.max(...chain);
      const b = boundaries.get(p);
      if (!b) {
        boundaries.set(p, { chain, combo });
        return;
      }
      chain = xor(chain, b.chain);
      combo = xor(combo, b.combo);
    }
    cyclesAt[s].push(combo);
  });
  const boundaryAt = events.map((e) => (e.dim === k + 1 ? new Set(cx.faces[k + 1][e.cell]) : null));
  const rankB: number[] = [];
  const b = new Echelon();
  for (let t = 0; t < n; t++) {
    if (boundaryAt[t]) b.add(boundaryAt[t]!);
    rankB.push(b.rank);
  }
  // r[s + 1][t] for −1 ≤ s ≤ t < n (r[0][·] = 0).
  const r: number[][] = [new Array(n).fill(0)];
  const z = new Echelon();
  for (let s = 0; s < n; s++) {
    for (const c of cyclesAt[s]) z.add(c);
    const zb = z.clone();
    for (let t = 0; t < s; t++) if (boundaryAt[t]) zb.add(boundaryAt[t]!);
    const row = new Array(n).fill(0);
    for (let t = s; t < n; t++) {
      if (boundaryAt[t]) zb.add(boundaryAt[t]!);
      row[t] = zb.rank - rankB[t];
    }
    r.push(row);
  }
  const rank = (s: number, t: number) => (s < 0 ? 0 : r[s + 1][t]);
  const out: [number, number][] = [];
  for (let bi = 0; bi < n; bi++)
    for (let d = bi + 1; d < n; d++) {
      const mu = rank(bi, d - 1) - rank(bi - 1, d - 1) - rank(bi, d) + rank(bi - 1, d);
      if (mu === 0) continue;
      // A bar of a persistence module of this kind is born at a k-cell of P, dies at a (k+1)-cell of C.
      if (mu !== 1 || events[bi].dim !== k || events[d].dim !== k + 1) throw new Error('not a barcode');
      out.push([events[bi].cell, events[d].cell]);
    }
  return out;
}

type Quad = [number, number, number, number];

/** The Betti matching of the brute force, as critical elements: per dimension. */
function bruteForceMatching(shape: number[], p: Float64Array, l: Float64Array, superlevel: boolean, strict: boolean) {
  const cx = complexOf(shape);
  const sign = superlevel ? -1 : 1;
  const fp = Array.from(p, (x) => sign * x);
  const fl = Array.from(l, (x) => sign * x);
  const fc = fp.map((x, i) => Math.min(x, fl[i]));
  const [vp, vl, vc] = [fp, fl, fc].map((f) => cellValues(cx, f));
  const [rp, rl, rc] = [vp, vl, vc].map((v) => cellRanks(cx, v));
  // The element a cell's value comes from: its last vertex of the largest value.
  const critical = (f: number[], k: number, i: number) =>
    cx.cells[k][i].vertices.reduce((best, u) => (f[u] >= f[best] ? u : best));
  const out: { matched: Quad[]; unmatchedPred: [number, number][]; unmatchedTarget: [number, number][] }[] = [];
  for (let k = 0; k < shape.length; k++) {
    // Own barcodes (bars of positive length), as birth cell → death cell.
    const bars = (v: number[][], rank: number[][]) =>
      new Map(pivotPairs(cx, k, rank[k + 1], rank[k]).filter(([i, j]) => v[k][i] !== v[k + 1][j]));
    const barsP = bars(vp, rp);
    const barsL = bars(vl, rl);
    const barsC = bars(vc, rc);
    // Image bars, as C's death cell → the input's birth cell.
    const image = (v: number[][], rank: number[][]) => {
      const pivots = pivotPairs(cx, k, rc[k + 1], rank[k]);
      const definition = imageBarsByDefinition(cx, k, v, vc);
      // The pivot pairs whose birth (refined) precedes their death are the image barcode.
      const before = (i: number, j: number) => v[k][i] < vc[k + 1][j] || v[k][i] === vc[k + 1][j];
      expect(
        pivots
          .filter(([i, j]) => before(i, j))
          .map(String)
          .sort(),
      ).toEqual(definition.map(String).sort());
      const chosen = strict ? definition.filter(([i, j]) => v[k][i] < vc[k + 1][j]) : pivots;
      return new Map(chosen.map(([i, j]) => [j, i]));
    };
    const imageP = image(vp, rp);
    const imageL = image(vl, rl);
    const matched: Quad[] = [];
    const usedP = new Set<number>();
    const usedL = new Set<number>();
    for (const j of barsC.values()) {
      const bp = imageP.get(j);
      const bl = imageL.get(j);
      if (bp === undefined || bl === undefined || !barsP.has(bp) || !barsL.has(bl)) continue;
      usedP.add(bp);
      usedL.add(bl);
      matched.push([
        critical(fp, k, bp),
        critical(fp, k + 1, barsP.get(bp)!),
        critical(fl, k, bl),
        critical(fl, k + 1, barsL.get(bl)!),
      ]);
    }
    const unmatched = (f: number[], barsX: Map<number, number>, used: Set<number>) =>
      [...barsX]
        .filter(([i]) => !used.has(i))
        .map(([i, j]) => [critical(f, k, i), critical(f, k + 1, j)] as [number, number]);
    out.push({ matched, unmatchedPred: unmatched(fp, barsP, usedP), unmatchedTarget: unmatched(fl, barsL, usedL) });
  }
  return out;
}

const key = (rows: ArrayLike<number>[]) => rows.map((r) => Array.from(r).join(' ')).sort();

function engineMatching(pairs: BettiMatchingPairs[]) {
  return pairs.map(({ matched: m, unmatchedPred: up, unmatchedTarget: ut }) => ({
    matched: key(
      Array.from(m.predBirth, (_, i) => [m.predBirth[i], m.predDeath[i], m.targetBirth[i], m.targetDeath[i]]),
    ),
    unmatchedPred: key(Array.from(up.birth, (b, i) => [b, up.death[i]])),
    unmatchedTarget: key(Array.from(ut.birth, (b, i) => [b, ut.death[i]])),
  }));
}

function bruteForceKeys(shape: number[], p: Float64Array, l: Float64Array, superlevel: boolean, strict: boolean) {
  return bruteForceMatching(shape, p, l, superlevel, strict).map((d) => ({
    matched: key(d.matched),
    unmatchedPred: key(d.unmatchedPred),
    unmatchedTarget: key(d.unmatchedTarget),
  }));
}

/** Random inputs: few levels (heavy ties) or continuous values. */
function draw(random: () => number, size: number, levels: number): Float64Array {
  return Float64Array.from({ length: size }, () => (levels > 0 ? randomInt(random, levels) / levels : random()));
}

const cases: { shape: number[]; count: number }[] = [
  { shape: [3, 3], count: 40 },
  { shape: [4, 5], count: 40 },
  { shape: [5, 5], count: 30 },
  { shape: [1, 6], count: 10 },
  { shape: [5, 1], count: 5 },
  { shape: [1, 1], count: 2 },
  { shape: [2, 2, 2], count: 30 },
  { shape: [2, 3, 3], count: 25 },
  { shape: [3, 3, 3], count: 12 },
  { shape: [1, 3, 4], count: 10 },
  { shape: [2, 1, 3], count: 8 },
  { shape: [1, 1, 1], count: 2 },
];

describe.each(cases)('shape $shape', ({ shape, count }) => {
  const size = shape.reduce((a, b) => a * b, 1);
  for (const strict of [false, true])
    for (const superlevel of [false, true])
      test(`${strict ? 'strict (Bauer–Lesnick)' : 'reference rule'}, ${superlevel ? 'superlevel' : 'sublevel'}`, () => {
        const random = mulberry32(size * 97 + (strict ? 7 : 0) + (superlevel ? 3 : 0));
        const engine = new BettiMatching(shape, { superlevel, strict });
        for (let trial = 0; trial < count; trial++) {
          const levels = [2, 3, 4, 0][trial % 4];
          const p = draw(random, size, levels);
          const l = draw(random, size, levels);
          expect(engineMatching(engine.match(p, l))).toEqual(bruteForceKeys(shape, p, l, superlevel, strict));
        }
      });
});

// Inputs (found by a search) where a match of H1 goes through an image bar of zero length in values
// (birth value in P = death value in C): `strict` must drop it, in the duality sweep of an image
// and in the reduction of a volume.
const zeroLengthImageBars = [
  {
    shape: [5, 5],
    p: [0, 0, 2, 2, 0, 2, 1, 1, 1, 3, 2, 1, 3, 0, 1, 2, 1, 2, 3, 0, 2, 3, 1, 1, 1],
    l: [0, 1, 2, 1, 2, 0, 3, 3, 3, 0, 3, 0, 1, 0, 3, 3, 1, 3, 1, 0, 1, 0, 1, 2, 1],
  },
  {
    shape: [3, 3, 2],
    p: [2, 2, 0, 2, 3, 2, 1, 3, 3, 3, 1, 1, 2, 2, 1, 3, 1, 2],
    l: [1, 2, 1, 2, 0, 0, 3, 1, 2, 3, 0, 2, 0, 0, 1, 0, 1, 3],
  },
  {
    shape: [2, 3, 3],
    p: [2, 2, 2, 1, 0, 3, 2, 2, 2, 2, 0, 0, 2, 3, 1, 3, 2, 1],
    l: [1, 2, 3, 2, 1, 2, 3, 0, 0, 3, 2, 0, 3, 0, 0, 0, 3, 1],
  },
];

test.each(zeroLengthImageBars)('a zero-length image bar decides a match of H1, shape $shape', ({ shape, p, l }) => {
  const [P, L] = [Float64Array.from(p), Float64Array.from(l)];
  const loose = engineMatching(new BettiMatching(shape).match(P, L));
  const strict = engineMatching(new BettiMatching(shape, { strict: true }).match(P, L));
  expect(loose).toEqual(bruteForceKeys(shape, P, L, false, false));
  expect(strict).toEqual(bruteForceKeys(shape, P, L, false, true));
  expect(strict[1].matched.length).toBeLessThan(loose[1].matched.length);
});

test('the two rules differ where the reference pairs through an empty image interval', () => {
  // P = [5, 7, 6, 8], L = [0, 1, 0.5, 9] on a path (C = [0, 1, 0.5, 8]): the reference pairs
  // P's H0 bar (6, 7) with L's (0.5, 1) through the image pair (6, 1) of H0(P) → H0(C), which is
  // no interval; the induced matchings leave both unmatched.
  const p = Float64Array.of(5, 7, 6, 8);
  const l = Float64Array.of(0, 1, 0.5, 9);
  const loose = new BettiMatching([1, 4]).match(p, l)[0];
  expect(Array.from(loose.matched.predBirth)).toEqual([2]);
  expect(Array.from(loose.matched.targetDeath)).toEqual([1]);
  const strict = new BettiMatching([1, 4], { strict: true }).match(p, l)[0];
  expect(strict.matched.predBirth.length).toBe(0);
  expect(key(Array.from(strict.unmatchedPred.birth, (b, i) => [b, strict.unmatchedPred.death[i]]))).toEqual(['2 1']);
  expect(bruteForceKeys([1, 4], p, l, false, true)[0].matched).toEqual([]);
  expect(bruteForceKeys([1, 4], p, l, false, false)[0].matched).toEqual(['2 1 2 1']);
});
