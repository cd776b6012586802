/**
 * The thinning of one volume size (the 3-D counterpart of `Thinning`), reusing its buffers: simple
 * voxels peeled from the six border directions in turn until nothing changes, line ends kept.
 * The directions go −z, +z, −y, +y, −x, +x (a border voxel of direction −z has background at
 * z − 1); within one, voxels are visited in row-major order.
 *
 * Connectivity: foreground 26-connected, background 6-connected (the 'T' construction's). A voxel is
 * simple (Bertrand & Malandain 1994) when the foreground of its 26-neighbourhood, itself left out,
 * is one 26-connected piece, and the background of its 18-neighbourhood has exactly one 6-connected
 * piece 6-adjacent to it: removing it then changes no component, tunnel or cavity. As in 2-D, the
 * candidates of a sub-iteration are the border voxels of the volume as it was when it began, each
 * deleted only if it is still simple in the current volume; a voxel with fewer than two foreground
 * neighbours (a line end) is kept. So the skeleton keeps the mask's Betti numbers and lies inside it.
 */
export class Thinning3D {
  private readonly image: Uint8Array;
  private readonly candidates: Int32Array;
  private readonly strides: [number, number];
  /** Offsets of the 26 neighbours in the padded grid, by cube index (13 is the voxel itself). */
  private readonly offsets: Int32Array;
  private readonly cube = new Uint8Array(27);
  private readonly seen = new Uint8Array(27);
  private readonly stack = new Int32Array(27);

  constructor(
    readonly depth: number,
    readonly height: number,
    readonly width: number,
  ) {
    const pw = width + 2;
    const ps = (height + 2) * pw;
    this.strides = [ps, pw];
    this.image = new Uint8Array((depth + 2) * ps);
    this.candidates = new Int32Array(depth * height * width);
    this.offsets = Int32Array.from({ length: 27 }, (_, c) => {
      const [dz, dy, dx] = cubeCoords(c);
      return dz * ps + dy * pw + dx;
    });
  }

  /** The skeleton of the map at `offset` of `mask` (non-zero is foreground), written to `out`. */
  run(
    mask: ArrayLike<number>,
    offset: number,
    out = new Uint8Array(this.depth * this.height * this.width),
  ): Uint8Array {
    const { depth, height, width, image, candidates } = this;
    const [ps, pw] = this.strides;
    const at = (z: number, y: number, x: number) => (z + 1) * ps + (y + 1) * pw + x + 1;
    image.fill(0);
    let i = 0;
    for (let z = 0; z < depth; z++)
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) image[at(z, y, x)] = mask[offset + i++] !== 0 ? 1 : 0;
    const sides = [-ps, ps, -pw, pw, -1, 1];
    let changed = true;
    while (changed) {
      changed = false;
      for (const side of sides) {
        let n = 0;
        for (let z = 0; z < depth; z++)
          for (let y = 0; y < height; y++)
            for (let x = 0; x < width; x++) {
              const p = at(z, y, x);
              if (image[p] === 1 && image[p + side] === 0) candidates[n++] = p;
            }
        for (let c = 0; c < n; c++) {
          const p = candidates[c];
          if (this.removable(p)) {
            image[p] = 0;
            changed = true;
          }
        }
      }
    }
    i = 0;
    for (let z = 0; z < depth; z++)
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[i++] = image[at(z, y, x)];
    return out;
  }

  /** Whether foreground voxel p is simple and not a line end. */
  private removable(p: number): boolean {
    const { cube, image, offsets } = this;
    let neighbours = 0;
    for (let c = 0; c < 27; c++) {
      cube[c] = image[p + offsets[c]];
      if (c !== 13) neighbours += cube[c];
    }
    if (neighbours < 2) return false;
    return this.pieces(1, FOREGROUND_ADJACENCY) === 1 && this.pieces(0, BACKGROUND_ADJACENCY) === 1;
  }

  /**
   * The number of pieces of the cube's cells of value `value` under `adjacency` (the voxel itself
   * left out); for the background, only the pieces in the 18-neighbourhood that touch a face
   * neighbour count (`adjacency` of the background never enters a corner).
   */
  private pieces(value: number, adjacency: readonly number[][]): number {
    const { cube, seen, stack } = this;
    seen.fill(0);
    let count = 0;
    const starts = value === 1 ? ALL_NEIGHBOURS : FACE_NEIGHBOURS;
    for (const start of starts) {
      if (cube[start] !== value || seen[start]) continue;
      count++;
      let top = 0;
      stack[top++] = start;
      seen[start] = 1;
      while (top > 0) {
        const c = stack[--top];
        for (const d of adjacency[c])
          if (cube[d] === value && !seen[d]) {
            seen[d] = 1;
            stack[top++] = d;
          }
      }
    }
    return count;
  }
}

/** The offsets (dz, dy, dx) ∈ {−1, 0, 1}³ of cube index c = 9(dz + 1) + 3(dy + 1) + (dx + 1). */
function cubeCoords(c: number): [number, number, number] {
  return [Math.floor(c / 9) - 1, (Math.floor(c / 3) % 3) - 1, (c % 3) - 1];
}

const CELLS = Array.from({ length: 27 }, (_, c) => c).filter((c) => c !== 13);
const ALL_NEIGHBOURS = CELLS;
/** The six face neighbours: one coordinate off by one. */
const FACE_NEIGHBOURS = CELLS.filter((c) => cubeCoords(c).filter((d) => d !== 0).length === 1);
/** The 18-neighbourhood: the cube without its 8 corners. */
const EIGHTEEN = new Set(CELLS.filter((c) => cubeCoords(c).filter((d) => d !== 0).length <= 2));

/** Within the cube, less the voxel itself: 26-adjacency of cells. */
const FOREGROUND_ADJACENCY = Array.from({ length: 27 }, (_, a) =>
  CELLS.filter((b) => b !== a && cubeCoords(a).every((v, k) => Math.abs(v - cubeCoords(b)[k]) <= 1)),
);
/** Within the 18-neighbourhood, less the voxel itself: 6-adjacency of cells. */
const BACKGROUND_ADJACENCY = Array.from({ length: 27 }, (_, a) =>
  CELLS.filter(
    (b) =>
      EIGHTEEN.has(a) &&
      EIGHTEEN.has(b) &&
      cubeCoords(a).reduce((s, v, k) => s + Math.abs(v - cubeCoords(b)[k]), 0) === 1,
  ),
);
