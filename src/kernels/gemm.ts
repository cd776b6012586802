/**
 * Plain-JavaScript matrix products on Float32Arrays for the cpu convolution kernels, and the im2col /
 * col2im moves between an NHWC image and the rows of its patches.
 *
 * The products keep a 4 × 4 block of C in local variables across the whole reduction (16 multiply-adds
 * for 8 loads), which V8 compiles to register arithmetic: ≈5 GFLOP/s on one core where a row-by-row
 * (axpy) loop reaches ≈3 and tfjs's own cpu matmul ≈0.8. Accumulation is in doubles. Nothing in them
 * allocates. Matrices are row-major with explicit leading dimensions (row strides) and offsets.
 */

/** C[M×N] = A[M×K]·B[K×N], or C += A·B when `accumulate`. */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  if (k < 4) {
    // A reduction too short for the blocks to pay (the gradient of a 1 × 1 convolution to one channel).
    for (let i = 0; i < m; i++) gemmRow(i, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    return;
  }
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const r0 = aOff + i * lda;
    const r1 = r0 + lda;
    const r2 = r1 + lda;
    const r3 = r2 + lda;
    // prettier-ignore
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, q = bOff + j; p < k; p++, q += ldb) {
        const b0 = b[q], b1 = b[q + 1], b2 = b[q + 2], b3 = b[q + 3];
        const a0 = a[r0 + p], a1 = a[r1 + p], a2 = a[r2 + p], a3 = a[r3 + p];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      let o = cOff + i * ldc + j;
      if (accumulate) {
        c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += ldc;
        c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += ldc;
        c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += ldc;
        c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
      } else {
        c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += ldc;
        c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += ldc;
        c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += ldc;
        c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
      }
    }
    for (let j = n4; j < n; j++)
      for (let r = 0; r < 4; r++) gemmCell(i + r, j, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
  }
  for (let i = m4; i < m; i++)
    for (let j = 0; j < n; j++) gemmCell(i, j, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
}

/** Row i of C = A·B, entry by entry. */
function gemmRow(
  i: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  const r = aOff + i * lda;
  const o = cOff + i * ldc;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0, q = bOff + j; p < k; p++, q += ldb) s += a[r + p] * b[q];
    c[o + j] = accumulate ? c[o + j] + s : s;
  }
}

/** One entry of C = A·B (the edges the 4 × 4 blocks leave). */
function gemmCell(
  i: number,
  j: number,
  k: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  let s = 0;
  for (let p = 0, r = aOff + i * lda, q = bOff + j; p < k; p++, q += ldb) s += a[r + p] * b[q];
  const o = cOff + i * ldc + j;
  c[o] = accumulate ? c[o] + s : s;
}

/**
 * C[K×N] += Aᵀ·B for A[P×K] and B[P×N] (the filter gradient: patches transposed times dy): both read
 * along their rows, 4 entries at a time.
 */
export function gemmAtB(
  p: number,
  k: number,
  n: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  const k4 = k - (k % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < k4; i += 4) {
    // prettier-ignore
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let t = 0, r = aOff + i, q = bOff + j; t < p; t++, r += lda, q += ldb) {
        const a0 = a[r], a1 = a[r + 1], a2 = a[r + 2], a3 = a[r + 3];
        const b0 = b[q], b1 = b[q + 1], b2 = b[q + 2], b3 = b[q + 3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      let o = cOff + i * ldc + j;
      c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += ldc;
      c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += ldc;
      c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += ldc;
      c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
    }
    for (let j = n4; j < n; j++)
      for (let r = 0; r < 4; r++) atbCell(i + r, j, p, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }
  for (let i = k4; i < k; i++) for (let j = 0; j < n; j++) atbCell(i, j, p, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
}

/** One entry of C += Aᵀ·B. */
function atbCell(
  i: number,
  j: number,
  p: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  let s = 0;
  for (let t = 0, r = aOff + i, q = bOff + j; t < p; t++, r += lda, q += ldb) s += a[r] * b[q];
  c[cOff + i * ldc + j] += s;
}

/** The geometry im2col needs (NHWC input [B, H, W, Ci], output [B, OH, OW, ·], filter KH × KW). */
export interface PatchGeometry {
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Rows m0 … m0 + rows − 1 of the patch matrix of x (one row per output pixel b·OH·OW + oh·OW + ow, its
 * KH·KW·Ci entries ordered as the filter [KH, KW, Ci]; zeros where the patch leaves the image), into
 * `col` from 0 with row stride KH·KW·Ci.
 */
export function im2col(x: Float32Array, g: PatchGeometry, m0: number, rows: number, col: Float32Array): void {
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = g;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = g;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = g;
  const k = kh * kw * ci;
  const plane = oh * ow;
  let b = Math.floor(m0 / plane);
  let y = Math.floor((m0 % plane) / ow);
  let xo = m0 % ow;
  for (let r = 0; r < rows; r++) {
    let dst = r * k;
    const base = b * h * w * ci;
    for (let i = 0; i < kh; i++) {
      const ih = y * sh - padTop + i * dh;
      if (ih < 0 || ih >= h) {
        col.fill(0, dst, dst + kw * ci);
        dst += kw * ci;
        continue;
      }
      const rowBase = base + ih * w * ci;
      for (let j = 0; j < kw; j++, dst += ci) {
        const iw = xo * sw - padLeft + j * dw;
        if (iw < 0 || iw >= w) col.fill(0, dst, dst + ci);
        else for (let c = 0, src = rowBase + iw * ci; c < ci; c++) col[dst + c] = x[src + c];
      }
    }
    if (++xo === ow) {
      xo = 0;
      if (++y === oh) {
        y = 0;
        b++;
      }
    }
  }
}

/** The adjoint of im2col: adds rows m0 … m0 + rows − 1 of a patch matrix `col` into the image dx. */
export function col2im(col: Float32Array, g: PatchGeometry, m0: number, rows: number, dx: Float32Array): void {
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = g;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = g;
  const { dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = g;
  const k = kh * kw * ci;
  const plane = oh * ow;
  let b = Math.floor(m0 / plane);
  let y = Math.floor((m0 % plane) / ow);
  let xo = m0 % ow;
  for (let r = 0; r < rows; r++) {
    let src = r * k;
    const base = b * h * w * ci;
    for (let i = 0; i < kh; i++) {
      const ih = y * sh - padTop + i * dh;
      if (ih < 0 || ih >= h) {
        src += kw * ci;
        continue;
      }
      const rowBase = base + ih * w * ci;
      for (let j = 0; j < kw; j++, src += ci) {
        const iw = xo * sw - padLeft + j * dw;
        if (iw >= 0 && iw < w) for (let c = 0, dst = rowBase + iw * ci; c < ci; c++) dx[dst + c] += col[src + c];
      }
    }
    if (++xo === ow) {
      xo = 0;
      if (++y === oh) {
        y = 0;
        b++;
      }
    }
  }
}
