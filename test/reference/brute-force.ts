import { DiagramBuilder, PersistenceDiagram } from '../../src/persistence/diagram';

/**
 * Reference persistence of a cubical complex, written to be obviously right rather than fast:
 * build every cell of the complex on the doubled ("Khalimsky") grid, sort the cells into the
 * library's documented total order, and reduce the full Z/2 boundary matrix with the textbook
 * column algorithm (no clearing, no twist, no apparent pairs). Independent of the engine; meant for
 * inputs up to ~8×8 and 4×4×4 in tests, and for checking fixtures up to 64×64 against GUDHI.
 *
 * The total order (the library's tie-breaking rule):
 * - input elements are ranked by (value, flat row-major index), or (−value, flat index) for a
 *   superlevel filtration;
 * - a cell's *owner* is the input element that brings it in: T (elements are top cells), its
 *   minimum-rank top coface; V (elements are vertices), its maximum-rank vertex;
 * - cells are ordered by (owner rank, cell dimension, cell index in the doubled grid, row-major).
 *
 * A pair reports the values and flat input indices of the owners of its two cells. Pairs whose
 * cells share an owner are artefacts of the cell complex (one element bringing in several
 * cells that cancel at once); they are never reported. Since the filtration by owner rank alone
 * determines the pairs between distinct owners, the within-owner order (dimension, cell index)
 * cannot change the output: the reported pairs are canonical.
 */
export interface BruteForceOptions {
  construction?: 'T' | 'V';
  superlevel?: boolean;
  /** Dimensions to report, in any order; output is in increasing order. Default: 0..rank−1. */
  dims?: readonly number[];
  /** Keep pairs of distinct owners with equal values. Default false. */
  keepZeroLength?: boolean;
  /**
   * Per axis, whether it wraps around: 2n positions on the doubled grid, position 2n being 0.
   * Default dims then include the top dimension when every axis wraps (a torus).
   */
  periodic?: readonly boolean[];
}

export function bruteForcePersistence(
  values: ArrayLike<number>,
  shape: readonly number[],
  options: BruteForceOptions = {},
): PersistenceDiagram[] {
  const { construction = 'T', superlevel = false, keepZeroLength = false } = options;
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length || size === 0) throw new Error('brute force: values do not match shape');
  const periodic = options.periodic ?? shape.map(() => false);
  const torus = periodic.every(Boolean);
  const dims = [...(options.dims ?? Array.from({ length: shape.length + (torus ? 1 : 0) }, (_, d) => d))].sort(
    (a, b) => a - b,
  );

  const elementRank = rankElements(values, superlevel);
  const t = construction === 'T';

  // The doubled grid: T has 2n+1 positions per axis (elements at odd ones), V has 2n−1 (even ones).
  // A periodic axis has 2n (either construction).
  const gridShape = shape.map((n, axis) => (periodic[axis] ? 2 * n : t ? 2 * n + 1 : 2 * n - 1));
  const gridStrides = rowMajorStrides(gridShape);
  const inputStrides = rowMajorStrides(shape);
  const numCells = gridShape.reduce((a, b) => a * b, 1);

  const cellDim = new Int32Array(numCells);
  const owner = new Int32Array(numCells); // flat input index of the owner
  for (let c = 0; c < numCells; c++) {
    const coords = unflatten(c, gridStrides);
    cellDim[c] = coords.filter((x) => x % 2 === 1).length;
    // Per axis, the input coordinates of the elements this cell touches.
    const choices = coords.map((x, axis) => {
      const n = shape[axis];
      const wrap = (i: number) => (periodic[axis] ? (i + n) % n : i);
      if (t) return x % 2 === 1 ? [(x - 1) / 2] : [x / 2 - 1, x / 2].map(wrap).filter((i) => i >= 0 && i < n);
      return x % 2 === 0 ? [x / 2] : [(x - 1) / 2, wrap((x + 1) / 2)];
    });
    let best = -1;
    for (const element of cartesian(choices)) {
      const i = element.reduce((sum, x, axis) => sum + x * inputStrides[axis], 0);
      // T: the first top coface to enter brings the cell in; V: the last vertex to enter does.
      if (best === -1 || (t ? elementRank[i] < elementRank[best] : elementRank[i] > elementRank[best])) best = i;
    }
    owner[c] = best;
  }

  // Filtration order of the cells, and each cell's position in it.
  const order = Array.from({ length: numCells }, (_, c) => c).sort(
    (a, b) => elementRank[owner[a]] - elementRank[owner[b]] || cellDim[a] - cellDim[b] || a - b,
  );
  const position = new Int32Array(numCells);
  order.forEach((c, p) => (position[c] = p));

  // Column reduction: reduced[j] is column j as a sorted list of positions, pivotOf[i] the
  // column whose lowest entry is i (-1 if none).
  const pivotOf = new Int32Array(numCells).fill(-1);
  const reduced: Int32Array[] = new Array(numCells);
  for (let j = 0; j < numCells; j++) {
    let col = cancelPairs(Int32Array.from(boundary(order[j], gridShape, gridStrides), (c) => position[c]).sort());
    while (col.length > 0 && pivotOf[col[col.length - 1]] !== -1) {
      col = symmetricDifference(col, reduced[pivotOf[col[col.length - 1]]]);
    }
    reduced[j] = col;
    if (col.length > 0) pivotOf[col[col.length - 1]] = j;
  }

  const builders = new Map(dims.map((d) => [d, new DiagramBuilder(d)]));
  for (let i = 0; i < numCells; i++) {
    if (reduced[i].length > 0) continue; // a negative cell: reported with its partner
    const birthCell = owner[order[i]];
    const out = builders.get(cellDim[order[i]]);
    if (!out) continue;
    const j = pivotOf[i];
    if (j === -1) {
      out.push(values[birthCell], Infinity, birthCell, -1); // essential class
      continue;
    }
    const deathCell = owner[order[j]];
    if (deathCell === birthCell) continue; // born and killed by the same element
    const birth = values[birthCell];
    const death = values[deathCell];
    if (keepZeroLength || birth !== death) out.push(birth, death, birthCell, deathCell);
  }
  return dims.map((d) => builders.get(d)!.build());
}

/** rank[i] = position of element i in the order (value, index), or (−value, index) if superlevel. */
export function rankElements(values: ArrayLike<number>, superlevel: boolean): Int32Array {
  const s = superlevel ? -1 : 1;
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => {
    const va = s * values[a];
    const vb = s * values[b];
    return va < vb ? -1 : va > vb ? 1 : a - b; // −0 and +0 compare equal: the index decides
  });
  const rank = new Int32Array(values.length);
  order.forEach((i, r) => (rank[i] = r));
  return rank;
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = s;
    s *= shape[axis];
  }
  return strides;
}

function unflatten(index: number, strides: readonly number[]): number[] {
  return strides.map((s) => {
    const x = Math.floor(index / s);
    index -= x * s;
    return x;
  });
}

function* cartesian(choices: number[][], prefix: number[] = []): Generator<number[]> {
  if (prefix.length === choices.length) {
    yield prefix;
    return;
  }
  for (const x of choices[prefix.length]) yield* cartesian(choices, [...prefix, x]);
}

/**
 * Facets of a cell: step ±1 along each of its odd (open) axes, wrapping around (only a periodic
 * axis can step past its end, as 2n positions have an odd last one). They may repeat (a periodic
 * axis of one element): the caller cancels pairs.
 */
function boundary(cell: number, gridShape: readonly number[], strides: readonly number[]): number[] {
  const coords = unflatten(cell, strides);
  const facets: number[] = [];
  coords.forEach((x, axis) => {
    if (x % 2 === 0) return;
    const m = gridShape[axis];
    for (const y of [x - 1, x + 1]) facets.push(cell + (((y + m) % m) - x) * strides[axis]);
  });
  return facets;
}

/** Keeps one copy of each value of odd multiplicity in a sorted array (a sum over Z/2). */
function cancelPairs(sorted: Int32Array): Int32Array {
  const kept: number[] = [];
  for (const x of sorted) {
    if (kept.length > 0 && kept[kept.length - 1] === x) kept.pop();
    else kept.push(x);
  }
  return Int32Array.from(kept);
}

/** Sum over Z/2 of two sorted columns. */
function symmetricDifference(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0,
    j = 0,
    k = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) out[k++] = a[i++];
    else if (a[i] > b[j]) out[k++] = b[j++];
    else {
      i++;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out.slice(0, k);
}
