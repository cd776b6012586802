import { skeletonize } from '../../src/metrics/index';
import { removable } from '../../src/metrics/skeleton';
import { randomMask, referenceBetti } from './reference-topology';

function disc(h: number, w: number, inside: (y: number, x: number) => boolean): Uint8Array {
  const m = new Uint8Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = inside(y, x) ? 1 : 0;
  return m;
}

const count = (m: ArrayLike<number>) => Array.from(m).reduce((a, v) => a + (v ? 1 : 0), 0);

/** Every skeleton pixel lies in the mask. */
function expectInside(skeleton: Uint8Array, mask: ArrayLike<number>): void {
  for (let i = 0; i < skeleton.length; i++) if (skeleton[i] && !mask[i]) throw new Error(`pixel ${i} outside the mask`);
}

/** No 2 × 2 block entirely on the skeleton. */
function expectNoSquare(s: Uint8Array, h: number, w: number): void {
  for (let y = 0; y + 1 < h; y++)
    for (let x = 0; x + 1 < w; x++)
      if (s[y * w + x] && s[y * w + x + 1] && s[(y + 1) * w + x] && s[(y + 1) * w + x + 1])
        throw new Error(`a 2 × 2 block at (${y}, ${x})`);
}

describe('skeletonize', () => {
  test('a thick bar thins to a line one pixel wide, in its middle row', () => {
    const [h, w] = [15, 50];
    const bar = disc(h, w, (y, x) => y >= 4 && y <= 10 && x >= 5 && x <= 44);
    const s = skeletonize(bar, [h, w]);
    expectInside(s, bar);
    expect(referenceBetti(s, [h, w])).toEqual([1, 0]);
    // Away from the ends, each column holds exactly one skeleton pixel, on row 7.
    for (let x = 12; x <= 37; x++) {
      const column = Array.from({ length: h }, (_, y) => s[y * w + x]);
      expect(count(column)).toBe(1);
      expect(s[7 * w + x]).toBe(1);
    }
    expectNoSquare(s, h, w);
  });

  test('a ring stays a closed ring, one pixel thin', () => {
    const n = 31;
    const ring = disc(n, n, (y, x) => {
      const r = Math.hypot(y - 15, x - 15);
      return r >= 7 && r <= 12;
    });
    const s = skeletonize(ring, [n, n]);
    expectInside(s, ring);
    expect(referenceBetti(ring, [n, n])).toEqual([1, 1]);
    expect(referenceBetti(s, [n, n])).toEqual([1, 1]);
    expectNoSquare(s, n, n);
    // Thin: about the length of the middle circle (2π · 9.5 ≈ 60 px), far below the ring's area.
    expect(count(s)).toBeGreaterThan(40);
    expect(count(s)).toBeLessThan(90);
  });

  test('small shapes keep their topology (a 2 × 2 square, which Zhang–Suen erases, a diagonal pair, a pixel)', () => {
    const square = disc(4, 4, (y, x) => y >= 1 && y <= 2 && x >= 1 && x <= 2);
    expect(count(skeletonize(square, [4, 4]))).toBeGreaterThan(0);
    expect(referenceBetti(skeletonize(square, [4, 4]), [4, 4])).toEqual([1, 0]);
    const diagonal = [1, 0, 0, 1];
    expect(Array.from(skeletonize(diagonal, [2, 2]))).toEqual([1, 0, 0, 1]);
    expect(Array.from(skeletonize([0, 0, 0, 0, 5, 0, 0, 0, 0], [3, 3]))).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(skeletonize(new Float32Array(6), [2, 3]))).toEqual([0, 0, 0, 0, 0, 0]);
    // A 1-pixel line is its own skeleton (line ends kept).
    expect(Array.from(skeletonize([1, 1, 1, 1, 1], [1, 5]))).toEqual([1, 1, 1, 1, 1]);
  });

  test('random masks: the skeleton keeps β0 and β1, lies inside, and is thin (a fixed point)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const [h, w] = [5 + (seed % 17), 4 + ((seed * 7) % 23)];
      const mask = randomMask(h * w, 0.3 + 0.5 * ((seed % 5) / 4), seed);
      const s = skeletonize(mask, [h, w]);
      expectInside(s, mask);
      expect(referenceBetti(s, [h, w])).toEqual(referenceBetti(mask, [h, w]));
      expect(Array.from(skeletonize(s, [h, w]))).toEqual(Array.from(s));
    }
  });

  test('the simple-point test agrees with its definition on all 256 neighbourhoods', () => {
    // p (the centre of a 5 × 5 padded 3 × 3 window) is simple when its 8 neighbours hold exactly
    // one 8-connected foreground component and exactly one 4-connected background component
    // 4-adjacent to p, within the 3 × 3 window (and p has a background 4-neighbour).
    const pw = 5;
    const ring = Int32Array.from([1, 1 - pw, -pw, -pw - 1, -1, pw - 1, pw, pw + 1]);
    const cells: [number, number][] = [
      [0, 1],
      [-1, 1],
      [-1, 0],
      [-1, -1],
      [0, -1],
      [1, -1],
      [1, 0],
      [1, 1],
    ];
    for (let code = 0; code < 256; code++) {
      const image = new Uint8Array(25);
      const p = 2 * pw + 2;
      image[p] = 1;
      const on = (dy: number, dx: number) => (dy === 0 && dx === 0 ? 1 : image[p + dy * pw + dx]);
      cells.forEach(([dy, dx], k) => (image[p + dy * pw + dx] = (code >> k) & 1));
      const neighbours = cells.filter(([dy, dx]) => on(dy, dx));
      // 8-components of the foreground neighbours.
      const fg = components(neighbours, (a, b) => Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])) === 1);
      // 4-components of the background neighbours that contain a 4-neighbour of p.
      const empty = cells.filter(([dy, dx]) => !on(dy, dx));
      const bg = components(empty, (a, b) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) === 1).filter((c) =>
        c.some(([dy, dx]) => Math.abs(dy) + Math.abs(dx) === 1),
      );
      const simple = fg.length === 1 && bg.length === 1;
      expect([code, removable(image, p, ring)]).toEqual([code, simple && neighbours.length >= 2]);
    }
  });

  test('bad arguments', () => {
    expect(() => skeletonize(new Uint8Array(16), [2, 2, 2, 2])).toThrow(
      'shape: expected [H, W] or [D, H, W] of positive integers, got [2, 2, 2, 2]',
    );
    expect(() => skeletonize(new Uint8Array(5), [2, 3])).toThrow('mask: expected 6 entries for shape [2, 3], got 5');
    expect(() => skeletonize('abc' as never, [1, 3])).toThrow('mask: expected a typed array or an array of numbers');
  });
});

/** Components of `cells` under the adjacency `adjacent`. */
function components(cells: [number, number][], adjacent: (a: number[], b: number[]) => boolean): [number, number][][] {
  const left = [...cells];
  const out: [number, number][][] = [];
  while (left.length > 0) {
    const group = [left.pop()!];
    for (let grew = true; grew;) {
      grew = false;
      for (let i = left.length - 1; i >= 0; i--)
        if (group.some((g) => adjacent(g, left[i]))) {
          group.push(left.splice(i, 1)[0]);
          grew = true;
        }
    }
    out.push(group);
  }
  return out;
}
