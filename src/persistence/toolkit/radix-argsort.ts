import { describe } from '../../base/checks.js';
/**
 * Stable argsort of float keys: LSD radix sort of their order-preserving unsigned-integer images,
 * so ties keep index order for free and the cost is O(n) per digit. Float32 keys, and float64 keys
 * that are all float32 values, sort on one 32-bit word; other float64 keys on two.
 *
 * The image of a float: flip every bit of a negative one, only the sign bit of the others (IEEE
 * 754 bit patterns then compare as unsigned integers like the values); −0 is mapped to +0 first,
 * so that the two zeros tie and their indices decide. A descending sort complements the image.
 */
export class RadixArgsort {
  private order = new Uint32Array(0); // the result, at least as long as the longest input so far
  private tmpOrder = new Uint32Array(0);
  private hi = new Uint32Array(0); // most significant word of each key's image
  private lo = new Uint32Array(0); // least significant word (float64 keys only)
  private tmpHi = new Uint32Array(0);
  private tmpLo = new Uint32Array(0);
  private sorted = 0; // how many keys the last sort had
  private readonly counts = new Uint32Array(BUCKETS);
  private readonly f64 = new Float64Array(1);
  private readonly f64Words = new Uint32Array(this.f64.buffer);
  private readonly f32 = new Float32Array(1);
  private readonly f32Word = new Uint32Array(this.f32.buffer);

  /** Room for `capacity` keys now (more is made on demand). */
  constructor(capacity = 0) {
    this.reserve(capacity);
  }

  /**
   * Sorts keys[0..n) (finite numbers, or ±∞ too when `infinite`; else an error naming `name` and
   * the index) ascending, or descending. Returns the order: at rank r, payload[i] (i itself without
   * a payload) of the key i of rank r — a view of memory the next `sort` overwrites.
   */
  sort(
    keys: Float32Array | Float64Array,
    n: number,
    descending = false,
    payload?: Uint32Array,
    name = 'values',
    infinite = false,
  ): Uint32Array {
    const wide = keys instanceof Float64Array && !fitsFloat32(keys, n);
    this.reserve(n, wide);
    this.sorted = n;
    const flip = descending ? 0xffffffff : 0;
    const { hi, lo, order, f64, f64Words, f32, f32Word } = this;
    for (let i = 0; i < n; i++) {
      let x = keys[i];
      if (x - x !== 0 && !(infinite && Math.abs(x) === Infinity)) throw notFinite(name, x, i);
      if (x === 0) x = 0; // −0 and +0 are the same value: let the index break their tie
      order[i] = payload === undefined ? i : payload[i];
      if (wide) {
        f64[0] = x;
        let h = f64Words[1];
        let l = f64Words[0];
        if (h & 0x80000000) {
          h = ~h;
          l = ~l;
        } else h |= 0x80000000;
        hi[i] = (h ^ flip) >>> 0;
        lo[i] = (l ^ flip) >>> 0;
      } else {
        f32[0] = x;
        const w = f32Word[0];
        hi[i] = ((w & 0x80000000 ? ~w : w | 0x80000000) ^ flip) >>> 0;
      }
    }
    if (wide) this.sortByWord(n, this.lo, true);
    this.sortByWord(n, this.hi, false); // the last pass: lo is not read again
    return this.order.length === n ? this.order : this.order.subarray(0, n);
  }

  /**
   * The memory the last sort works in and no longer needs, free until the next sort: the inverse
   * of its order (at index i, the rank of key i, for its n keys) and two words for each of
   * `length` entries, as int32 (their contents undefined).
   */
  spare(length: number): { ranks: Uint32Array; wordsA: Int32Array; wordsB: Int32Array } {
    this.reserveScratch(length);
    const { order, tmpOrder: ranks, sorted: n } = this;
    for (let r = 0; r < n; r++) ranks[order[r]] = r;
    return {
      ranks: ranks.subarray(0, n),
      wordsA: new Int32Array(this.hi.buffer, 0, length),
      wordsB: new Int32Array(this.tmpHi.buffer, 0, length),
    };
  }

  /**
   * Stable LSD passes over the digits of `key` (hi or lo), moving `order` and, when `carry`, the
   * other word along. Passes in which every key shares its digit are skipped.
   */
  private sortByWord(n: number, key: Uint32Array<ArrayBuffer>, carry: boolean): void {
    const counts = this.counts;
    const onHi = key === this.hi;
    let src = this.order;
    let srcKey = key;
    let srcOther = onHi ? this.lo : this.hi;
    let dst = this.tmpOrder;
    let dstKey = onHi ? this.tmpHi : this.tmpLo;
    let dstOther = onHi ? this.tmpLo : this.tmpHi;
    for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(srcKey[i] >>> shift) & MASK]++;
      if (n === 0 || counts[(srcKey[0] >>> shift) & MASK] === n) continue;
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
    // Leave the result under the fields' names.
    if (src !== this.order) {
      this.order.set(src.subarray(0, n));
      key.set(srcKey.subarray(0, n));
      if (carry) (onHi ? this.lo : this.hi).set(srcOther.subarray(0, n));
    }
  }

  /**
   * Room for n keys (more is made on demand); the low words only for float64 keys that need them
   * (float32 ones never do). Reserving for the longest of several sorts at once leaves no garbage.
   */
  reserve(n: number, wide = false): void {
    if (this.order.length < n) this.order = new Uint32Array(n);
    this.reserveScratch(n);
    if (wide && this.lo.length < n) {
      this.lo = new Uint32Array(this.order.length);
      this.tmpLo = new Uint32Array(this.order.length);
    }
  }

  private reserveScratch(n: number): void {
    if (this.tmpOrder.length < n) {
      this.tmpOrder = new Uint32Array(n);
      this.hi = new Uint32Array(n);
      this.tmpHi = new Uint32Array(n);
    }
  }
}

/**
 * 11-bit digits: three passes per 32-bit word. (16-bit digits, two passes, measured no faster on
 * 512² to 2048² images and Rips edge lists here, the counts no longer fitting the L1 cache.)
 */
const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const MASK = BUCKETS - 1;

/** The error for a key that is NaN or infinite: `name`, what it got, and where. */
export function notFinite(name: string, x: number, i: number): Error {
  return new Error(`${name}: expected finite numbers, got ${describe(x)} at index ${i}`);
}

function fitsFloat32(values: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (Math.fround(x) !== x && x === x) return false;
  }
  return true;
}
