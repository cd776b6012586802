import { bettiNumbers } from '../../src/metrics/betti';
import { skeletonize } from '../../src/metrics/skeleton';
import { mulberry32 } from '../reference/mulberry32';

// 3-D thinning: the skeleton lies inside the mask, has its Betti numbers (foreground 26-connected,
// background 6-connected: the 'T' construction, as the thinning), keeps no simple voxel but line
// ends, and thins a thick tube to a curve and a hollow ball to a closed surface.

const betti = (mask: ArrayLike<number>, [d, h, w]: number[]) =>
  Array.from(bettiNumbers(Float32Array.from(mask), [1, d, h, w], { construction: 'T' }));

/** 26-neighbours of voxel i inside the mask. */
function neighbours(mask: ArrayLike<number>, [d, h, w]: number[], i: number): number {
  const [z, y, x] = [Math.floor(i / (h * w)), Math.floor(i / w) % h, i % w];
  let n = 0;
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const [Z, Y, X] = [z + dz, y + dy, x + dx];
        if ((dz || dy || dx) && Z >= 0 && Y >= 0 && X >= 0 && Z < d && Y < h && X < w)
          n += mask[(Z * h + Y) * w + X] ? 1 : 0;
      }
  return n;
}

const seen: number[][] = [];

test.each([1, 2, 3, 4, 5, 6, 7, 8])(
  'random volume %i: inside the mask, same Betti numbers, no simple voxel left',
  (seed) => {
    const shape = [7, 8, 9];
    const random = mulberry32(seed);
    const density = 0.3 + 0.05 * seed;
    const mask = Uint8Array.from({ length: 7 * 8 * 9 }, () => (random() < density ? 1 : 0));
    const skeleton = skeletonize(mask, shape);
    expect(skeleton.every((s, i) => s <= mask[i])).toBe(true);
    expect(betti(skeleton, shape)).toEqual(betti(mask, shape));
    seen.push(betti(mask, shape));
    // Thinning again changes nothing: every remaining voxel is a line end or not simple.
    expect(Array.from(skeletonize(skeleton, shape))).toEqual(Array.from(skeleton));
  },
);

test('the random volumes have tunnels and cavities to keep', () => {
  expect(seen.some(([, b1]) => b1 > 0)).toBe(true);
  expect(seen.some(([, , b2]) => b2 > 0)).toBe(true);
});

test('a thick tube thins to a curve', () => {
  const shape = [5, 5, 16];
  const tube = Uint8Array.from({ length: 5 * 5 * 16 }, (_, i) => {
    const [z, y, x] = [Math.floor(i / 80), Math.floor(i / 16) % 5, i % 16];
    return z >= 1 && z <= 3 && y >= 1 && y <= 3 && x >= 2 && x <= 13 ? 1 : 0;
  });
  const skeleton = skeletonize(tube, shape);
  const voxels = skeleton.reduce((a, b) => a + b, 0);
  expect(betti(skeleton, shape)).toEqual([1, 0, 0]);
  expect(voxels).toBeGreaterThan(4);
  expect(voxels).toBeLessThanOrEqual(12);
  // A curve: every voxel has one or two skeleton neighbours.
  skeleton.forEach((s, i) => {
    if (s) expect(neighbours(skeleton, shape, i)).toBeGreaterThanOrEqual(1);
    if (s) expect(neighbours(skeleton, shape, i)).toBeLessThanOrEqual(2);
  });
});

test('a hollow ball keeps its cavity: a closed surface', () => {
  const n = 11;
  const shape = [n, n, n];
  const ball = Uint8Array.from({ length: n ** 3 }, (_, i) => {
    const [z, y, x] = [Math.floor(i / n ** 2) - 5, (Math.floor(i / n) % n) - 5, (i % n) - 5];
    const r2 = x * x + y * y + z * z;
    return r2 <= 20 && r2 > 6 ? 1 : 0;
  });
  expect(betti(ball, shape)).toEqual([1, 0, 1]);
  const skeleton = skeletonize(ball, shape);
  expect(betti(skeleton, shape)).toEqual([1, 0, 1]);
  expect(skeleton.reduce((a, b) => a + b, 0)).toBeLessThan(ball.reduce((a, b) => a + b, 0));
});
