/**
 * The neighbourhood of a vertex in a 3-D cubical complex, as bits. Its 26 neighbours are bits
 * 0–25 of a *link mask*: the 6 face neighbours first (direction k = 2·axis, +1 when it goes up
 * the axis), then the 12 in-plane diagonals (one per square slot), then the 8 corners (one per cube
 * slot). A vertex lies on 6 edges, 12 squares and 8 cubes:
 *
 * - square slot k = 4·normal + 2·δb + δc: the square of that normal whose first corner is the
 *   vertex less δb steps along b and δc along c ((b, c) the other two axes, increasing);
 * - cube slot s = ex + 2·ey + 4·ez: the cube whose first corner is the vertex less (ex, ey, ez).
 *
 * A cell is in the vertex's lower star when every other vertex of it is lower: a square when its
 * two faces (`faceSquares`) and its diagonal are, a cube when its three squares at the vertex
 * (`squareCubes8`) and its corner are (`cubeBits`: all seven).
 */
export const LINK = buildLink();

/** Number of components of the lower link's face neighbours, joined by the lower star's squares. */
export function linkComponents(faces: number, squares: number): number {
  const key = faces | (squares << 6);
  let count = faceCounts[key];
  if (count === 0) {
    const labels = faceComponents(faces, squares);
    let seen = 0;
    for (let k = 0; k < 6; k++) if ((faces >> k) & 1) seen |= 1 << labels[k];
    count = faceCounts[key] = 1 + popCount(seen); // stored + 1, so that 0 means not yet computed
  }
  return count - 1;
}

/**
 * A component label (0–5) for each face direction of the lower link, joined by the lower star's
 * squares; a view the next call overwrites.
 */
export function faceComponents(faces: number, squares: number): Int32Array {
  const labels = faceLabels;
  for (let k = 0; k < 6; k++) labels[k] = k;
  for (let k = 0; k < 12; k++) {
    if (((squares >> k) & 1) === 0) continue;
    relabel(labels, labels[LINK.squareFaces[2 * k + 1]], labels[LINK.squareFaces[2 * k]]);
  }
  return labels;
}

/**
 * The upper regions around a vertex: its upper cube slots (cubes with a higher vertex, or outside
 * the volume) joined by the squares outside its lower star. Returns 3 bits per upper slot, one slot
 * of its region (the same for all), or −1 when the lower star's squares join two of these regions:
 * whether they are one region already is no local question, and the vertex is left to the H2 sweep.
 */
export function upperRegions(cubes: number, squares: number): number {
  const key = cubes | (squares << 8);
  let entry = regions[key];
  if (entry === 0) {
    const labels = slotLabels;
    for (let s = 0; s < 8; s++) labels[s] = (cubes >> s) & 1 ? -1 - s : s;
    for (let k = 0; k < 12; k++) if (((squares >> k) & 1) === 0) join(labels, k);
    entry = KNOWN;
    for (let s = 0; s < 8; s++) if (labels[s] >= 0) entry |= labels[s] << (3 * s);
    // Connected components through the lower squares too: one upper region each at most.
    for (let k = 0; k < 12; k++) {
      if (((squares >> k) & 1) === 0) continue;
      const a = labels[LINK.squareCubes[2 * k]];
      const b = labels[LINK.squareCubes[2 * k + 1]];
      if (a >= 0 && b >= 0 && a !== b) entry = KNOWN | SPLIT;
      join(labels, k);
    }
    regions[key] = entry;
  }
  return entry & SPLIT ? -1 : entry & SLOTS;
}

/** The squares (bits by slot) that bound a cube of the lower star (bits by slot) at the vertex. */
export function cubeSquares(cubes: number): number {
  return squaresOfCubes[cubes];
}

/** Joins the labels of square k's two cube slots: to the upper one's label (≥ 0) if any. */
function join(labels: Int32Array, k: number): void {
  const a = labels[LINK.squareCubes[2 * k]];
  const b = labels[LINK.squareCubes[2 * k + 1]];
  if (b >= 0) relabel(labels, a, b);
  else relabel(labels, b, a);
}

const SLOTS = (1 << 24) - 1;
const SPLIT = 1 << 24;
const KNOWN = 1 << 25;

// Filled on demand (0: not yet known), by the bits of the lower star's faces and squares (256 kB),
// of its cubes and squares (4 MB).
const faceCounts = new Uint8Array(1 << 18);
const regions = new Int32Array(1 << 20);
const squaresOfCubes = Int32Array.from({ length: 256 }, (_, cubes) => {
  let squares = 0;
  for (let k = 0; k < 12; k++)
    if ((cubes >> LINK.squareCubes[2 * k]) & 1 || (cubes >> LINK.squareCubes[2 * k + 1]) & 1) squares |= 1 << k;
  return squares;
});
const faceLabels = new Int32Array(6);
const slotLabels = new Int32Array(8);

/** Every label `from` becomes `to`: the union of two components of a few labelled slots. */
export function relabel(labels: Int32Array, from: number, to: number): void {
  if (from === to) return;
  for (let i = 0; i < labels.length; i++) if (labels[i] === from) labels[i] = to;
}

function popCount(x: number): number {
  let n = 0;
  for (; x !== 0; x &= x - 1) n++;
  return n;
}

function buildLink() {
  const plane = [
    [1, 2],
    [0, 2],
    [0, 1],
  ];
  const offsets: number[][] = [];
  for (let k = 0; k < 6; k++) {
    const o = [0, 0, 0];
    o[k >> 1] = k & 1 ? 1 : -1;
    offsets.push(o);
  }
  const faceTowards = (axis: number, back: number) => 2 * axis + (back ? 0 : 1);
  const squareFaces: number[] = [];
  const squareCorner: number[][] = [];
  const squareCubes: number[] = [];
  for (let k = 0; k < 12; k++) {
    const normal = k >> 2;
    const [b, c] = plane[normal];
    const db = (k >> 1) & 1;
    const dc = k & 1;
    const o = [0, 0, 0];
    o[b] = db ? -1 : 1;
    o[c] = dc ? -1 : 1;
    offsets.push(o);
    const corner = [0, 0, 0];
    corner[b] = -db;
    corner[c] = -dc;
    squareCorner.push(corner);
    squareFaces.push(faceTowards(b, db), faceTowards(c, dc));
    for (let dn = 0; dn < 2; dn++) {
      const e = [0, 0, 0];
      e[b] = db;
      e[c] = dc;
      e[normal] = dn;
      squareCubes.push(e[0] + 2 * e[1] + 4 * e[2]);
    }
  }
  const cubeCorner: number[][] = [];
  const cubeBits: number[] = [];
  for (let s = 0; s < 8; s++) {
    const e = [s & 1, (s >> 1) & 1, s >> 2];
    offsets.push(e.map((x) => (x ? -1 : 1)));
    cubeCorner.push(e.map((x) => -x));
    let bits = 1 << (18 + s);
    for (let a = 0; a < 3; a++) bits |= 1 << faceTowards(a, e[a]);
    for (let normal = 0; normal < 3; normal++) {
      const [b, c] = plane[normal];
      bits |= 1 << (6 + 4 * normal + 2 * e[b] + e[c]);
    }
    cubeBits.push(bits);
  }
  // inside[axis][where]: the neighbours whose step along the axis stays in the volume, for a
  // vertex at the low end (where bit 0) and / or the high end (bit 1) of that axis.
  const inside = [0, 1, 2].map((axis) =>
    Int32Array.from([0, 1, 2, 3], (where) => {
      let bits = 0;
      offsets.forEach((o, k) => {
        if (!((where & 1 && o[axis] < 0) || (where & 2 && o[axis] > 0))) bits |= 1 << k;
      });
      return bits;
    }),
  );
  // Per 6 face bits, the squares whose two faces are lower; per 12 square bits, the cubes whose
  // three squares at the vertex are.
  const faceSquares = Int32Array.from({ length: 64 }, (_, faces) => {
    let out = 0;
    for (let k = 0; k < 12; k++)
      if ((faces >> squareFaces[2 * k]) & 1 && (faces >> squareFaces[2 * k + 1]) & 1) out |= 1 << k;
    return out;
  });
  const squareCubes8 = Uint8Array.from({ length: 4096 }, (_, squares) => {
    let out = 0;
    for (let s = 0; s < 8; s++) {
      const need = (cubeBits[s] >> 6) & 0xfff;
      if ((squares & need) === need) out |= 1 << s;
    }
    return out;
  });
  return {
    offsets,
    faceSquares,
    squareCubes8,
    squareCorner,
    cubeCorner,
    squareFaces: Int8Array.from(squareFaces),
    squareCubes: Int8Array.from(squareCubes),
    cubeBits: Int32Array.from(cubeBits),
    inside,
    faceBits: 0x3f,
  };
}
