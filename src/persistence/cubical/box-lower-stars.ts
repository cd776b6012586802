import { PairSink, keepPair } from '../diagram.js';
import { withRoom } from '../toolkit/growable.js';
import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { findCodedRoot } from '../toolkit/union-find.js';
import { insertSorted, Z2Column, Z2ColumnStore } from '../toolkit/z2-column.js';
import { LINK, cubeSquares, faceComponents, linkComponents, relabel, upperRegions } from './vertex-link.js';

/**
 * Persistence of a box under the V construction, lower star by lower star. The vertex of rank r
 * brings every cell whose last vertex it is (its owner), and cells are ordered by owner rank, then
 * dimension, then by the ranks of their other vertices (an edge by its other end, a square by the
 * highest of its other three, then its slot around the owner, see vertex-link.ts): the
 * lexicographic order, in which a lower star pairs nearly all its cells by itself. Cells are named by their
 * first corner (the anchor, an element index) and an axis: edge 3·anchor + the axis it runs along,
 * square 3·anchor + its normal, cube its anchor.
 *
 * Most vertices only extend what is below them, and one raster pass settles them from their 26
 * neighbours:
 *
 * - H0 keeps a forest whose links point down: each vertex hangs from its lowest face neighbour.
 *   Only where the lower link has several components may components merge; those vertices are
 *   swept in filtration order (union-find, elder rule), the first edge of each other component tried.
 * - H2 is the same in reverse over cubes (Alexander duality): the lower star's cubes hang from the
 *   upper link's region (an older cube or the outside). Where the lower star's squares join two
 *   upper regions, the vertex is swept in reverse filtration order: Kruskal over its squares, last
 *   first, the elder rule where regions meet.
 * - H1 is a homology reduction (columns: the squares that close no void, found by that Kruskal;
 *   rows: the edges that kill no component, youngest first), done first inside each lower star:
 *   its at most 12 columns, on its at most 5 rows at the vertex, are reduced as bits, which settles
 *   every pair of length zero. Columns left with no row at the vertex go on to the full reduction,
 *   in filtration order, as the sums of squares they have become. Only the vertices of the sweeps
 *   leave such columns: the lower link of any other is connected and so is its complement in the
 *   link's sphere, so (Alexander duality again) it has no homology and its lower star pairs inside
 *   itself. The raster pass leaves those stars unreduced; the full reduction settles one when it
 *   first reads one of its rows (most are never read).
 *
 * What stays allocated: the ranks and the two forests (in the sorter's memory), a byte per edge,
 * and per vertex the order of its lower face neighbours and five pivot entries.
 */
export class BoxLowerStars {
  private readonly width: number;
  private readonly height: number;
  private readonly depth: number;
  private readonly size: number;
  private readonly steps: Int32Array; // index step along x, y, z
  private readonly neighbour: Int32Array; // index step to each of the 26 neighbours, by link bit
  private readonly squareShift: Int32Array; // per square slot around a vertex: its anchor − the vertex
  private readonly cubeShift: Int32Array; // per cube slot: its anchor − the vertex
  private readonly edgeShift: Int32Array; // per face direction k: the id of the vertex's edge that way − 3 · the vertex
  private readonly sorter: RadixArgsort;
  private readonly killers: Uint8Array; // per edge: 1 when it kills a component (no row)
  private readonly pivotOwner: Int32Array; // per row (see rowSlot): UNCLAIMED, or the column owning it
  private readonly faceOrder: Int32Array; // per vertex: 3 bits per face direction, its place among the lower ones; or LAZY
  private mergeRanks: Uint32Array = new Uint32Array(64); // vertices whose lower link is disconnected
  private voidRanks: Uint32Array = new Uint32Array(64); // vertices whose upper link is disconnected
  private readonly columnSorter = new RadixArgsort();
  private columnKeys: Float64Array = new Float64Array(64); // columns left to the reduction: owner rank · 16 + place
  private columnSums: Uint32Array = new Uint32Array(64); // and their sums, by index in `sums`
  private sums: Float64Array = new Float64Array(64); // sums of a lower star's squares: vertex · 4096 + slot bits
  private sumCount = 0;
  private columnCount = 0;
  private readonly localBase: number; // pivotOwner entries ≤ it name a sum: localBase − its index
  private readonly working = new Z2Column();
  private readonly stored = new Z2ColumnStore();
  private readonly rawColumn = new Int32Array(4);
  private readonly around = new Int32Array(26); // the ranks of the vertex's neighbours, by link bit
  private readonly byPlace = new Int32Array(6); // a vertex's lower face directions, by place
  private readonly labels = new Int32Array(8); // the region of each cube slot around the vertex
  private readonly pivotColumn = new Int32Array(6); // per place: the lower-star column whose pivot it is
  private readonly reducedRows = new Int32Array(12); // per lower-star column: its rows at the vertex, reduced
  private readonly reducedSum = new Int32Array(12); // and the squares (slot bits) it sums
  private readonly squareOrder = new Uint32Array(12); // the lower star's squares, last first
  private order: Uint32Array = new Uint32Array(0); // element of each rank
  private rank: Uint32Array = new Uint32Array(0); // rank of each element
  private vertexParent: Int32Array = new Int32Array(0); // H0 forest: lower vertex, or −1 at a root
  private cubeParent: Int32Array = new Int32Array(0); // H2 forest: older cube (size: the outside), or −1 − birth vertex

  /** Volumes must have fewer elements: keys pack a rank with a few bits into 32. */
  static readonly maxSize = 2 ** 28;

  /**
   * @param shape `[depth, height, width]`, fewer than maxSize elements
   * @param loops whether to pair H1 (else only H0 and H2)
   * @param shell how many elements are BoxDual's padding: valued −∞, they enter first and make a
   *   sphere, whose H1 vanishes; the reduction leaves its rows and columns out (the homology
   *   relative to it, whose H1 pairs between other elements are the same), as BoxDual drops its pairs
   */
  constructor(
    shape: readonly number[],
    private readonly loops = true,
    private readonly shell = 0,
  ) {
    [this.depth, this.height, this.width] = shape;
    const n = (this.size = this.depth * this.height * this.width);
    if (n >= BoxLowerStars.maxSize)
      throw new Error(
        `shape: H1 of a ${shape.join('×')} volume needs more elements ranked than this engine packs (2^28); request options.dims [0, 2] or a smaller volume`,
      );
    const w = this.width;
    const wh = w * this.height;
    const step = ([x, y, z]: number[]) => x + y * w + z * wh;
    this.steps = Int32Array.of(1, w, wh);
    this.neighbour = Int32Array.from(LINK.offsets, step);
    this.squareShift = Int32Array.from(LINK.squareCorner, step);
    this.cubeShift = Int32Array.from(LINK.cubeCorner, step);
    this.edgeShift = Int32Array.from({ length: 6 }, (_, k) => (k & 1 ? 0 : -3 * this.steps[k >> 1]) + (k >> 1));
    this.sorter = new RadixArgsort(n + 1);
    this.killers = new Uint8Array(3 * n);
    this.pivotOwner = new Int32Array(loops ? ROWS_PER_VERTEX * n : 0);
    this.faceOrder = new Int32Array(n);
    this.localBase = RAW - 3 * n;
  }

  /** Pushes the pairs of each dimension into its builder. */
  compute(
    values: Float32Array | Float64Array,
    superlevel: boolean,
    [h0, h1, h2]: readonly PairSink[],
    keepZeroLength: boolean,
  ): void {
    const n = this.size;
    this.order = this.sorter.sort(values, n, superlevel, undefined, 'values', this.shell > 0);
    // The sort's scratch holds the ranks and the two forests until the next call.
    const { ranks, wordsA, wordsB } = this.sorter.spare(n + 1);
    this.rank = ranks;
    this.vertexParent = wordsA;
    this.cubeParent = wordsB;
    this.cubeParent[n] = -1 - n; // the outside: a root older than every void
    this.killers.fill(0);
    this.pivotOwner.fill(UNCLAIMED);
    this.sumCount = 0;
    this.columnCount = 0;
    const [merges, splits] = this.settleLowerStars();
    this.mergeComponents(values, merges, h0, keepZeroLength);
    h0.push(values[this.order[0]], Infinity, this.order[0], -1);
    this.closeVoids(values, splits, h2, keepZeroLength);
    if (this.loops) this.reduce(values, h1, keepZeroLength);
  }

  /**
   * The raster pass: every vertex hangs from its lowest face neighbour (or is a minimum) and the
   * cubes of its lower star from its upper link; vertices whose links are disconnected are left to
   * the sweeps. Returns how many were left to each.
   */
  private settleLowerStars(): [number, number] {
    const { width: w, height: h, depth: d, rank, neighbour, around, vertexParent, killers, faceOrder } = this;
    let merges = 0;
    let splits = 0;
    for (let z = 0, v = 0; z < d; z++)
      for (let y = 0; y < h; y++) {
        const row = LINK.inside[2][axisCase(z, d)] & LINK.inside[1][axisCase(y, h)];
        for (let x = 0; x < w; x++, v++) {
          const inside = row & LINK.inside[0][axisCase(x, w)];
          const r = rank[v];
          const lower = this.readLowerStar(v, r, inside);
          const faces = lower & LINK.faceBits;
          if (faces === 0) {
            vertexParent[v] = -1; // a minimum: its lower star is the vertex alone
            continue;
          }

          // H0: hang from the lowest face neighbour; a disconnected lower link may merge components.
          let low = 31 - Math.clz32(faces & -faces);
          for (let bits = faces & (faces - 1); bits !== 0; bits &= bits - 1) {
            const k = 31 - Math.clz32(bits & -bits);
            if (around[k] < around[low]) low = k;
          }
          vertexParent[v] = v + neighbour[low];
          killers[this.edgeAt(v, low)] = 1;
          const squares = lowerSquares(lower);
          const merging = linkComponents(faces, squares) > 1;
          if (merging) this.mergeRanks = pushTo(this.mergeRanks, merges++, r);

          // H2: hang the lower star's cubes from the upper link, unless it is disconnected.
          const cubes = lowerCubes(lower, squares);
          const regions = upperRegions(cubes, squares);
          if (regions < 0) {
            this.voidRanks = pushTo(this.voidRanks, splits++, r);
            faceOrder[v] = merging ? WAITS_FOR_VOIDS : 0;
            continue; // its lower star waits for the H2 sweep
          }
          if (cubes !== 0) this.hangCubes(v, inside, cubes, regions);
          // H1: a lower link that is connected, and whose complement is, has no homology: every
          // cell of the star pairs inside it, so only the rows of the star are ever read, if at all.
          faceOrder[v] = merging ? 0 : LAZY;
        }
      }
    return [merges, splits];
  }

  /**
   * Reads into `around` the ranks of the neighbours of v (rank r) that its lower star depends on:
   * the face neighbours inside the volume, the diagonals of the squares whose two faces are lower,
   * the corners of the cubes whose three squares are. Returns the lower ones' bits (a neighbour not
   * read decides no cell of the star, and reads as upper).
   */
  private readLowerStar(v: number, r: number, inside: number): number {
    const { rank, neighbour, around } = this;
    let lower = 0;
    for (let k = 0; k < 6; k++) {
      if (((inside >> k) & 1) === 0) continue;
      const q = rank[v + neighbour[k]];
      around[k] = q;
      lower |= ((q - r) >>> 31) << k;
    }
    for (let bits = LINK.faceSquares[lower] & (inside >>> 6); bits !== 0; bits &= bits - 1) {
      const k = 37 - Math.clz32(bits & -bits); // 6 + the lowest bit's square slot
      const q = rank[v + neighbour[k]];
      around[k] = q;
      lower |= ((q - r) >>> 31) << k;
    }
    for (let bits = LINK.squareCubes8[lowerSquares(lower)] & (inside >>> 18); bits !== 0; bits &= bits - 1) {
      const k = 49 - Math.clz32(bits & -bits); // 18 + the lowest bit's cube slot
      lower |= ((rank[v + neighbour[k]] - r) >>> 31) << k;
    }
    return lower;
  }

  /**
   * Hangs the lower star's cubes of v (bits by slot) from its upper link, one region (`regions`,
   * see upperRegions): from the cube at the region's slot, or from the outside when that cube lies
   * outside the volume; at a local maximum, from a new root born at v. (Which squares close the
   * voids matters to H1 only; voidSquares finds them.)
   */
  private hangCubes(v: number, inside: number, cubes: number, regions: number): void {
    const { cubeShift, cubeParent: parent } = this;
    const upper = ~cubes & 0xff;
    let target: number;
    if (upper === 0) {
      target = v + cubeShift[0];
      parent[target] = -1 - v;
    } else {
      const t = (regions >> (3 * (31 - Math.clz32(upper & -upper)))) & 7;
      target = (inside & LINK.cubeBits[t]) === LINK.cubeBits[t] ? v + cubeShift[t] : this.size;
    }
    for (let bits = upper === 0 ? 0xfe : cubes; bits !== 0; bits &= bits - 1)
      parent[v + cubeShift[31 - Math.clz32(bits & -bits)]] = target;
  }

  /**
   * The squares (bits by slot) of the lower star of v that close a void, its upper link one region
   * (`regions`): Kruskal over its squares (the first `count` of squareOrder), last first, between
   * its lower cubes and that region; a square that joins two of them closes a void, and is no H1
   * death.
   */
  private voidSquares(cubes: number, regions: number, count: number): number {
    const { labels, squareOrder } = this;
    // Labels 0–7: the upper region of that first slot; 8 + s: the lower star's cube at slot s.
    for (let s = 0; s < 8; s++) labels[s] = (cubes >> s) & 1 ? 8 + s : (regions >> (3 * s)) & 7;
    // Squares between two upper slots meet one region on both sides: only the cubes' sides count.
    const sides = cubeSquares(cubes);
    let voids = 0;
    for (let i = 0; i < count; i++) {
      const k = squareOrder[i] & 15;
      if (((sides >> k) & 1) === 0) continue;
      const a = labels[LINK.squareCubes[2 * k]];
      const b = labels[LINK.squareCubes[2 * k + 1]];
      if (a === b) continue; // an H1 death
      voids |= 1 << k;
      if (b < 8) relabel(labels, a, b);
      else relabel(labels, b, a);
    }
    return voids;
  }

  /**
   * The H1 columns and rows of a vertex the raster pass left LAZY, when the reduction first reads
   * one of its rows: its places, and the pairs of its lower star. Returns its faceOrder.
   */
  private settleLater(v: number): number {
    const r = this.rank[v];
    const lower = this.readLowerStar(v, r, this.insideLink(v));
    const places = (this.faceOrder[v] = facePlaces(lower & LINK.faceBits, this.around));
    const columns = this.columnCount;
    this.reduceOneRegionStar(v, r, lower);
    if (this.columnCount !== columns) throw new Error(`internal: the regular vertex ${v} left an H1 column`);
    return places;
  }

  /**
   * reduceLowerStar for a lower star (of v, rank r, link bits `lower`, its neighbours' ranks in
   * `around`) whose upper link is one region, its void squares found by voidSquares.
   */
  private reduceOneRegionStar(v: number, r: number, lower: number): void {
    const squares = lowerSquares(lower);
    if (squares === 0) return;
    const count = sortSquares(squares, this.around, this.squareOrder);
    const cubes = lowerCubes(lower, squares);
    this.reduceLowerStar(v, r, count, this.voidSquares(cubes, upperRegions(cubes, squares), count));
  }

  /**
   * hangCubes and voidSquares in the H2 sweep, where the upper regions are the union-find's: a
   * square that joins two of them closes a void too, and the younger region (its root born at the
   * lower rank) dies there. Returns the squares that close a void.
   */
  private hangCubesOnRegions(
    values: Float32Array | Float64Array,
    v: number,
    inside: number,
    cubes: number,
    count: number,
    h2: PairSink,
    keepZeroLength: boolean,
  ): number {
    const { labels, cubeShift, squareOrder, cubeParent: parent, size: n } = this;
    // Labels ≥ 0: a region's root (size: the outside); −1 − s: the lower star's cube at slot s.
    for (let s = 0; s < 8; s++)
      labels[s] =
        (cubes >> s) & 1
          ? -1 - s
          : findCodedRoot(parent, (inside & LINK.cubeBits[s]) === LINK.cubeBits[s] ? v + cubeShift[s] : n);
    let voids = 0;
    for (let i = 0; i < count; i++) {
      const k = squareOrder[i] & 15;
      const a = labels[LINK.squareCubes[2 * k]];
      const b = labels[LINK.squareCubes[2 * k + 1]];
      if (a === b) continue; // an H1 death
      voids |= 1 << k;
      let keep = a;
      let drop = b;
      if (a >= 0 && b >= 0) {
        if (this.regionAge(a) < this.regionAge(b)) [keep, drop] = [b, a];
        const dies = -1 - parent[drop];
        parent[drop] = keep;
        if (keepPair(values, v, dies, keepZeroLength)) h2.push(values[v], values[dies], v, dies);
      } else if (b >= 0) [keep, drop] = [b, a];
      relabel(labels, drop, keep);
    }
    for (let s = 0; s < 8; s++) if ((cubes >> s) & 1) parent[v + cubeShift[s]] = labels[s]; // a split link meets an upper region
    return voids;
  }

  /** Edge id of the edge from v in face direction k (2·axis, +1 when it goes up the axis). */
  private edgeAt(v: number, k: number): number {
    return 3 * v + this.edgeShift[k];
  }

  /** The H0 sweep over the vertices whose lower link is disconnected, in filtration order. */
  private mergeComponents(
    values: Float32Array | Float64Array,
    count: number,
    h0: PairSink,
    keepZeroLength: boolean,
  ): void {
    const { rank, order, neighbour, vertexParent: parent, killers, faceOrder, byPlace } = this;
    const ranks = this.mergeRanks.subarray(0, count).sort();
    for (let i = 0; i < count; i++) {
      const v = order[ranks[i]];
      const lower = this.readLowerStar(v, ranks[i], this.insideLink(v));
      const faces = lower & LINK.faceBits;
      const squares = lowerSquares(lower);
      const components = faceComponents(faces, squares);
      const places = facePlaces(faces, this.around);
      const waits = faceOrder[v] & WAITS_FOR_VOIDS;
      faceOrder[v] = places | waits;
      let lowerFaces = 0;
      for (let k = 0; k < 6; k++)
        if ((faces >> k) & 1) {
          byPlace[(places >> (3 * k)) & 7] = k;
          lowerFaces++;
        }
      // Edges by their other end, lowest first: each component's first edge may merge it.
      let joined = 0;
      for (let place = 0; place < lowerFaces; place++) {
        const k = byPlace[place];
        if ((joined >> components[k]) & 1) continue;
        joined |= 1 << components[k];
        if (place === 0) continue; // the edge v hangs from
        const a = findCodedRoot(parent, v);
        const b = findCodedRoot(parent, v + neighbour[k]);
        if (a === b) continue; // the edge closes a loop
        const young = rank[a] > rank[b] ? a : b;
        parent[young] = young === a ? b : a;
        killers[this.edgeAt(v, k)] = 1;
        if (keepPair(values, young, v, keepZeroLength)) h0.push(values[young], values[v], young, v);
      }
      // Its rows are final now; its columns too unless the H2 sweep is still to come to it.
      if (this.loops && waits === 0) this.reduceOneRegionStar(v, ranks[i], lower);
    }
  }

  /** The H2 sweep over the vertices whose upper link is disconnected, in reverse filtration order. */
  private closeVoids(values: Float32Array | Float64Array, count: number, h2: PairSink, keepZeroLength: boolean): void {
    const ranks = this.voidRanks.subarray(0, count).sort();
    for (let i = count - 1; i >= 0; i--) {
      const v = this.order[ranks[i]];
      const inside = this.insideLink(v);
      const lower = this.readLowerStar(v, ranks[i], inside);
      const squares = lowerSquares(lower);
      const sorted = sortSquares(squares, this.around, this.squareOrder);
      const cubes = lowerCubes(lower, squares);
      const voids = this.hangCubesOnRegions(values, v, inside, cubes, sorted, h2, keepZeroLength);
      if (!this.loops) continue;
      this.faceOrder[v] = facePlaces(lower & LINK.faceBits, this.around);
      this.reduceLowerStar(v, ranks[i], sorted, voids); // its rows and columns are final now
    }
  }

  /** Rank of the vertex a region was born at (the outside: above every rank). */
  private regionAge(root: number): number {
    const born = -1 - this.cubeParent[root];
    return born === this.size ? 2 ** 32 : this.rank[born];
  }

  /**
   * H1 inside the lower star of v (rank r): its columns (the squares that close no void, `voids`, in
   * filtration order) reduced on their rows at v, edges at most five. A column left with a row
   * there is its pivot: a pair of two cells of one lower star, of length zero. A column left with
   * none has its pivot below v: it goes to the reduction, as the sum of squares it has become.
   * (The full reduction adds the same columns to it: those of v's other pivots.)
   */
  private reduceLowerStar(v: number, r: number, count: number, voids: number): void {
    const { squareShift, killers, pivotColumn, reducedRows, reducedSum, pivotOwner, squareOrder, edgeShift } = this;
    const places = this.faceOrder[v];
    let claimed = 0; // the places that are pivots, as bits
    for (let i = count - 1, column = 0; i >= 0; i--, column++) {
      const k = squareOrder[i] & 15;
      if ((voids >> k) & 1) continue;
      // The square's rows at v: its two sides at v, unless they kill a component.
      let rows = 0;
      const fa = LINK.squareFaces[2 * k];
      const fb = LINK.squareFaces[2 * k + 1];
      if (killers[3 * v + edgeShift[fa]] === 0) rows |= 1 << ((places >> (3 * fa)) & 7);
      if (killers[3 * v + edgeShift[fb]] === 0) rows |= 1 << ((places >> (3 * fb)) & 7);
      let sum = 1 << k;
      let pivot = 31 - Math.clz32(rows);
      while (rows !== 0 && (claimed >> pivot) & 1) {
        const other = pivotColumn[pivot];
        rows ^= reducedRows[other];
        sum ^= reducedSum[other];
        pivot = 31 - Math.clz32(rows);
      }
      if (rows === 0) {
        if (r < this.shell) continue; // a column of the shell, zero relative to it
        // Its pivot lies below v: left to the reduction, in filtration order (the column's place here).
        const at = this.columnCount++;
        this.columnKeys = withRoom(this.columnKeys, at + 1);
        this.columnSums = withRoom(this.columnSums, at + 1);
        this.columnKeys[at] = r * 16 + column;
        this.columnSums[at] = this.keepSum(v, sum);
        continue;
      }
      pivotColumn[pivot] = column;
      claimed |= 1 << pivot;
      reducedRows[column] = rows;
      reducedSum[column] = sum;
      pivotOwner[v * ROWS_PER_VERTEX + ROWS_PER_VERTEX - pivot] =
        sum === 1 << k ? RAW - 3 * (v + squareShift[k]) - (k >> 2) : this.localBase - this.keepSum(v, sum);
    }
  }

  /**
   * Where pivotOwner keeps a row: by its owner's element, not rank, so that the lower stars, settled
   * in raster order, write near each other.
   */
  private rowSlot(key: number): number {
    const fromTop = Math.floor(key / ROWS_PER_VERTEX); // size − 1 − the owner's rank
    return this.order[this.size - 1 - fromTop] * ROWS_PER_VERTEX + key - fromTop * ROWS_PER_VERTEX;
  }

  /** Keeps the sum of v's squares at slot bits `sum`; returns its index. */
  private keepSum(v: number, sum: number): number {
    const at = this.sumCount++;
    this.sums = withRoom(this.sums, at + 1);
    this.sums[at] = v * 4096 + sum;
    return at;
  }

  /** The reduction of the columns left by the lower stars, in filtration order. */
  private reduce(values: Float32Array | Float64Array, h1: PairSink, keepZeroLength: boolean): void {
    const { pivotOwner, working, columnCount: count } = this;
    const columns = this.columnSorter.sort(this.columnKeys, count, false, this.columnSums); // as kept sums
    this.stored.reset();
    for (let i = 0; i < count; i++) {
      const column = columns[i];
      working.size = 0;
      this.addSum(column);
      if (working.size === 0) continue; // never in a box: such a square closes a void
      let owner = pivotOwner[this.rowSlot(working.keys[0])];
      let added = false;
      // Add the columns that own the current pivot until it is free or the column vanishes.
      while (owner !== UNCLAIMED) {
        this.addColumn(owner);
        added = true;
        if (working.size === 0) break;
        owner = pivotOwner[this.rowSlot(working.keys[0])];
      }
      if (working.size === 0) continue;
      pivotOwner[this.rowSlot(working.keys[0])] = added ? this.stored.store(working) : this.localBase - column;
      this.pushH1(values, working.keys[0], Math.floor(this.sums[column] / 4096), h1, keepZeroLength);
    }
  }

  /** working ← working + the column a pivotOwner entry names: recomputed when raw, else stored. */
  private addColumn(owner: number): void {
    if (owner >= 0) this.working.add(this.stored.entries, this.stored.start(owner), this.stored.end(owner));
    else if (owner > this.localBase) this.addSquare(RAW - owner);
    else this.addSum(this.localBase - owner);
  }

  /** working ← working + the rows of square s. */
  private addSquare(s: number): void {
    const n = this.rowKeys(s, this.rawColumn);
    this.working.add(this.rawColumn, 0, n);
  }

  /** working ← working + the rows of a kept sum of squares. */
  private addSum(index: number): void {
    const code = this.sums[index];
    const v = Math.floor(code / 4096);
    for (let bits = code % 4096; bits !== 0; bits &= bits - 1) {
      const k = 31 - Math.clz32(bits & -bits); // the lowest bit, cleared next
      this.addSquare(3 * (v + this.squareShift[k]) + (k >> 2));
    }
  }

  /** The H1 pair of a pivot row (its key) and the vertex whose column it is. */
  private pushH1(
    values: Float32Array | Float64Array,
    row: number,
    dies: number,
    h1: PairSink,
    keepZeroLength: boolean,
  ): void {
    const born = this.order[this.size - 1 - Math.floor(row / ROWS_PER_VERTEX)];
    if (keepPair(values, born, dies, keepZeroLength)) h1.push(values[born], values[dies], born, dies);
  }

  /**
   * Writes the row keys of square s's sides that kill no component (and are not the shell's) into
   * out, increasing; returns their count. A row key orders edges youngest first: (size − 1 − owner
   * rank) · 5 + 5 − the place (1–5) of the other end among the owner's lower face neighbours.
   */
  private rowKeys(s: number, out: Int32Array): number {
    const { rank, steps, killers } = this;
    const normal = s % 3;
    const a = (s - normal) / 3;
    const b = normal === 0 ? 1 : 0;
    const c = normal === 2 ? 1 : 2;
    const pb = a + steps[b];
    const pc = a + steps[c];
    const pd = pb + steps[c];
    const ra = rank[a];
    const rb = rank[pb];
    const rc = rank[pc];
    const rd = rank[pd];
    let count = 0;
    // The four sides: a→pb and pc→pd along b, a→pc and pb→pd along c.
    if (killers[3 * a + b] === 0) count = insertSorted(out, count, this.rowKey(a, ra, pb, rb, b));
    if (killers[3 * pc + b] === 0) count = insertSorted(out, count, this.rowKey(pc, rc, pd, rd, b));
    if (killers[3 * a + c] === 0) count = insertSorted(out, count, this.rowKey(a, ra, pc, rc, c));
    if (killers[3 * pb + c] === 0) count = insertSorted(out, count, this.rowKey(pb, rb, pd, rd, c));
    return count;
  }

  /** Row key of the edge from p up the axis to q, given their ranks; −1 for an edge of the shell. */
  private rowKey(p: number, rp: number, q: number, rq: number, axis: number): number {
    // The owner is the later end; from p the edge goes up its axis, from q down.
    if ((rp > rq ? rp : rq) < this.shell) return -1; // the shell's, left out (see shell)
    const owner = rp > rq ? p : q;
    let order = this.faceOrder[owner];
    if (order & LAZY) order = this.settleLater(owner);
    const place = (order >> (rp > rq ? 6 * axis + 3 : 6 * axis)) & 7;
    return (this.size - 1 - (rp > rq ? rp : rq)) * ROWS_PER_VERTEX + ROWS_PER_VERTEX - place;
  }

  /** Bits of the 26 neighbours of v inside the volume (see LINK). */
  private insideLink(v: number): number {
    const { width: w, height: h, depth: d } = this;
    const x = v % w;
    const y = ((v - x) / w) % h;
    const z = (v - x - y * w) / (w * h);
    return LINK.inside[2][axisCase(z, d)] & LINK.inside[1][axisCase(y, h)] & LINK.inside[0][axisCase(x, w)];
  }
}

/**
 * Row keys per vertex: its edges by the place of their other end among its lower face neighbours,
 * 1–5 (place 0, the edge it hangs from, kills a component and has no row).
 */
const ROWS_PER_VERTEX = 5;
/** Pivot-owner entries: a row no column owns yet, raw columns. */
const UNCLAIMED = -1;
/** faceOrder flag of a vertex in both sweeps: the H2 sweep reduces its lower star, not the H0 one. */
const WAITS_FOR_VOIDS = 1 << 30;
/** faceOrder of a vertex whose lower star pairs inside itself, not yet reduced (see settleLater). */
const LAZY = 1 << 29;
/** pivotOwner entries ≤ RAW name an unreduced column: RAW − square. */
const RAW = -2;

/** Where a coordinate sits on its axis: bit 0 at the low end, bit 1 at the high end. */
function axisCase(coord: number, size: number): number {
  return (coord === 0 ? 1 : 0) | (coord === size - 1 ? 2 : 0);
}

/** The lower star's squares (12 bits, by slot) from the lower-link bits: both faces and the diagonal lower. */
function lowerSquares(lower: number): number {
  return LINK.faceSquares[lower & LINK.faceBits] & (lower >>> 6) & 0xfff;
}

/** The lower star's cubes (8 bits, by slot) from the lower-link bits: three squares and the corner lower. */
function lowerCubes(lower: number, squares: number): number {
  return LINK.squareCubes8[squares] & (lower >>> 18);
}

/** 3 bits per lower face direction: how many lower faces have a lower rank (ranks in `around`). */
function facePlaces(faces: number, around: Int32Array): number {
  let places = 0;
  for (let bits = faces; bits !== 0; bits &= bits - 1) {
    const k = 31 - Math.clz32(bits & -bits);
    let place = 0;
    for (let others = faces; others !== 0; others &= others - 1)
      if (around[31 - Math.clz32(others & -others)] < around[k]) place++;
    places |= place << (3 * k);
  }
  return places;
}

/**
 * The lower star's squares (bits by slot) in reverse filtration order into `out`, as second rank ·
 * 16 + slot (the second rank: the highest of the square's other three vertices); returns the count.
 */
function sortSquares(squares: number, around: Int32Array, out: Uint32Array): number {
  let n = 0;
  for (let k = 0; k < 12; k++) {
    if (((squares >> k) & 1) === 0) continue;
    const fa = around[LINK.squareFaces[2 * k]];
    const fb = around[LINK.squareFaces[2 * k + 1]];
    const diagonal = around[6 + k];
    const hi = fa > fb ? fa : fb;
    const key = (hi > diagonal ? hi : diagonal) * 16 + k;
    let i = n++;
    while (i > 0 && out[i - 1] < key) {
      out[i] = out[i - 1];
      i--;
    }
    out[i] = key;
  }
  return n;
}

/** a with `value` at index i, grown when full. */
function pushTo(a: Uint32Array, i: number, value: number): Uint32Array {
  const out = withRoom(a, i + 1);
  out[i] = value;
  return out;
}
