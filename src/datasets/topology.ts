/**
 * The topology of a 2-D binary mask by flood fill, in the convention of the library's cubical
 * complexes of construction 'T' (each pixel a closed unit square; `segmentationMetrics` counts
 * Betti numbers that way too):
 *
 * - β0: the connected components of the foreground, pixels joined to all 8 neighbours;
 * - β1: the holes, i.e. the components of the background, pixels joined to their 4 edge
 *   neighbours, that do not touch the image border (the outside of the image counts as
 *   background, so a region open to the border is no hole).
 *
 * Foreground is any non-zero entry.
 */

const N8_DY = [-1, -1, -1, 0, 0, 1, 1, 1];
const N8_DX = [-1, 0, 1, -1, 1, -1, 0, 1];
const N4_DY = [-1, 0, 0, 1];
const N4_DX = [0, -1, 1, 0];

/**
 * Labels the components of the pixels with `mask[offset + i] !== 0` equal to `foreground`,
 * 8-connected for the foreground and 4-connected for the background. Writes the component of each
 * such pixel (0, 1, …) in `labels` (−1 elsewhere); returns, per component, its size and whether
 * it touches the border.
 */
function components(
  mask: ArrayLike<number>,
  offset: number,
  height: number,
  width: number,
  foreground: boolean,
  labels: Int32Array,
): { sizes: number[]; border: boolean[] } {
  const n = height * width;
  const stack = new Int32Array(n);
  const dy = foreground ? N8_DY : N4_DY;
  const dx = foreground ? N8_DX : N4_DX;
  const sizes: number[] = [];
  const border: boolean[] = [];
  labels.fill(-1, 0, n);
  for (let start = 0; start < n; start++) {
    if (labels[start] !== -1 || (mask[offset + start] !== 0) !== foreground) continue;
    const id = sizes.length;
    let size = 0;
    let touches = false;
    let top = 0;
    stack[top++] = start;
    labels[start] = id;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const y = (p / width) | 0;
      const x = p - y * width;
      if (y === 0 || x === 0 || y === height - 1 || x === width - 1) touches = true;
      for (let k = 0; k < dy.length; k++) {
        const yy = y + dy[k];
        const xx = x + dx[k];
        if (yy < 0 || xx < 0 || yy >= height || xx >= width) continue;
        const q = yy * width + xx;
        if (labels[q] !== -1 || (mask[offset + q] !== 0) !== foreground) continue;
        labels[q] = id;
        stack[top++] = q;
      }
    }
    sizes.push(size);
    border.push(touches);
  }
  return { sizes, border };
}

/**
 * β0 and β1 of each 2-D mask of a batch `[N, H, W]` (row-major), as `[β0, β1]` pairs in an
 * Int32Array of length 2N. See the file comment for the connectivity.
 */
export function maskBetti(masks: ArrayLike<number>, shape: readonly [number, number, number]): Int32Array {
  const [count, height, width] = shape;
  const out = new Int32Array(2 * count);
  const labels = new Int32Array(height * width);
  for (let m = 0; m < count; m++) {
    const offset = m * height * width;
    out[2 * m] = components(masks, offset, height, width, true, labels).sizes.length;
    out[2 * m + 1] = components(masks, offset, height, width, false, labels).border.filter((b) => !b).length;
  }
  return out;
}

/**
 * Fills the holes (4-connected background components off the border) of at most `maxArea` pixels
 * of one `[height, width]` mask, in place, and sets `fill` at them in `values` when given; returns
 * the number of pixels filled.
 */
export function fillSmallHoles(
  mask: Uint8Array,
  height: number,
  width: number,
  maxArea: number,
  values?: Float32Array,
  fill = 1,
): number {
  if (maxArea <= 0) return 0;
  const labels = new Int32Array(height * width);
  const { sizes, border } = components(mask, 0, height, width, false, labels);
  const small = sizes.map((s, i) => !border[i] && s <= maxArea);
  if (!small.includes(true)) return 0;
  let filled = 0;
  for (let p = 0; p < labels.length; p++) {
    const id = labels[p];
    if (id >= 0 && small[id]) {
      mask[p] = 1;
      if (values) values[p] = fill;
      filled++;
    }
  }
  return filled;
}
