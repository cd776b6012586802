import { describe } from '../base/checks.js';
import { Thinning3D } from './skeleton-3d.js';

/**
 * Morphological skeleton of a 2-D or 3-D binary mask by topology-preserving thinning, for clDice
 * and Skeleton Recall.
 *
 * The scheme is Zhang–Suen's (border pixels peeled in directional sub-iterations until nothing
 * changes, line ends kept), with one change that makes it exactly topology-preserving: within a
 * sub-iteration the candidates are chosen on the image as it was when the sub-iteration began (so
 * each peels one layer from one side), but each is deleted only if it is still a simple point of
 * the current image. Zhang–Suen's parallel deletion can break connectivity (a 2 × 2 square
 * disappears entirely, two-pixel-thick diagonals split); deleting simple points one at a time
 * never changes the topology.
 *
 * - Connectivity: foreground 8-connected, background 4-connected (as the metrics' Betti numbers).
 *   A pixel is simple when its Yokoi 8-connectivity number is 1: removing it neither splits nor
 *   removes a foreground component nor creates or merges a hole.
 * - A pixel with fewer than two foreground neighbours (a line end, an isolated pixel) is kept.
 * - Sub-iterations peel the north, south, east and west borders in turn; within one, pixels are
 *   visited in row-major order.
 *
 * The skeleton therefore has the mask's Betti numbers, lies inside the mask, and has no simple
 * point left but line ends: a thick bar thins to a line one pixel wide, a ring to a closed curve.
 * Outside the image is background.
 *
 * Volumes (`Thinning3D`): the same scheme over the six border directions, foreground 26-connected
 * and background 6-connected, a voxel simple by Bertrand and Malandain's characterization; a thick
 * tube thins to a curve, a hollow ball (a cavity) to a closed surface.
 *
 * @param mask  row-major `[H, W]` or `[D, H, W]`; non-zero entries are foreground
 * @param shape `[H, W]` or `[D, H, W]`
 * @returns the skeleton, 1 on it and 0 elsewhere
 * @category Segmentation data and metrics
 */
export function skeletonize(mask: ArrayLike<number>, shape: readonly number[]): Uint8Array {
  if (
    !Array.isArray(shape) ||
    (shape.length !== 2 && shape.length !== 3) ||
    !shape.every((n) => Number.isInteger(n) && n >= 1)
  )
    throw new Error(`shape: expected [H, W] or [D, H, W] of positive integers, got ${describe(shape)}`);
  if (!(Array.isArray(mask) || ArrayBuffer.isView(mask)))
    throw new Error(`mask: expected a typed array or an array of numbers, got ${describe(mask)}`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (mask.length !== size)
    throw new Error(`mask: expected ${size} entries for shape [${shape.join(', ')}], got ${mask.length}`);
  return thinningFor(shape).run(mask, 0);
}

/** The thinning of maps of this spatial shape: `Thinning` for images, `Thinning3D` for volumes. */
export function thinningFor(spatial: readonly number[]): Thinning | Thinning3D {
  const [a, b, c] = spatial;
  return spatial.length === 2 ? new Thinning(a, b) : new Thinning3D(a, b, c);
}

/** The thinning of one image size, reusing its buffers (padded by one background pixel per side). */
export class Thinning {
  private readonly pw: number;
  private readonly image: Uint8Array;
  private readonly candidates: Int32Array;
  // Neighbour offsets in the padded grid, counter-clockwise from the east: E, NE, N, NW, W, SW, S, SE.
  private readonly ring: Int32Array;

  constructor(
    readonly height: number,
    readonly width: number,
  ) {
    this.pw = width + 2;
    this.image = new Uint8Array((height + 2) * this.pw);
    this.candidates = new Int32Array(height * width);
    const pw = this.pw;
    this.ring = Int32Array.from([1, 1 - pw, -pw, -pw - 1, -1, pw - 1, pw, pw + 1]);
  }

  /** The skeleton of the map at `offset` of `mask` (non-zero is foreground), written to `out`. */
  run(mask: ArrayLike<number>, offset: number, out = new Uint8Array(this.height * this.width)): Uint8Array {
    const { height, width, pw, image, candidates, ring } = this;
    image.fill(0);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) image[(y + 1) * pw + x + 1] = mask[offset + y * width + x] !== 0 ? 1 : 0;
    // The four directions: north, south, east, west (offsets of the neighbour that must be background).
    const sides = [-pw, pw, 1, -1];
    let changed = true;
    while (changed) {
      changed = false;
      for (const side of sides) {
        let n = 0;
        for (let y = 1; y <= height; y++) {
          const row = y * pw;
          for (let x = 1; x <= width; x++) {
            const p = row + x;
            if (image[p] === 1 && image[p + side] === 0) candidates[n++] = p;
          }
        }
        for (let c = 0; c < n; c++) {
          const p = candidates[c];
          if (removable(image, p, ring)) {
            image[p] = 0;
            changed = true;
          }
        }
      }
    }
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = image[(y + 1) * pw + x + 1];
    return out;
  }
}

/**
 * Whether foreground pixel p may be deleted: at least two foreground neighbours (not a line end)
 * and Yokoi's 8-connectivity number Σ_{k ∈ {E, N, W, S}} (x̄_k − x̄_k · x̄_{k+1} · x̄_{k+2}) equal to 1,
 * with x̄ = 1 − x over the ring E, NE, N, NW, W, SW, S, SE.
 */
export function removable(image: Uint8Array, p: number, ring: Int32Array): boolean {
  let count = 0;
  for (let k = 0; k < 8; k++) count += image[p + ring[k]];
  if (count < 2) return false;
  let connectivity = 0;
  for (let k = 0; k < 8; k += 2) {
    const a = 1 - image[p + ring[k]];
    const b = 1 - image[p + ring[k + 1]];
    const c = 1 - image[p + ring[(k + 2) & 7]];
    connectivity += a - a * b * c;
  }
  return connectivity === 1;
}
