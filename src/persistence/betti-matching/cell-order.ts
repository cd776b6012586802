import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { VertexGrid } from './grid.js';

/** Which cells a CellOrder sorts. */
export type CellKind = 'edges' | 'facets';

/**
 * The filtration order of one kind of cells under one function: names sorted by (value, name).
 *
 * Derived from the order of the vertices, (value, index) by the toolkit's stable radix argsort,
 * instead of sorting the cells themselves (two or three times as many): a cell takes the value of
 * its critical vertex — its last vertex of the largest value — so the cells of value x are those
 * whose critical vertex is one of the run of vertices of value x. A vertex's candidate cells
 * (its incidences: the cells having it as a corner) are listed once, by increasing name relative
 * to it, so a vertex alone in its run emits its cells already sorted; a longer run (ties) sorts
 * what it gathers.
 */
export class CellOrder {
  /** After `compute`: the names, in filtration order. */
  readonly order: Uint32Array;
  /** After `compute`: values[i] is the value of the cell order[i]. */
  readonly values: Float64Array;
  readonly count: number;
  private readonly sorter: RadixArgsort;
  private readonly edges: boolean; // sorting edges (the unrolled case)
  private readonly factor: number; // name = factor · base + type
  private readonly offset: Int32Array; // per incidence: base = v − offset
  private readonly type: Int32Array; // per incidence: the cell's type (axis or normal)
  private readonly need: Uint8Array; // per incidence: the room bits v needs for the cell to exist
  private readonly othersStart: Int32Array; // incidence c: its other corners at others[othersStart[c] .. othersStart[c + 1])
  private readonly others: Int32Array; // other corners, as offsets from v
  private readonly later: Uint8Array; // per other corner: 1 when its index is above v's (ties then lose)

  constructor(
    private readonly grid: VertexGrid,
    kind: CellKind,
  ) {
    const volumeFacets = kind === 'facets' && grid.rank === 3;
    this.count = volumeFacets ? grid.facets.length : grid.edges.length;
    this.order = new Uint32Array(this.count);
    this.values = new Float64Array(this.count);
    this.sorter = new RadixArgsort(grid.size);
    this.edges = !volumeFacets;
    this.factor = volumeFacets ? 3 : grid.rank;
    const incidences = volumeFacets ? squareIncidences(grid) : edgeIncidences(grid);
    // By increasing name relative to v: factor · (−offset) + type.
    incidences.sort((a, b) => b.offset - a.offset || a.type - b.type);
    this.offset = Int32Array.from(incidences, (c) => c.offset);
    this.type = Int32Array.from(incidences, (c) => c.type);
    this.need = Uint8Array.from(incidences, (c) => c.need);
    this.othersStart = new Int32Array(incidences.length + 1);
    incidences.forEach((c, i) => (this.othersStart[i + 1] = this.othersStart[i] + c.others.length));
    this.others = Int32Array.from(incidences.flatMap((c) => c.others));
    this.later = Uint8Array.from(this.others, (o) => (o > 0 ? 1 : 0));
  }

  /** Sorts the cells by their values under f (finite vertex values). */
  compute(f: Float64Array): void {
    const vertices = this.sorter.sort(f, this.grid.size);
    if (this.edges) this.sortEdges(f, vertices);
    else this.sortCells(f, vertices);
  }

  /**
   * The edges' case, unrolled: v's edges in name order are those it ends along axes 0, 1, …
   * (their other end, before v, may tie) and then those it starts along axes 0, 1, … (their other
   * end, after v, must be lower) — strides decrease along the axes that have edges.
   */
  private sortEdges(f: Float64Array, vertices: Uint32Array): void {
    const { order, values } = this;
    const { room, rank, strides, size: n } = this.grid;
    let k = 0;
    for (let i = 0; i < n;) {
      const x = f[vertices[i]];
      let j = i + 1;
      while (j < n && f[vertices[j]] === x) j++;
      const first = k;
      for (let r = i; r < j; r++) {
        const v = vertices[r];
        const bits = room[v];
        for (let a = 0; a < rank; a++) {
          const w = v - strides[a];
          if (bits & (8 << a) && f[w] <= x) order[k++] = rank * w + a;
        }
        for (let a = 0; a < rank; a++) if (bits & (1 << a) && f[v + strides[a]] < x) order[k++] = rank * v + a;
      }
      if (j - i > 1) sortNames(order, first, k);
      values.fill(x, first, k);
      i = j;
    }
  }

  /** The general case, from the incidence lists. */
  private sortCells(f: Float64Array, vertices: Uint32Array): void {
    const { order, values, factor, offset, type, need, othersStart, others, later } = this;
    const room = this.grid.room;
    const n = this.grid.size;
    const m = offset.length;
    let k = 0;
    for (let i = 0; i < n;) {
      const x = f[vertices[i]];
      let j = i + 1;
      while (j < n && f[vertices[j]] === x) j++;
      const first = k;
      for (let r = i; r < j; r++) {
        const v = vertices[r];
        const bits = room[v];
        for (let c = 0; c < m; c++) {
          if ((bits & need[c]) !== need[c]) continue;
          // v is the cell's critical vertex: no other corner above it, nor equal and later.
          let critical = true;
          for (let o = othersStart[c]; o < othersStart[c + 1]; o++) {
            const y = f[v + others[o]];
            if (y > x || (y === x && later[o])) {
              critical = false;
              break;
            }
          }
          if (critical) order[k++] = factor * (v - offset[c]) + type[c];
        }
      }
      if (j - i > 1) sortNames(order, first, k);
      values.fill(x, first, k);
      i = j;
    }
  }
}

/** A cell having v as a corner: base = v − offset, name = factor · base + type. */
interface Incidence {
  offset: number;
  type: number;
  /** The room bits of v (VertexGrid.room) that the cell needs to exist. */
  need: number;
  /** Its other corners, as offsets from v. */
  others: number[];
}

/** The edges at a vertex: along each axis a, as the first end (base v) or the second (base v − s_a). */
function edgeIncidences({ rank, strides }: VertexGrid): Incidence[] {
  const out: Incidence[] = [];
  for (let a = 0; a < rank; a++) {
    out.push({ offset: 0, type: a, need: 1 << a, others: [strides[a]] });
    out.push({ offset: strides[a], type: a, need: 8 << a, others: [-strides[a]] });
  }
  return out;
}

/** The squares at a vertex of a volume: for each normal a, the four corners v can be. */
function squareIncidences({ strides }: VertexGrid): Incidence[] {
  const out: Incidence[] = [];
  for (let a = 0; a < 3; a++) {
    const b = a === 0 ? 1 : 0;
    const c = a === 2 ? 1 : 2;
    const corners = [0, strides[c], strides[b], strides[b] + strides[c]];
    for (let k = 0; k < 4; k++) {
      const db = k >> 1;
      const dc = k & 1;
      const need = (db ? 8 << b : 1 << b) | (dc ? 8 << c : 1 << c);
      const others = corners.filter((_, i) => i !== k).map((o) => o - corners[k]);
      out.push({ offset: corners[k], type: a, need, others });
    }
  }
  return out;
}

/** Sorts names[from .. to) ascending (a run of tied vertices gathers unsorted names). */
function sortNames(names: Uint32Array, from: number, to: number): void {
  if (to - from > 32) {
    names.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const x = names[i];
    let j = i;
    while (j > from && names[j - 1] > x) {
      names[j] = names[j - 1];
      j--;
    }
    names[j] = x;
  }
}
