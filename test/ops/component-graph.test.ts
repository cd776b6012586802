import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { losses } from '../../src';
import { ComponentGraph } from '../../src/ops/component-graph';
import { LabelTerm } from '../../src/ops/label-term';
import { analyticGradient, numericGradient } from '../reference/gradient-check';
import { mulberry32 } from '../reference/mulberry32';

// The component-graph term (Topograph-style): which error regions of the overlay are critical, on
// hand-drawn cases of every kind of topological error; on random masks, that flipping a regular
// region changes the Betti numbers of neither the prediction nor the label (and that all-regular
// overlays have equal Betti numbers), by an independent flood fill; the value from its definition;
// its gradient against finite differences; and the term through the losses.

/** A row-major mask from lines of '#' (1) and '.' (0). */
const grid = (...rows: string[]): Float32Array =>
  Float32Array.from(rows.flatMap((r) => [...r].map((c) => (c === '#' ? 1 : 0))));

/** The critical regions of the overlay of `pred` on `label` as a picture: '+' / '-' where critical. */
function criticalPicture(pred: Float32Array, label: Float32Array, height: number): string[] {
  const width = pred.length / height;
  const weights = new ComponentGraph(0.5).criticalRegions(pred, label, [height, width]);
  return Array.from({ length: height }, (_, y) =>
    Array.from(weights.subarray(y * width, (y + 1) * width), (w) => (w > 0 ? '+' : w < 0 ? '-' : '.')).join(''),
  );
}

describe('critical regions on hand-drawn overlays', () => {
  const label = grid(
    '..........', //
    '.####.....',
    '.####.....',
    '.####.....',
    '..........',
    '..........',
  );

  test('a slightly larger or smaller prediction is regular everywhere', () => {
    const larger = grid('..........', '.#####....', '.####.....', '.####.....', '.####.....', '..........');
    expect(criticalPicture(larger, label, 6).join('')).not.toMatch(/[+-]/);
    const smaller = grid('..........', '.###......', '.####.....', '.####.....', '..........', '..........');
    expect(criticalPicture(smaller, label, 6).join('')).not.toMatch(/[+-]/);
  });

  test('a spurious blob (no true-positive neighbour) is critical, the rest regular', () => {
    const pred = grid('..........', '.####.....', '.####...##', '.####...##', '..........', '..........');
    expect(criticalPicture(pred, label, 6)).toEqual([
      '..........',
      '..........',
      '........++',
      '........++',
      '..........',
      '..........',
    ]);
  });

  test('a missed component and a gap in a line are critical false negatives', () => {
    const twoParts = grid('..........', '.######...', '..........', '......##..', '......##..', '..........');
    const pred = grid('..........', '.##.###...', '..........', '..........', '..........', '..........');
    expect(criticalPicture(pred, twoParts, 6)).toEqual([
      '..........',
      '...-......', // the gap: two true-positive neighbours
      '..........',
      '......--..', // the missed blob: none
      '......--..',
      '..........',
    ]);
  });

  test('a false bridge between two components is critical', () => {
    const two = grid('..........', '.###..###.', '.###..###.', '..........');
    const bridged = grid('..........', '.########.', '.###..###.', '..........');
    expect(criticalPicture(bridged, two, 4)).toEqual(['..........', '....++....', '..........', '..........']);
  });

  test('a filled hole, a false hole and a closed gap are critical', () => {
    const ring = grid('.......', '.#####.', '.#...#.', '.#...#.', '.#####.', '.......');
    const filledPart = grid('.......', '.#####.', '.##..#.', '.#...#.', '.#####.', '.......');
    expect(criticalPicture(filledPart, ring, 6).join('')).not.toMatch(/[+-]/); // the hole is still open
    const filled = grid('.......', '.#####.', '.#####.', '.#####.', '.#####.', '.......');
    expect(criticalPicture(filled, ring, 6)[2]).toBe('..+++..');
    // The reverse: a hole predicted inside a solid label (a false negative with no true negative).
    expect(criticalPicture(ring, filled, 6)[2]).toBe('..---..');
    // A C whose gap the prediction closes: the region separates the background inside from outside.
    const c = grid('.......', '.#####.', '.#...#.', '.#.....', '.#####.', '.......');
    expect(criticalPicture(ring, c, 6)).toEqual(['.......', '.......', '.......', '.....+.', '.......', '.......']);
    // Background meets a region through a corner too (it is 8-connected): a false positive whose
    // four neighbours are true positives but whose corner opens onto the background is regular.
    const notch = grid('.....', '.##..', '.#.#.', '.###.', '.....');
    const closed = grid('.....', '.##..', '.###.', '.###.', '.....');
    expect(criticalPicture(closed, notch, 5).join('')).not.toMatch(/[+-]/);
    // But a pixel joining four separate arms is a bridge (four true-positive neighbours).
    const arms = grid('.....', '..#..', '.#.#.', '..#..', '.....');
    const plus = grid('.....', '..#..', '.###.', '..#..', '.....');
    expect(criticalPicture(plus, arms, 5)[2]).toBe('..+..');
  });
});

// --- Random overlays against an independent flood fill -------------------------------------------

/** Betti numbers (β0, β1) of a mask with foreground 4-connected and background 8-connected. */
function betti(mask: Uint8Array, h: number, w: number): [number, number] {
  const count = (inside: (y: number, x: number) => boolean, corners: boolean, height: number, width: number) => {
    const seen = new Uint8Array(height * width);
    let n = 0;
    for (let s = 0; s < height * width; s++) {
      if (seen[s] || !inside(Math.floor(s / width), s % width)) continue;
      n++;
      seen[s] = 1;
      const stack = [s];
      while (stack.length) {
        const p = stack.pop()!;
        const [y, x] = [Math.floor(p / width), p % width];
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            if ((dy === 0 && dx === 0) || (!corners && dy !== 0 && dx !== 0)) continue;
            const [yy, xx] = [y + dy, x + dx];
            if (yy < 0 || xx < 0 || yy >= height || xx >= width) continue;
            const q = yy * width + xx;
            if (!seen[q] && inside(yy, xx)) {
              seen[q] = 1;
              stack.push(q);
            }
          }
      }
    }
    return n;
  };
  const components = count((y, x) => mask[y * w + x] === 1, false, h, w);
  // Holes: background components of the mask framed by a ring of background, but the outer one.
  const framed = (y: number, x: number) =>
    y === 0 || x === 0 || y === h + 1 || x === w + 1 || !mask[(y - 1) * w + x - 1];
  return [components, count(framed, true, h + 2, w + 2) - 1];
}

describe('on every 3×3 overlay', () => {
  test('all regular ⇒ P, G, P ∩ G and P ∪ G have equal Betti numbers', () => {
    const graph = new ComponentGraph(0.5);
    const P = new Uint8Array(9);
    const G = new Uint8Array(9);
    let allRegular = 0;
    for (let code = 0; code < 1 << 18; code++) {
      for (let i = 0; i < 9; i++) {
        P[i] = (code >> i) & 1;
        G[i] = (code >> (9 + i)) & 1;
      }
      if (graph.criticalRegions(P, G, [3, 3]).some((w) => w !== 0)) continue;
      allRegular++;
      const topology = betti(G, 3, 3).join();
      const others = [P, P.map((v, i) => v & G[i]), P.map((v, i) => v | G[i])];
      if (others.some((m) => betti(m, 3, 3).join() !== topology))
        throw new Error(`all regular but the topology differs: P ${P.join('')}, G ${G.join('')}`);
    }
    expect(allRegular).toBeGreaterThan(1000);
  });

  test('regions that are regular alone but close a hole or bridge components together are critical', () => {
    // Two false positives meeting at a corner close G's channel from (1,1) to the outside.
    const P = grid('####', '#.##', '####');
    const G = grid('####', '#..#', '###.');
    expect(criticalPicture(P, G, 3)).toEqual(['....', '..+.', '...+']);
    // Tested alone (clusters: false), each region is regular: the error goes unseen.
    const alone = new ComponentGraph(0.5, false).criticalRegions(P, G, [3, 4]);
    expect(alone.every((w) => w === 0)).toBe(true);
    expect(new LabelTerm({ kind: 'componentGraph', clusters: false }).config).toEqual({
      kind: 'componentGraph',
      threshold: 0.5,
      clusters: false,
      reduction: 'mean',
    });
    // A false positive beside a false negative: each touches one true-positive region, but
    // together they join P ∩ G's two components in P ∪ G.
    expect(criticalPicture(grid('##.', '.#.', '..#'), grid('.#.', '..#', '..#'), 3).join('')).toMatch(/[+-]/);
  });
});

describe('on random overlays (7×7, heavy ties at the threshold)', () => {
  test('all regular ⇒ P, G, P ∩ G and P ∪ G have equal Betti numbers; a lone regular region flips freely', () => {
    const random = mulberry32(19);
    const [h, w] = [7, 7];
    let lone = 0;
    let critical = 0;
    let allRegular = 0;
    for (let trial = 0; trial < 400; trial++) {
      const label = Float32Array.from({ length: h * w }, () => (random() < 0.5 ? 1 : 0));
      // The prediction: the label with a few random flips (fewer every other trial, so that some
      // overlays have no critical region), so that most errors are small regions.
      const flips = trial % 2 ? 0.15 : 0.03;
      const pred = label.map((v) => (random() < flips ? 1 - v : v));
      const weights = new ComponentGraph(0.5).criticalRegions(pred, label, [h, w]);
      const P = Uint8Array.from(pred);
      const G = Uint8Array.from(label);
      // The error regions: 4-connected components of pixels where P and G differ, of one class.
      const seen = new Uint8Array(h * w);
      let anyCritical = false;
      for (let s = 0; s < h * w; s++) {
        if (seen[s] || P[s] === G[s]) continue;
        const region = [s];
        seen[s] = 1;
        for (let k = 0; k < region.length; k++) {
          const p = region[k];
          for (const q of [p - w, p + w, p % w > 0 ? p - 1 : -1, p % w < w - 1 ? p + 1 : -1])
            if (q >= 0 && q < h * w && !seen[q] && P[q] !== G[q] && P[q] === P[s]) {
              seen[q] = 1;
              region.push(q);
            }
        }
        const isCritical = weights[s] !== 0;
        for (const p of region)
          expect(weights[p]).toBeCloseTo((P[s] ? 1 : -1) * (isCritical ? 1 / region.length : 0), 6);
        if (isCritical) {
          critical++;
          anyCritical = true;
          continue;
        }
        // A regular region beside another error region (edge or corner) may join it: only lone ones flip freely.
        const inRegion = new Set(region);
        const besideError = region.some((p) =>
          [-1, 0, 1].some((dy) =>
            [-1, 0, 1].some((dx) => {
              const [y, x] = [Math.floor(p / w) + dy, (p % w) + dx];
              const q = y * w + x;
              return y >= 0 && x >= 0 && y < h && x < w && !inRegion.has(q) && P[q] !== G[q];
            }),
          ),
        );
        if (besideError) continue;
        lone++;
        const flipped = (mask: Uint8Array) => {
          const out = mask.slice();
          for (const p of region) out[p] = 1 - out[p];
          return out;
        };
        expect(betti(flipped(P), h, w)).toEqual(betti(P, h, w));
        expect(betti(flipped(G), h, w)).toEqual(betti(G, h, w));
      }
      if (!anyCritical) {
        allRegular++;
        const topology = betti(G, h, w);
        expect(betti(P, h, w)).toEqual(topology);
        expect(
          betti(
            P.map((v, i) => v & G[i]),
            h,
            w,
          ),
        ).toEqual(topology);
        expect(
          betti(
            P.map((v, i) => v | G[i]),
            h,
            w,
          ),
        ).toEqual(topology);
      }
    }
    // Enough of each case for the check to mean something.
    expect(lone).toBeGreaterThan(200);
    expect(critical).toBeGreaterThan(200);
    expect(allRegular).toBeGreaterThan(10);
  });
});

// --- The term ---------------------------------------------------------------------------------------

describe("the 'componentGraph' label term", () => {
  const [H, W] = [6, 10];
  const label = grid('..........', '.####.....', '.####.....', '.####.....', '..........', '......##..');
  // A spurious blob (critical, 4 pixels), a missed blob (critical, 2 pixels), a regular extra column.
  const binary = grid('..........', '.#####....', '.#####..##', '.#####..##', '..........', '..........');
  const pred = binary.map((v, i) => (v ? 0.6 + 0.3 * Math.sin(i) ** 2 : 0.4 * Math.cos(i) ** 2));

  test('the value: the mean error over each critical region, summed; mean over maps', () => {
    const spurious = [2 * W + 8, 2 * W + 9, 3 * W + 8, 3 * W + 9].reduce((s, i) => s + pred[i], 0) / 4;
    const missed = [5 * W + 6, 5 * W + 7].reduce((s, i) => s + (1 - pred[i]), 0) / 2;
    const term = new LabelTerm({ kind: 'componentGraph' });
    const y = tf.tensor4d(label, [1, H, W, 1]);
    const p = tf.tensor4d(pred, [1, H, W, 1]);
    expect(term.evaluate(y, p).dataSync()[0]).toBeCloseTo(spurious + missed, 5);
    expect(term.evaluate(y, y).dataSync()[0]).toBe(0);
    // Two maps (batch 2): 'mean' halves the sum of the maps' terms, 'sum' keeps it.
    const y2 = tf.concat([y, y]);
    const p2 = tf.concat([p, y]);
    expect(term.evaluate(y2, p2).dataSync()[0]).toBeCloseTo((spurious + missed) / 2, 5);
    const sum = new LabelTerm({ kind: 'componentGraph', reduction: 'sum' });
    expect(sum.evaluate(y2, p2).dataSync()[0]).toBeCloseTo(spurious + missed, 5);
    tf.dispose([y, p, y2, p2]);
  });

  test('its gradient equals finite differences (channels last, two channels)', () => {
    const term = new LabelTerm({ kind: 'componentGraph' });
    const labels = tf.tensor4d(
      Float32Array.from({ length: 2 * H * W }, (_, i) => label[i >> 1]),
      [1, H, W, 2],
    );
    const values = Float32Array.from({ length: 2 * H * W }, (_, i) => (i % 2 ? pred[i >> 1] : 1 - pred[i >> 1]));
    const loss = (x: tf.Tensor) => term.evaluate(labels, x);
    const analytic = analyticGradient(loss, values, [1, H, W, 2]);
    const numeric = numericGradient(loss, values, [1, H, W, 2], 1e-3); // no value within 1e-3 of 0.5
    analytic.forEach((g, i) => expect(g).toBeCloseTo(numeric[i], 2));
    expect(analytic.some((g) => g !== 0)).toBe(true);
    labels.dispose();
  });

  test('as a compile loss it adds to binary cross-entropy; it is refused on volumes, smeared, or with options of other kinds', () => {
    const loss = losses.labelTopological({ term: { kind: 'componentGraph' }, base: 'none', weight: 2 });
    const y = tf.tensor4d(label, [1, H, W, 1]);
    const p = tf.tensor4d(pred, [1, H, W, 1]);
    const alone = new LabelTerm({ kind: 'componentGraph' }).evaluate(y, p).dataSync()[0];
    expect(loss(y, p).dataSync()[0]).toBeCloseTo(2 * alone, 5);
    const volume = tf.zeros([1, 2, 3, 3, 1]);
    expect(() => new LabelTerm({ kind: 'componentGraph' }).evaluate(volume, volume)).toThrow(
      "yPred: the 'componentGraph' term takes images [B, H, W, C], got shape [1, 2, 3, 3, 1]",
    );
    expect(() =>
      losses.labelTopological({ term: { kind: 'componentGraph' }, smear: { block: 2, noise: 0.05 } }),
    ).toThrow("args.smear: the 'componentGraph' term reads no persistence and cannot be smeared");
    expect(() => losses.labelTopological({ term: { kind: 'componentGraph', dims: [0] } })).toThrow(
      "args.term.dims: not an option of kind 'componentGraph' (its options: threshold, clusters, reduction, patch)",
    );
    tf.dispose([y, p, volume]);
  });
});

describe('ComponentGraph refuses bad input by name', () => {
  const graph = new ComponentGraph(0.5);
  const four = [0, 1, 1, 0];
  test.each([
    [() => new ComponentGraph(NaN), 'threshold: expected a finite number, got NaN'],
    [() => graph.criticalRegions(four, four, [2, 2, 1]), 'shape: expected an image [H, W], got [2, 2, 1]'],
    [() => graph.criticalRegions(four, four, [2, 0]), 'shape: expected positive integer sizes, got [2, 0]'],
    [() => graph.criticalRegions([0, 1], four, [2, 2]), 'pred: expected 4 values (shape [2, 2]), got [0, 1]'],
    [() => graph.criticalRegions(four, [0, NaN, 1, 1], [2, 2]), 'label: expected numbers, got NaN at index 1'],
    [
      () => graph.criticalRegions(['0', 1, 1, 0] as unknown as number[], four, [2, 2]),
      "pred: expected numbers, got '0' at index 0",
    ],
    [
      () => new LabelTerm({ kind: 'componentGraph', threshold: 0 }, 'args.term'),
      "args.term.threshold: 'componentGraph' binarises labels in [0, 1] at it; expected a number in (0, 1], got 0",
    ],
  ])('%#', (call, message) => expect(call).toThrow(message));
});
