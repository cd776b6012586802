import { SimplicialComplex } from './simplicial-complex.js';
import { describe } from '../../base/checks.js';

/**
 * The Freudenthal triangulation of a rows × cols grid of vertices (vertex r · cols + c): every
 * square split along its (r, c)–(r+1, c+1) diagonal. Lower-star persistence on it is the piecewise
 * linear counterpart of an image's; with `blockCover` it is the setting where cover smearing
 * matches cubical STUMP.
 * @category Engines
 */
export function gridTriangulation(rows: number, cols: number): SimplicialComplex {
  checkSize(rows, 'rows', 2);
  checkSize(cols, 'cols', 2);
  const triangles = new Int32Array(6 * (rows - 1) * (cols - 1));
  let w = 0;
  for (let r = 0; r + 1 < rows; r++)
    for (let c = 0; c + 1 < cols; c++) {
      const v = r * cols + c;
      triangles.set([v, v + cols, v + cols + 1, v, v + 1, v + cols + 1], w);
      w += 6;
    }
  return SimplicialComplex.fromFlat(triangles, 3, rows * cols);
}

/**
 * A triangulated torus: the complex and the 3-D position of every vertex.
 *
 * @category Engines
 */
export interface TorusMesh {
  /** The triangles of the wrapped rows × cols grid; vertex i · cols + j. */
  complex: SimplicialComplex;
  /** x, y, z per vertex. */
  positions: Float64Array;
  /** The angles (u around the axis, v around the tube) per vertex, in [0, 2π). */
  angles: Float64Array;
}

/**
 * A torus of major radius R and minor radius r, triangulated as the rows × cols grid with both
 * directions wrapped (vertex i · cols + j at angles u = 2π i / rows, v = 2π j / cols).
 * @category Engines
 */
export function torusMesh(rows: number, cols: number, R = 1, r = 0.4): TorusMesh {
  checkSize(rows, 'rows', 3);
  checkSize(cols, 'cols', 3);
  const n = rows * cols;
  const triangles = new Int32Array(6 * n);
  const positions = new Float64Array(3 * n);
  const angles = new Float64Array(2 * n);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = i * cols + j;
      const right = i * cols + ((j + 1) % cols);
      const down = ((i + 1) % rows) * cols + j;
      const diagonal = ((i + 1) % rows) * cols + ((j + 1) % cols);
      triangles.set([v, down, diagonal, v, right, diagonal], 6 * v);
      const u = (2 * Math.PI * i) / rows;
      const t = (2 * Math.PI * j) / cols;
      positions.set([(R + r * Math.cos(t)) * Math.cos(u), (R + r * Math.cos(t)) * Math.sin(u), r * Math.sin(t)], 3 * v);
      angles.set([u, t], 2 * v);
    }
  return { complex: SimplicialComplex.fromFlat(triangles, 3, n), positions, angles };
}

function checkSize(n: number, name: string, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: expected an integer ≥ ${min}, got ${describe(n)}`);
}
