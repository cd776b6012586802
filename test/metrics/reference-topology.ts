// Independent topology counts for binary masks, written as plainly as possible, for checking the
// metrics (cubical engine) and the datasets (their own flood fill) against:
//
// - flood fill: foreground components with 8 neighbours (26 in 3-D); holes (cavities) as the
//   background components with 4 neighbours (6 in 3-D) of the mask padded by one background ring,
//   minus the one that holds the ring (the outside);
// - the Euler characteristic χ = V − E + F (− C) of the union of the closed pixels (voxels),
//   counting each vertex, edge, square (and cube) of that union once; in 3-D, β1 = β0 + β2 − χ.

/** Components of the cells where `inside(i)` holds, joined by the neighbour lists `neighbours(i)`. */
function countComponents(size: number, inside: (i: number) => boolean, neighbours: (i: number) => number[]): number {
  const seen = new Uint8Array(size);
  let count = 0;
  for (let s = 0; s < size; s++) {
    if (seen[s] || !inside(s)) continue;
    count++;
    const queue = [s];
    seen[s] = 1;
    while (queue.length > 0) {
      const p = queue.pop()!;
      for (const q of neighbours(p))
        if (!seen[q] && inside(q)) {
          seen[q] = 1;
          queue.push(q);
        }
    }
  }
  return count;
}

/** Offsets (dz, dy, dx) of the neighbours: 'faces' (4 / 6), 'all' (8 / 26). */
function offsets(rank: 2 | 3, kind: 'faces' | 'all'): number[][] {
  const out: number[][] = [];
  const zs = rank === 3 ? [-1, 0, 1] : [0];
  for (const dz of zs)
    for (const dy of [-1, 0, 1])
      for (const dx of [-1, 0, 1]) {
        const n = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
        if (n === 0 || (kind === 'faces' && n > 1)) continue;
        out.push([dz, dy, dx]);
      }
  return out;
}

/** [β0, β_{top}] by flood fill of a 2-D `[H, W]` or 3-D `[D, H, W]` mask (non-zero = foreground). */
export function floodFill(mask: ArrayLike<number>, shape: readonly number[]): { components: number; holes: number } {
  const [d, h, w] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
  const rank = shape.length as 2 | 3;
  const at = (z: number, y: number, x: number) => (z * h + y) * w + x;
  const fg = offsets(rank, 'all');
  const components = countComponents(
    d * h * w,
    (i) => mask[i] !== 0,
    (i) => {
      const x = i % w;
      const y = Math.floor(i / w) % h;
      const z = Math.floor(i / (w * h));
      const out: number[] = [];
      for (const [dz, dy, dx] of fg) {
        const [zz, yy, xx] = [z + dz, y + dy, x + dx];
        if (zz >= 0 && yy >= 0 && xx >= 0 && zz < d && yy < h && xx < w) out.push(at(zz, yy, xx));
      }
      return out;
    },
  );
  // The padded mask: one background ring around everything (in-plane only for images).
  const pz = rank === 3 ? d + 2 : 1;
  const [ph, pw] = [h + 2, w + 2];
  const oz = rank === 3 ? 1 : 0;
  const padded = new Uint8Array(pz * ph * pw);
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) padded[((z + oz) * ph + y + 1) * pw + x + 1] = mask[at(z, y, x)] !== 0 ? 1 : 0;
  const bg = offsets(rank, 'faces');
  const background = countComponents(
    pz * ph * pw,
    (i) => padded[i] === 0,
    (i) => {
      const x = i % pw;
      const y = Math.floor(i / pw) % ph;
      const z = Math.floor(i / (pw * ph));
      const out: number[] = [];
      for (const [dz, dy, dx] of bg) {
        const [zz, yy, xx] = [z + dz, y + dy, x + dx];
        if (zz >= 0 && yy >= 0 && xx >= 0 && zz < pz && yy < ph && xx < pw) out.push((zz * ph + yy) * pw + xx);
      }
      return out;
    },
  );
  return { components, holes: background - 1 };
}

/** χ of the union of the closed foreground pixels (2-D) or voxels (3-D). */
export function eulerCharacteristic(mask: ArrayLike<number>, shape: readonly number[]): number {
  const [d, h, w] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
  const rank = shape.length;
  // Cells of the closure, keyed by doubled coordinates (odd along the axes a cell spans).
  const cells = new Set<string>();
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if (mask[(z * h + y) * w + x] === 0) continue;
        for (const cz of rank === 3 ? [0, 1, 2] : [1])
          for (const cy of [0, 1, 2])
            for (const cx of [0, 1, 2]) cells.add(`${2 * z + cz},${2 * y + cy},${2 * x + cx}`);
      }
  let chi = 0;
  for (const key of cells) {
    const coords = key.split(',').map(Number);
    const used = rank === 3 ? coords : coords.slice(1);
    const dim = used.filter((c) => c % 2 === 1).length;
    chi += dim % 2 === 0 ? 1 : -1;
  }
  return chi;
}

/** Betti numbers [β0, β1] (2-D) or [β0, β1, β2] (3-D) by flood fill and, for β1 in 3-D, the Euler characteristic. */
export function referenceBetti(mask: ArrayLike<number>, shape: readonly number[]): number[] {
  const { components, holes } = floodFill(mask, shape);
  if (shape.length === 2) return [components, holes];
  return [components, components + holes - eulerCharacteristic(mask, shape), holes];
}

/** A seeded random binary mask with foreground fraction about `density`. */
export function randomMask(size: number, density: number, seed: number): Uint8Array {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = next() < density ? 1 : 0;
  return out;
}
