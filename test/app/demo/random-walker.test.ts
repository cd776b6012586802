import { FIXTURES } from '../../reference/fixtures';
import * as fs from 'fs';
import * as path from 'path';
import {
  connectedComponents,
  quantileMarkers,
  randomWalkerProbabilities,
  randomWalkerSegmentation,
  randomWalkerSolve,
} from '../../../app/demo/random-walker';
import { mulberry32 } from '../../../src/base/random';

const EPS = 1e-10; // scikit-image's additive weight floor

/** Population standard deviation, as numpy's std(). */
function std(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i] - mean) ** 2;
  return Math.sqrt(v / values.length);
}

/** β making β / (10σ) = ln 2, so that w = 2^(−Δ²) + 1e-10: weights easy to do by hand. */
function betaForPowersOfTwo(image: Float64Array): number {
  return 10 * std(image) * Math.LN2;
}

/** Chain fg — u1 — u2 — bg with conductances a, b, c: p(u1), p(u2) from the 2×2 system (see the 1×4 test). */
function chain(a: number, b: number, c: number): [number, number] {
  const det = a * b + a * c + b * c;
  return [(a * (b + c)) / det, (a * b) / det];
}

describe('randomWalkerProbabilities: hand-solved cases', () => {
  test('1×3 strip [fg, ?, bg] with equal weights gives 1/2 in the middle', () => {
    // Δ = 1 on both edges, so both weights are equal whatever β is.
    const p = randomWalkerProbabilities(new Float64Array([0, 1, 2]), [1, 3], new Int8Array([1, 0, 2]));
    expect(Array.from(p)).toEqual([1, expect.closeTo(0.5, 12), 0]);
  });

  test('1×4 strip: exact harmonic values', () => {
    // image [0, 1, 3, 3], labels [fg, ?, ?, bg]; with β/(10σ) = ln 2 the weights are
    //   a = w01 = 2^-1 + ε,  b = w12 = 2^-4 + ε,  c = w23 = 2^0 + ε   (ε = 1e-10).
    // Unknowns p1, p2 with p0 = 1, p3 = 0:
    //   (a + b) p1 − b p2 = a
    //   −b p1 + (b + c) p2 = 0   ⇒ p2 = b p1 / (b + c)
    //   ⇒ p1 = a (b + c) / (ab + ac + bc),  p2 = ab / (ab + ac + bc).
    // Without ε: p1 = (1/2 · 17/16) / (1/32 + 1/2 + 1/16) = 17/19, p2 = (1/32) / (19/32) = 1/19.
    const image = new Float64Array([0, 1, 3, 3]);
    const p = randomWalkerProbabilities(image, [1, 4], new Int8Array([1, 0, 0, 2]), {
      beta: betaForPowersOfTwo(image),
      tolerance: 1e-13,
    });
    const [p1, p2] = chain(0.5 + EPS, 1 / 16 + EPS, 1 + EPS);
    expect(p[0]).toBe(1);
    expect(p[3]).toBe(0);
    expect(Math.abs(p[1] - p1)).toBeLessThan(1e-9);
    expect(Math.abs(p[2] - p2)).toBeLessThan(1e-9);
    expect(Math.abs(p[1] - 17 / 19)).toBeLessThan(1e-9);
    expect(Math.abs(p[2] - 1 / 19)).toBeLessThan(1e-9);
  });

  test('2×2: vertical edges, and the marker–marker edge plays no part', () => {
    // image [[0, 3], [1, 1]], labels [[fg, bg], [?, ?]]. The unknowns form the chain
    //   fg(0,0) —a— (1,0) —b— (1,1) —c— bg(0,1),  a = 2^-1 + ε (Δ = 1), b = 2^0 + ε (Δ = 0), c = 2^-4 + ε (Δ = 2),
    // so by the 1×4 solution p(1,0) = a (b + c) / (ab + ac + bc) ≈ 17/19 and p(1,1) = ab / (…) ≈ 16/19.
    const image = new Float64Array([0, 3, 1, 1]);
    const p = randomWalkerProbabilities(image, [2, 2], new Int8Array([1, 2, 0, 0]), {
      beta: betaForPowersOfTwo(image),
      tolerance: 1e-13,
    });
    const [p10, p11] = chain(0.5 + EPS, 1 + EPS, 1 / 16 + EPS);
    expect(Math.abs(p[2] - p10)).toBeLessThan(1e-9);
    expect(Math.abs(p[3] - p11)).toBeLessThan(1e-9);
    expect(Math.abs(p[2] - 17 / 19)).toBeLessThan(1e-9);
    expect(Math.abs(p[3] - 16 / 19)).toBeLessThan(1e-9);
    expect([p[0], p[1]]).toEqual([1, 0]);
  });

  test('constant image (σ = 0) uses uniform weights instead of NaN', () => {
    const p = randomWalkerProbabilities(new Float64Array(5).fill(7), [1, 5], new Int8Array([1, 0, 0, 0, 2]));
    expect(Array.from(p).map((v) => Number(v.toFixed(9)))).toEqual([1, 0.75, 0.5, 0.25, 0]);
  });

  test('a single marker class decides everything', () => {
    const image = new Float64Array([0, 5, 1, 9]);
    expect(Array.from(randomWalkerProbabilities(image, [2, 2], new Int8Array([1, 0, 0, 0])))).toEqual([1, 1, 1, 1]);
    expect(Array.from(randomWalkerProbabilities(image, [2, 2], new Int8Array([0, 0, 2, 0])))).toEqual([0, 0, 0, 0]);
  });
});

/** Dense reference: assemble L_UU and b = −L_UM p_M explicitly and solve by Gaussian elimination with pivoting. */
function denseRandomWalker(
  image: Float64Array,
  [h, w]: [number, number],
  labels: Int8Array,
  beta: number,
): Float64Array {
  const n = h * w;
  const s = std(image);
  const weight = (i: number, j: number) => Math.exp((-beta / (10 * s)) * (image[i] - image[j]) ** 2) + EPS;
  const unknown: number[] = [];
  const index = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) if (labels[i] === 0) index[i] = unknown.push(i) - 1;
  const m = unknown.length;
  const A = Array.from({ length: m }, () => new Float64Array(m + 1)); // augmented [L_UU | b]
  for (let r = 0; r < m; r++) {
    const i = unknown[r];
    const y = Math.floor(i / w);
    const x = i % w;
    const neighbours = [
      [y - 1, x],
      [y + 1, x],
      [y, x - 1],
      [y, x + 1],
    ]
      .filter(([yy, xx]) => yy >= 0 && yy < h && xx >= 0 && xx < w)
      .map(([yy, xx]) => yy * w + xx);
    for (const j of neighbours) {
      const wij = weight(i, j);
      A[r][r] += wij;
      if (labels[j] === 0) A[r][index[j]] -= wij;
      else if (labels[j] === 1) A[r][m] += wij;
    }
  }
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let r = c + 1; r < m; r++) {
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= m; k++) A[r][k] -= f * A[c][k];
    }
  }
  const xU = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let v = A[r][m];
    for (let k = r + 1; k < m; k++) v -= A[r][k] * xU[k];
    xU[r] = v / A[r][r];
  }
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = labels[i] === 1 ? 1 : labels[i] === 2 ? 0 : xU[index[i]];
  return p;
}

const PRECONDITIONERS = ['auto', 'mic', 'tree'] as const;

describe('randomWalkerProbabilities vs a dense direct solve', () => {
  // Half the images are on [0, 1], half on [0, 255]: with scikit-image's σ (not σ²) normalisation the latter make
  // most weights underflow to the 1e-10 floor, the nearly singular case that plain Jacobi-CG gets wrong.
  const rand = mulberry32(7);
  for (let trial = 0; trial < 12; trial++) {
    const beta = [130, 10, 1, 500][trial % 4];
    const range = trial % 2 ? 255 : 1;
    const image = new Float64Array(42).map(() => range * rand());
    const labels = new Int8Array(42);
    // Random markers, always at least one of each class.
    labels[Math.floor(rand() * 21)] = 1;
    labels[21 + Math.floor(rand() * 21)] = 2;
    for (let i = 0; i < 42; i++) if (labels[i] === 0 && rand() < 0.2) labels[i] = rand() < 0.5 ? 1 : 2;
    test.each(PRECONDITIONERS)(
      `random 6×7 image #${trial} on [0, ${range}], β = ${beta}, preconditioner %s`,
      (preconditioner) => {
        const p = randomWalkerProbabilities(image, [6, 7], labels, { beta, preconditioner });
        const ref = denseRandomWalker(image, [6, 7], labels, beta);
        for (let i = 0; i < 42; i++) expect(Math.abs(p[i] - ref[i])).toBeLessThan(1e-6);
      },
    );
  }
});

interface SkimageFixture {
  name: string;
  shape: [number, number];
  beta: number;
  mode: string;
  image: number[];
  labels: number[];
  probabilities: number[];
}

describe('randomWalkerProbabilities vs scikit-image', () => {
  // Written by test/fixtures/make_random_walker_fixtures.py (skimage.segmentation.random_walker, return_full_prob).
  const file = path.join(FIXTURES, 'random-walker.json');
  const { fixtures } = JSON.parse(fs.readFileSync(file, 'utf8')) as { fixtures: SkimageFixture[] };
  test.each(fixtures.flatMap((f) => PRECONDITIONERS.map((pre) => [f.name, pre, f] as const)))(
    '%s, preconditioner %s',
    (_name, preconditioner, f) => {
      const p = randomWalkerProbabilities(new Float64Array(f.image), f.shape, Int8Array.from(f.labels), {
        beta: f.beta,
        tolerance: 1e-10,
        preconditioner,
      });
      // The pocket fixture (scikit-image's direct solve, mode 'bf') hangs on 1e-10 edges next to weights ≈ 1, so its
      // values are only defined to about 1e-16 / 1e-10 = 1e-6 in double precision, for scikit-image as for us.
      const within = f.name.startsWith('walled-pocket') ? 2e-6 : 1e-6;
      for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - f.probabilities[i])).toBeLessThan(within);
    },
  );

  test.each(PRECONDITIONERS)(
    'the walled-off pocket takes the value its 1e-10 edges imply, not the starting guess (%s)',
    (preconditioner) => {
      // Plain Jacobi-CG stops with the pocket still at 0: its residual there is only ~1e-10.
      const f = fixtures.find((x) => x.name.startsWith('walled-pocket'))!;
      const p = randomWalkerProbabilities(new Float64Array(f.image), f.shape, Int8Array.from(f.labels), {
        beta: f.beta,
        preconditioner,
      });
      // Pocket = rows/cols 3..5 of the 9×9 image: ≈ constant, the mean of the ring values next to it (22/45).
      for (const i of [30, 31, 32, 39, 40, 41, 48, 49, 50]) expect(Math.abs(p[i] - 22 / 45)).toBeLessThan(1e-5);
    },
  );

  test('quantile markers in the fixture agree with quantileMarkers', () => {
    const f = fixtures.find((x) => x.name.startsWith('blobs'))!;
    expect(Array.from(quantileMarkers(new Float64Array(f.image), 0.2))).toEqual(f.labels);
  });
});

describe('randomWalkerSegmentation', () => {
  test('thresholds the probabilities at 1/2', () => {
    const image = new Float64Array([0, 1, 3, 3]);
    const seg = randomWalkerSegmentation(image, [1, 4], new Int8Array([1, 0, 0, 2]), {
      beta: betaForPowersOfTwo(image),
    });
    expect(Array.from(seg)).toEqual([1, 1, 0, 0]); // p ≈ [1, 17/19, 1/19, 0]
  });

  // Two bright blobs on noise. On [0, 1] the weights are moderate and MIC solves it; on [0, 255] (the paper's
  // scale) scikit-image's formula drives most weights to the 1e-10 floor, MIC breaks down and the tree takes over.
  const [h, w] = [256, 256];
  const rand = mulberry32(3);
  const blobs = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const blob = (cy: number, cx: number, r: number) => Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * r * r));
      blobs[y * w + x] = Math.min(255, 215 * Math.max(blob(70, 70, 25), blob(180, 170, 30)) + 40 * rand());
    }
  }
  test.each([
    ['[0, 1]', 1 / 255, 'mic'],
    ['[0, 255]', 1, 'tree'],
  ] as const)(
    '256×256 blobs on %s, q = 0.1: in [0, 1], harmonic at unknowns, two blobs found',
    (_range, scale, expected) => {
      const image = new Float32Array(blobs.map((v) => v * scale));
      const labels = quantileMarkers(image, 0.1);
      const beta = 130;
      const { probabilities: p, preconditioner } = randomWalkerSolve(image, [h, w], labels, { beta });
      expect(preconditioner).toBe(expected);
      // Maximum principle, and every unlabeled pixel is the weighted mean of its neighbours (to the CG tolerance).
      const s = std(image);
      const wt = (i: number, j: number) => Math.exp((-beta / (10 * s)) * (image[i] - image[j]) ** 2) + EPS;
      let lo = Infinity;
      let hi = -Infinity;
      let worst = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const i = y * w + x;
          lo = Math.min(lo, p[i]);
          hi = Math.max(hi, p[i]);
          if (labels[i] !== 0) continue;
          let num = 0;
          let den = 0;
          for (const j of [y > 0 ? i - w : -1, y < h - 1 ? i + w : -1, x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1]) {
            if (j < 0) continue;
            num += wt(i, j) * p[j];
            den += wt(i, j);
          }
          worst = Math.max(worst, Math.abs(p[i] - num / den));
        }
      }
      expect([lo, hi]).toEqual([0, 1]);
      expect(worst).toBeLessThan(1e-6);
      const seg = randomWalkerSegmentation(image, [h, w], labels, { beta });
      for (let i = 0; i < p.length; i++)
        if (seg[i] !== (p[i] > 0.5 ? 1 : 0)) throw new Error(`segmentation differs at ${i}`);
      expect(connectedComponents(seg, [h, w]).count).toBe(2);
    },
  );
});

describe('quantileMarkers', () => {
  test('ranks by value, ties by index', () => {
    // values:  0  1  2  3  4  5  6  7  8  9   (index)
    //          5, 1, 5, 1, 3, 5, 1, 3, 9, 1
    // ascending rank (ties by index): 1@1, 1@3, 1@6, 1@9, 3@4, 3@7, 5@0, 5@2, 5@5, 9@8
    const image = new Float64Array([5, 1, 5, 1, 3, 5, 1, 3, 9, 1]);
    // q = 0.3 → k = 3: bottom = indices 1, 3, 6 (the 1 at index 9 is left out); top = 8, 5, 2 (the 5 at 0 is left out).
    expect(Array.from(quantileMarkers(image, 0.3))).toEqual([0, 2, 1, 2, 0, 1, 2, 0, 1, 0]);
    // q = 0.5 → k = 5: everything is a marker.
    expect(Array.from(quantileMarkers(image, 0.5))).toEqual([1, 2, 1, 2, 2, 1, 2, 1, 1, 2]);
    // q = 0.15 → k = 1.
    expect(Array.from(quantileMarkers(new Float32Array(image), 0.15))).toEqual([0, 2, 0, 0, 0, 0, 0, 0, 1, 0]);
  });

  test('counts are ⌊q·n⌋ even when q·n rounds below an integer', () => {
    const labels = quantileMarkers(
      new Float64Array(100).map((_, i) => i),
      0.29,
    );
    expect(labels.filter((l) => l === 1).length).toBe(29);
    expect(labels.filter((l) => l === 2).length).toBe(29);
  });
});

describe('connectedComponents', () => {
  test('4- vs 8-connectivity differ on a diagonal pair', () => {
    const mask = new Uint8Array([1, 0, 0, 0, 1, 0, 0, 0, 0]);
    const four = connectedComponents(mask, [3, 3]);
    expect(four.count).toBe(2);
    expect(Array.from(four.labels)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 0]);
    const eight = connectedComponents(mask, [3, 3], 8);
    expect(eight.count).toBe(1);
    expect(Array.from(eight.labels)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  test('U shape, ring with a hole, empty and full masks', () => {
    const u = new Uint8Array([1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1]);
    const r4 = connectedComponents(u, [4, 4], 4);
    expect(r4.count).toBe(2);
    expect(Array.from(r4.labels)).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 2]);
    expect(connectedComponents(u, [4, 4], 8).count).toBe(1);
    const ring = new Uint8Array([1, 1, 1, 1, 0, 1, 1, 1, 1]);
    expect(connectedComponents(ring, [3, 3]).count).toBe(1);
    expect(connectedComponents(new Uint8Array(6), [2, 3]).count).toBe(0);
    expect(connectedComponents(new Uint8Array(6).fill(1), [2, 3]).count).toBe(1);
  });
});

describe('argument validation', () => {
  const image = new Float64Array(4);
  const labels = new Int8Array([1, 0, 0, 2]);
  test.each([
    ['image type', () => randomWalkerProbabilities([0, 0, 0, 0] as unknown as Float64Array, [2, 2], labels), /image/],
    ['image length', () => randomWalkerProbabilities(new Float64Array(3), [2, 2], labels), /image/],
    ['image NaN', () => randomWalkerProbabilities(new Float64Array([0, NaN, 0, 0]), [2, 2], labels), /image/],
    ['shape', () => randomWalkerProbabilities(image, [2, 2.5] as [number, number], labels), /shape/],
    ['shape rank', () => randomWalkerProbabilities(image, [4] as unknown as [number, number], labels), /shape/],
    [
      'labels type',
      () => randomWalkerProbabilities(image, [2, 2], new Uint8Array(4) as unknown as Int8Array),
      /labels/,
    ],
    ['labels length', () => randomWalkerProbabilities(image, [2, 2], new Int8Array(5)), /labels/],
    ['labels value', () => randomWalkerProbabilities(image, [2, 2], new Int8Array([1, 3, 0, 2])), /labels/],
    ['labels none', () => randomWalkerProbabilities(image, [2, 2], new Int8Array(4)), /labels/],
    ['beta', () => randomWalkerProbabilities(image, [2, 2], labels, { beta: -1 }), /beta/],
    ['tolerance', () => randomWalkerProbabilities(image, [2, 2], labels, { tolerance: 0 }), /tolerance/],
    ['maxIterations', () => randomWalkerProbabilities(image, [2, 2], labels, { maxIterations: 1.5 }), /maxIterations/],
    [
      'preconditioner',
      () => randomWalkerProbabilities(image, [2, 2], labels, { preconditioner: 'ilu' as 'mic' }),
      /preconditioner/,
    ],
    ['options', () => randomWalkerProbabilities(image, [2, 2], labels, null as unknown as object), /options/],
    ['q = 0', () => quantileMarkers(image, 0), /q/],
    ['q > 0.5', () => quantileMarkers(image, 0.6), /q/],
    ['mask values', () => connectedComponents(new Uint8Array([0, 255, 0, 0]), [2, 2]), /mask/],
    ['connectivity', () => connectedComponents(new Uint8Array(4), [2, 2], 6 as 4), /connectivity/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  test('non-convergence within maxIterations throws', () => {
    const big = new Float64Array(100).map((_, i) => i % 7);
    const l = new Int8Array(100);
    l[0] = 1;
    l[99] = 2;
    expect(() => randomWalkerProbabilities(big, [10, 10], l, { maxIterations: 2 })).toThrow(/maxIterations/);
  });
});
