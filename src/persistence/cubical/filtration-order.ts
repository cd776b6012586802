import { PaddedGrid } from './padded-grid.js';

/**
 * The filtration's total order on input elements: (value, flat index) ascending for sublevel
 * filtrations, (−value, flat index) for superlevel ones. Computed by a stable LSD radix sort of the
 * values mapped to order-preserving unsigned integers, so ties keep index order for free.
 *
 * Elements are named by their index in the padded grid (see PaddedGrid), the layout the sweeps
 * work in.
 */

const RADIX_BITS = 11;
const BUCKETS = 1 << RADIX_BITS;
const MASK = BUCKETS - 1;

/** Reusable working memory for ranking the elements of one grid. */
export class FiltrationOrder {
  /** order[r] = padded index of the element of rank r. */
  readonly order: Uint32Array;
  private readonly paddedIndex: Uint32Array; // padded index of each element
  readonly size: number;
  private readonly hi: Uint32Array; // most significant key word, per slot
  private readonly lo: Uint32Array; // least significant key word (float64 keys only)
  private readonly tmpIndex: Uint32Array;
  private readonly tmpHi: Uint32Array;
  private readonly tmpLo: Uint32Array;
  private readonly counts = new Uint32Array(BUCKETS);
  private readonly f64 = new Float64Array(1);
  private readonly f64Words = new Uint32Array(this.f64.buffer);
  private readonly f32 = new Float32Array(1);
  private readonly f32Word = new Uint32Array(this.f32.buffer);

  constructor(grid: PaddedGrid) {
    const size = (this.size = grid.size);
    this.order = new Uint32Array(size);
    this.paddedIndex = new Uint32Array(size);
    grid.paddedIndices(this.paddedIndex);
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.tmpIndex = new Uint32Array(size);
    this.tmpHi = new Uint32Array(size);
    this.tmpLo = new Uint32Array(size);
  }

  /**
   * Fills `order` for `values` (length `size`). Throws on NaN or infinite values, naming
   * the first offending index.
   */
  compute(values: Float32Array | Float64Array, superlevel: boolean): void {
    const n = this.size;
    const flip = superlevel ? 0xffffffff : 0;
    const wide = values instanceof Float64Array && !fitsFloat32(values);
    const { hi, lo, order, paddedIndex } = this;
    for (let i = 0; i < n; i++) {
      let x = values[i];
      if (x - x !== 0) throw new Error(`values: expected finite numbers, got ${x} at index ${i}`);
      if (x === 0) x = 0; // −0 and +0 are the same value: let the index break their tie
      order[i] = paddedIndex[i];
      if (wide) {
        this.f64[0] = x;
        let h = this.f64Words[1];
        let l = this.f64Words[0];
        if (h & 0x80000000) {
          h = ~h;
          l = ~l;
        } else h |= 0x80000000;
        hi[i] = (h ^ flip) >>> 0;
        lo[i] = (l ^ flip) >>> 0;
      } else {
        this.f32[0] = x;
        const w = this.f32Word[0];
        hi[i] = ((w & 0x80000000 ? ~w : w | 0x80000000) ^ flip) >>> 0;
      }
    }
    if (wide) {
      this.sortByWord(lo, hi, true);
    }
    this.sortByWord(hi, lo, wide);
  }

  /** Stable LSD passes over the three digits of `key`, carrying `other` when `carry` is set. */
  private sortByWord(key: Uint32Array, other: Uint32Array, carry: boolean): void {
    const n = this.size;
    const { counts } = this;
    let src = this.order;
    let srcKey = key;
    let srcOther = other;
    let dst = this.tmpIndex;
    let dstKey = this.tmpHi;
    let dstOther = this.tmpLo;
    for (let shift = 0; shift < 32; shift += RADIX_BITS) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(srcKey[i] >>> shift) & MASK]++;
      if (counts[(srcKey[0] >>> shift) & MASK] === n) continue; // every key shares this digit
      let sum = 0;
      for (let b = 0; b < BUCKETS; b++) {
        const c = counts[b];
        counts[b] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const k = srcKey[i];
        const j = counts[(k >>> shift) & MASK]++;
        dst[j] = src[i];
        dstKey[j] = k;
        if (carry) dstOther[j] = srcOther[i];
      }
      [src, dst] = [dst, src];
      [srcKey, dstKey] = [dstKey, srcKey];
      [srcOther, dstOther] = [dstOther, srcOther];
    }
    // Leave the result in the caller's arrays.
    if (src !== this.order) {
      this.order.set(src);
      key.set(srcKey);
      if (carry) other.set(srcOther);
    }
  }
}

function fitsFloat32(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Math.fround(x) !== x && x === x) return false;
  }
  return true;
}
