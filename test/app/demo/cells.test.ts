import { syntheticCells } from '../../../app/demo/cells';
import { cubicalPersistence } from '../../../src/persistence/cubical/cubical';

/**
 * Loops of the image in the filtration where the dark membranes enter first (sublevel): each
 * closed cell is an H1 class born when its membrane closes and dying when its interior fills.
 */
function loops(image: Float32Array, shape: [number, number], minLifetime: number): number {
  const [d] = cubicalPersistence(image, shape, { dims: [1] });
  let n = 0;
  for (let i = 0; i < d.births.length; i++) if (d.deaths[i] - d.births[i] > minLifetime) n++;
  return n;
}

describe('syntheticCells', () => {
  test('deterministic for a seed; another seed differs', () => {
    const a = syntheticCells({ size: 96, cells: 12, gaps: 4, seed: 5 });
    const b = syntheticCells({ size: 96, cells: 12, gaps: 4, seed: 5 });
    const c = syntheticCells({ size: 96, cells: 12, gaps: 4, seed: 6 });
    expect(b.image).toEqual(a.image);
    expect(b.membranes).toEqual(a.membranes);
    expect(c.image).not.toEqual(a.image);
    expect(c.membranes).not.toEqual(a.membranes);
  });

  test('shape, types and value range: float32 min–max scaled to exactly [0, 255]', () => {
    const { image, shape, membranes } = syntheticCells({ seed: 1 });
    expect(shape).toEqual([256, 256]);
    expect(image).toBeInstanceOf(Float32Array);
    expect(membranes).toBeInstanceOf(Uint8Array);
    expect(image).toHaveLength(256 * 256);
    expect(membranes).toHaveLength(256 * 256);
    let lo = Infinity;
    let hi = -Infinity;
    let finite = true;
    for (const v of image) {
      finite &&= Number.isFinite(v);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(finite).toBe(true);
    expect(lo).toBe(0);
    expect(hi).toBe(255);
    expect(membranes.every((m) => m === 0 || m === 1)).toBe(true);
    // ~2 px thick membranes around ~40 cells of a 256² image: a small fraction of the pixels.
    const fraction = membranes.reduce((s, m) => s + m, 0) / membranes.length;
    expect(fraction).toBeGreaterThan(0.04);
    expect(fraction).toBeLessThan(0.15);
  });

  test('membranes are darker than cell interiors', () => {
    for (const seed of [0, 1]) {
      const { image, membranes } = syntheticCells({ seed });
      let m = 0;
      let nm = 0;
      let c = 0;
      let nc = 0;
      image.forEach((v, i) => (membranes[i] ? ((m += v), nm++) : ((c += v), nc++)));
      expect(m / nm).toBeLessThan(c / nc - 60);
    }
  });

  test('gaps break loops: fewer persistent H1 classes than the same image without gaps', () => {
    for (const seed of [0, 1, 2]) {
      const closed = syntheticCells({ seed, gaps: 0 });
      const broken = syntheticCells({ seed, gaps: 12 });
      // The gaps do not change the ground truth, only the image.
      expect(broken.membranes).toEqual(closed.membranes);
      const nClosed = loops(closed.image, closed.shape, 70);
      const nBroken = loops(broken.image, broken.shape, 70);
      expect(nClosed).toBeGreaterThanOrEqual(12); // the inner cells are loops
      expect(nBroken).toBeLessThan(nClosed);
      expect(nClosed - nBroken).toBeGreaterThanOrEqual(4);
    }
  });

  test('noise-free, blur-free image: exactly two values, membranes at the bottom', () => {
    const { image, membranes } = syntheticCells({ size: 64, cells: 6, gaps: 0, noise: 0, blur: 0, seed: 3 });
    expect(image.every((v, i) => v === (membranes[i] ? 0 : 255))).toBe(true);
    expect(membranes.some((m) => m === 1)).toBe(true);
  });

  test('faded gaps (gapDepth < 1) are darker than clean breaks', () => {
    const opts = { size: 128, cells: 12, gaps: 6, noise: 0, blur: 0, seed: 4 };
    const full = syntheticCells(opts);
    const faded = syntheticCells({ ...opts, gapDepth: 0.5 });
    let changed = 0;
    full.image.forEach((v, i) => {
      if (full.membranes[i] && v === 255) {
        changed++;
        expect(faded.image[i]).toBeCloseTo(127.5, 3);
      }
    });
    expect(changed).toBeGreaterThan(6 * 5); // every gap clears several membrane pixels
  });

  test('validation errors name the option', () => {
    expect(() => syntheticCells({ size: 4 })).toThrow(/options\.size/);
    expect(() => syntheticCells({ cells: 1 })).toThrow(/options\.cells/);
    expect(() => syntheticCells({ gaps: -1 })).toThrow(/options\.gaps/);
    expect(() => syntheticCells({ gaps: 1.5 })).toThrow(/options\.gaps/);
    expect(() => syntheticCells({ noise: -0.1 })).toThrow(/options\.noise/);
    expect(() => syntheticCells({ blur: NaN })).toThrow(/options\.blur/);
    expect(() => syntheticCells({ gapDepth: 0 })).toThrow(/options\.gapDepth/);
    expect(() => syntheticCells({ seed: 0.5 })).toThrow(/options\.seed/);
    expect(() => syntheticCells(null as never)).toThrow(/^options:/);
  });
});
