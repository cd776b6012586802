import {
  CRITICAL,
  INTERIOR_OUTCOME,
  LINKED,
  LINKED_AHEAD,
  matchSquare,
  NEXT_CORNER,
  NOT_OWNED,
  PREVIOUS_CORNER,
  SQUARE_CRITICAL,
} from '../../../src/persistence/cubical/square-matching';

// The local pairing inside one square must be a discrete gradient: every pair a face and a coface
// both owned, no cell in two pairs, no closed chain of links; and what it leaves critical must
// have the Euler characteristic of the owned cells (so a square can create or kill no class
// that it does not own).

/** The edge joining two adjacent corners (corner numbers of square-matching.ts). */
function edgeBetween(a: number, b: number): number {
  const key = a < b ? `${a}${b}` : `${b}${a}`;
  return { '01': 0, '13': 1, '23': 2, '02': 3 }[key]!;
}

/** Problems with the outcome for these owned cells, or [] when it is a valid local gradient. */
function problems(corners: number, edges: number, free: boolean, outcome: number): string[] {
  const out: string[] = [];
  const used = new Set<number>();
  const parentOf = new Map<number, number>();
  let criticalCorners = 0;
  for (let k = 0; k < 4; k++) {
    const state = (outcome >> (2 * k)) & 3;
    const owned = (corners >> k) & 1;
    if (!owned && state !== NOT_OWNED) out.push(`corner ${k} not owned but state ${state}`);
    if (owned && state === NOT_OWNED) out.push(`owned corner ${k} left out`);
    if (state === CRITICAL) criticalCorners++;
    if (state === LINKED || state === LINKED_AHEAD) {
      const to = state === LINKED ? PREVIOUS_CORNER[k] : NEXT_CORNER[k];
      const e = edgeBetween(k, to);
      if (!((edges >> e) & 1)) out.push(`corner ${k} linked through edge ${e}, not owned`);
      if (used.has(e)) out.push(`edge ${e} paired twice`);
      used.add(e);
      parentOf.set(k, to);
    }
  }
  const square = (outcome >> 8) & 7;
  if (!free && square !== 0) out.push('a square that is not free was paired');
  if (free && square === 0) out.push('a free square was left out');
  if (square >= 1 && square <= 4) {
    const e = square - 1;
    if (!((edges >> e) & 1)) out.push(`square paired with edge ${e}, not owned`);
    if (used.has(e)) out.push(`edge ${e} paired twice`);
    used.add(e);
  }
  const criticalEdges = outcome >> 11;
  for (let e = 0; e < 4; e++) {
    if (!((criticalEdges >> e) & 1)) continue;
    if (!((edges >> e) & 1)) out.push(`edge ${e} critical, not owned`);
    if (used.has(e)) out.push(`edge ${e} both paired and critical`);
    used.add(e);
  }
  for (let e = 0; e < 4; e++) if ((edges >> e) & 1 && !used.has(e)) out.push(`owned edge ${e} left out`);
  for (const start of parentOf.keys()) {
    let k: number | undefined = start;
    for (let steps = 0; k !== undefined && parentOf.has(k); steps++) {
      if (steps > 4) {
        out.push(`closed chain of links through corner ${start}`);
        break;
      }
      k = parentOf.get(k);
    }
  }
  const bits = (x: number) => (x & 1) + ((x >> 1) & 1) + ((x >> 2) & 1) + ((x >> 3) & 1);
  const euler = bits(corners) - bits(edges) + (free ? 1 : 0);
  const critical = criticalCorners - bits(criticalEdges) + (square === SQUARE_CRITICAL ? 1 : 0);
  if (euler !== critical) out.push(`critical cells sum to ${critical}, the owned cells to ${euler}`);
  return out;
}

describe('the local pairing inside a square', () => {
  test('every owned set of corners and edges, free or not: a valid gradient', () => {
    const bad: string[] = [];
    for (let corners = 0; corners < 16; corners++)
      for (let edges = 0; edges < 16; edges++)
        for (const free of [false, true])
          for (const p of problems(corners, edges, free, matchSquare(corners, edges, free)))
            bad.push(`corners ${corners} edges ${edges} free ${free}: ${p}`);
    expect(bad).toEqual([]);
  });

  test('the interior table: all 256 neighbour orders, a critical corner only at a local minimum', () => {
    let minima = 0;
    INTERIOR_OUTCOME.forEach((outcome, later) => {
      const corners = outcome & 0xff;
      if ([0, 1, 2, 3].some((k) => ((corners >> (2 * k)) & 3) === CRITICAL)) {
        expect(later).toBe(255); // every neighbour later: a new component
        minima++;
      }
      if (((outcome >> 8) & 7) === SQUARE_CRITICAL) expect(outcome >> 11).toBe(0);
    });
    expect(minima).toBe(1);
    // A local maximum (no neighbour later) owns nothing but itself: a critical square, which fills a hole.
    expect(INTERIOR_OUTCOME[0]).toBe(SQUARE_CRITICAL << 8);
  });
});
