/**
 * Index arithmetic for a volume padded by one element on every side, so that neighbour offsets
 * need no bounds checks.
 */
export class PaddedGrid {
  readonly depth: number;
  readonly height: number;
  readonly width: number;
  readonly paddedWidth: number;
  readonly paddedHeight: number;
  readonly paddedDepth: number;
  /** Number of input elements. */
  readonly size: number;
  /** Number of padded slots. */
  readonly paddedSize: number;
  private readonly origin: number; // padded index of element 0

  /** @param shape `[depth, height, width]` */
  constructor(shape: readonly number[]) {
    [this.depth, this.height, this.width] = shape;
    this.paddedWidth = this.width + 2;
    this.paddedHeight = this.height + 2;
    this.paddedDepth = this.depth + 2;
    this.size = this.depth * this.height * this.width;
    this.paddedSize = this.paddedDepth * this.paddedHeight * this.paddedWidth;
    this.origin = this.paddedHeight * this.paddedWidth + this.paddedWidth + 1;
  }

  /** Element index of a padded index, or −1 for a slot of the ring. */
  element(i: number): number {
    const pw = this.paddedWidth;
    const x = (i % pw) - 1;
    const prow = (i - x - 1) / pw; // padded z * paddedHeight + padded y
    const y = (prow % this.paddedHeight) - 1;
    const z = (prow - y - 1) / this.paddedHeight - 1;
    const ring = x < 0 || x >= this.width || y < 0 || y >= this.height || z < 0 || z >= this.depth;
    return ring ? -1 : (z * this.height + y) * this.width + x;
  }

  /** Writes the padded index of every element, in element order, into `out`. */
  paddedIndices(out: Uint32Array): void {
    let e = 0;
    for (let z = 0; z < this.depth; z++)
      for (let y = 0; y < this.height; y++) {
        const row = this.origin + (z * this.paddedHeight + y) * this.paddedWidth;
        for (let x = 0; x < this.width; x++) out[e++] = row + x;
      }
  }

  /** Flat offsets of the `full` (26-) or `faces` (6-) neighbourhood. */
  stencil(kind: 'full' | 'faces'): Int32Array {
    const offsets: number[] = [];
    for (const dz of [-1, 0, 1])
      for (const dy of [-1, 0, 1])
        for (const dx of [-1, 0, 1]) {
          const moved = (dz !== 0 ? 1 : 0) + (dy !== 0 ? 1 : 0) + (dx !== 0 ? 1 : 0);
          if (moved === 0 || (kind === 'faces' && moved > 1)) continue;
          offsets.push((dz * this.paddedHeight + dy) * this.paddedWidth + dx);
        }
    return Int32Array.from(offsets);
  }
}
