/**
 * The discrete gradient inside one square's lower star, for the T construction of a 2-D image.
 *
 * A square (pixel) brings into the filtration itself and the faces it is the first coface of: an
 * edge when the square across it comes later, a corner when the three other squares around it
 * do. Those cells enter together, so pairing them with each other changes no pair between
 * different pixels (Robins, Wood & Sheppard 2011): only the cells left unpaired — critical —
 * need the union-find passes. Here each owned corner is paired with the edge to the corner before
 * it around the square — or, on the image's border where that edge may not exist, the one to the
 * corner after it — so chains of owned corners end at an older corner, or at one critical corner
 * when all four are owned; then the square with one remaining edge; what remains is critical.
 *
 * Corners: 0 down-left, 1 down-right, 2 up-left, 3 up-right. Edges: 0 down (corners 0–1), 1 right
 * (1–3), 2 up (2–3), 3 left (0–2). Around the square the corners run 0 → 1 → 3 → 2 → 0.
 *
 * The outcome is packed in one integer:
 * - bits 2k..2k+1, corner k: NOT_OWNED, CRITICAL, LINKED (paired with the edge to
 *   `PREVIOUS_CORNER[k]`, so in a union-find its parent is that corner) or LINKED_AHEAD (the same
 *   with `NEXT_CORNER[k]`);
 * - bits 8..10: the square: SQUARE_TAKEN (not free to pair), 1 + e when paired with edge e,
 *   or SQUARE_CRITICAL;
 * - bits 11..14: the critical edges, bit e for edge e.
 */

export const NOT_OWNED = 0;
export const CRITICAL = 1;
export const LINKED = 2;
export const LINKED_AHEAD = 3;
export const SQUARE_TAKEN = 0;
export const SQUARE_CRITICAL = 5;

/** The corner before each corner around the square (0 → 1 → 3 → 2 → 0, read backwards). */
export const PREVIOUS_CORNER = Uint8Array.of(2, 0, 3, 1);
/** The corner after each corner around the square. */
export const NEXT_CORNER = Uint8Array.of(1, 3, 0, 2);
/** The edge between each corner and the corner before it, and the one after it. */
const EDGE_TO_PREVIOUS = Uint8Array.of(3, 0, 2, 1);
const EDGE_TO_NEXT = Uint8Array.of(0, 1, 3, 2);

/**
 * The outcome for a square owning the corners and edges whose bits are set. Inside the image an
 * owned corner has both its edges owned (the squares across them are among its three); on the
 * border of the padded image an edge may not exist. `free` is false for a square already paired
 * with a cell outside the image.
 */
export function matchSquare(ownedCorners: number, ownedEdges: number, free: boolean): number {
  let code = 0;
  let edges = ownedEdges;
  for (let k = 0; k < 4; k++) {
    if (!(ownedCorners & (1 << k))) continue;
    const back = 1 << EDGE_TO_PREVIOUS[k];
    const ahead = 1 << EDGE_TO_NEXT[k];
    // With all four corners and edges owned the chain would close: its start, corner 0, stays critical.
    if ((ownedCorners === 15 && ownedEdges === 15 && k === 0) || !(edges & (back | ahead))) {
      code |= CRITICAL << (2 * k);
    } else if (edges & back) {
      code |= LINKED << (2 * k);
      edges &= ~back;
    } else {
      code |= LINKED_AHEAD << (2 * k);
      edges &= ~ahead;
    }
  }
  if (free) {
    if (edges === 0) code |= SQUARE_CRITICAL << 8;
    else {
      const e = 31 - Math.clz32(edges & -edges); // the lowest remaining edge
      code |= (1 + e) << 8;
      edges &= edges - 1;
    }
  }
  return code | (edges << 11);
}

/**
 * Neighbour bits of an interior square: bit set when that neighbour comes later in the filtration.
 */
export const LEFT = 1,
  RIGHT = 2,
  DOWN = 4,
  UP = 8,
  DOWN_LEFT = 16,
  DOWN_RIGHT = 32,
  UP_LEFT = 64,
  UP_RIGHT = 128;

/** The outcome of an interior square (all of its cells inside) for each of the 256 neighbour masks. */
export const INTERIOR_OUTCOME: Int32Array = Int32Array.from({ length: 256 }, (_, later) => {
  const all = (bits: number) => (later & bits) === bits;
  const corners =
    (all(LEFT | DOWN | DOWN_LEFT) ? 1 : 0) |
    (all(RIGHT | DOWN | DOWN_RIGHT) ? 2 : 0) |
    (all(LEFT | UP | UP_LEFT) ? 4 : 0) |
    (all(RIGHT | UP | UP_RIGHT) ? 8 : 0);
  const edges = (later & DOWN ? 1 : 0) | (later & RIGHT ? 2 : 0) | (later & UP ? 4 : 0) | (later & LEFT ? 8 : 0);
  return matchSquare(corners, edges, true);
});
