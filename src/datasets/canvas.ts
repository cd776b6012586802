// Local aliases: the hot loops avoid looking up globals, which is slow in sandboxed contexts (jest's vm).
const { round, ceil } = Math;

/**
 * A mask and its foreground intensity, drawn together. Pixel (row y, column x) has its centre at
 * the point (x, y). The mask says where the structure is; the intensity (in [0, 1], the largest of
 * every stamp on a pixel) says how bright it is in the image: 0 along a gap, so the image loses
 * the structure there while the mask keeps it.
 */
export class Canvas {
  readonly mask: Uint8Array;
  readonly intensity: Float32Array;

  constructor(
    readonly height: number,
    readonly width: number,
  ) {
    this.mask = new Uint8Array(height * width);
    this.intensity = new Float32Array(height * width);
  }

  /** Marks pixel (x, y) (integers; ignored outside the image) with intensity `a`. */
  set(x: number, y: number, a: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const p = y * this.width + x;
    this.mask[p] = 1;
    if (a > this.intensity[p]) this.intensity[p] = a;
  }

  /**
   * A disc of diameter `width` centred at the point (x, y): every pixel whose centre lies within
   * width/2 of it, and always the pixel nearest to it. Consecutive stamps at most half a pixel
   * apart therefore draw an 8-connected stroke, even at width 1.
   */
  stamp(x: number, y: number, width: number, a: number): void {
    const cx = round(x);
    const cy = round(y);
    this.set(cx, cy, a);
    const r = width / 2;
    const reach = ceil(r);
    const r2 = r * r;
    for (let dy = -reach; dy <= reach; dy++) {
      const py = cy + dy;
      const ey = py - y;
      for (let dx = -reach; dx <= reach; dx++) {
        const px = cx + dx;
        const ex = px - x;
        if (ex * ex + ey * ey <= r2) this.set(px, py, a);
      }
    }
  }
}

/** A polyline sampled at most half a pixel apart, drawn with one width. */
export interface Stroke {
  readonly xs: number[];
  readonly ys: number[];
  readonly width: number;
}

/** Draws `stroke`, with intensity 0 on the samples where `gap[i]` is set. */
export function drawStroke(canvas: Canvas, stroke: Stroke, gap?: Uint8Array): void {
  const { xs, ys, width } = stroke;
  for (let i = 0; i < xs.length; i++) canvas.stamp(xs[i], ys[i], width, gap && gap[i] ? 0 : 1);
}
