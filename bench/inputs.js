'use strict';
// The benchmarks' inputs, seeded by case name: the same arrays, clouds and meshes in every bench.
const { rng } = require('./common');

/** Uniform noise in [0, 1), or a sum of 40 random Gaussian bumps (separable, so cheap), as float32. */
function cubicalArray({ shape, kind, name }) {
  const rand = rng(name);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  if (kind === 'noise') {
    for (let i = 0; i < size; i++) out[i] = rand();
    return out;
  }
  const acc = new Float64Array(size);
  const n = shape[0];
  for (let g = 0; g < 40; g++) {
    const amp = 2 * rand() - 1;
    const sigma = n / 40 + rand() * (n / 8 - n / 40);
    const axes = shape.map((len) => {
      const c = rand() * len;
      return Float64Array.from({ length: len }, (_, x) => Math.exp(-((x - c) ** 2) / (2 * sigma * sigma)));
    });
    const [a, b, c] = shape.length === 2 ? [[amp], ...axes] : [axes[0].map((v) => amp * v), axes[1], axes[2]];
    let i = 0;
    for (const va of a) for (const vb of b) for (const vc of c) acc[i++] += va * vb * vc;
  }
  out.set(acc);
  return out;
}

/**
 * A seeded point cloud of n points: *circle* — uniform angles, radius 1 + N(0, 0.1), in R²; *torus* —
 * uniform angles on the torus R = 2, r = 1 in R³ plus N(0, 0.1) per coordinate; *cube* — uniform in
 * the unit cube [0, 1)³. Coordinates are rounded to float32, so that programs reading float32 see
 * the same numbers.
 */
function cloud({ kind, n }) {
  const rand = rng(`${kind} ${n}`);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const rows = [];
  for (let i = 0; i < n; i++) {
    if (kind === 'circle') {
      const t = 2 * Math.PI * rand();
      const r = 1 + 0.1 * normal();
      rows.push([r * Math.cos(t), r * Math.sin(t)]);
    } else if (kind === 'cube') {
      rows.push([rand(), rand(), rand()]);
    } else if (kind === 'torus') {
      const u = 2 * Math.PI * rand();
      const v = 2 * Math.PI * rand();
      const w = 2 + Math.cos(v);
      rows.push([w * Math.cos(u) + 0.1 * normal(), w * Math.sin(u) + 0.1 * normal(), Math.sin(v) + 0.1 * normal()]);
    } else throw new Error(`cloud: unknown kind ${kind}`);
  }
  return rows.map((r) => r.map(Math.fround));
}

/** The cloud as CSV, one point per line. */
function cloudCsv(c) {
  return (
    cloud(c)
      .map((r) => r.join(','))
      .join('\n') + '\n'
  );
}

/**
 * The Freudenthal triangulation of an h × w grid of vertices (each square split along its main
 * diagonal), or of the torus that glues opposite sides. Grid: uniform [0, 1) values. Torus: a
 * smooth function with a few bumps plus 5 % noise, as float64.
 */
function mesh(c) {
  if (c.kind === 'cube') return tetrahedra(c);
  const { h, w } = c;
  const torus = c.kind === 'torus';
  const rows = torus ? h : h - 1;
  const cols = torus ? w : w - 1;
  const tri = new Int32Array(rows * cols * 6);
  let t = 0;
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      const a = y * w + x;
      const b = y * w + ((x + 1) % w);
      const cc = ((y + 1) % h) * w + x;
      const d = ((y + 1) % h) * w + ((x + 1) % w);
      tri.set([a, b, d, a, cc, d], t);
      t += 6;
    }
  const rand = rng(c.name);
  const values = new Float64Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const u = (2 * Math.PI * x) / w;
      const v = (2 * Math.PI * y) / h;
      values[y * w + x] = torus
        ? Math.sin(3 * u) * Math.cos(2 * v) + 0.5 * Math.sin(u + 5 * v) + 0.05 * rand()
        : rand();
    }
  return { tri, values, size: 3 };
}

/** The 6 tetrahedra along the main diagonal of every cube of an n³ vertex grid; uniform values. */
function tetrahedra(c) {
  const n = c.h;
  const strides = [n * n, n, 1];
  const perms = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  const tri = new Int32Array((n - 1) ** 3 * 6 * 4);
  let t = 0;
  for (let z = 0; z + 1 < n; z++)
    for (let y = 0; y + 1 < n; y++)
      for (let x = 0; x + 1 < n; x++)
        for (const perm of perms) {
          let v = (z * n + y) * n + x;
          tri[t++] = v;
          for (const axis of perm) tri[t++] = v += strides[axis];
        }
  const rand = rng(c.name);
  return { tri, values: Float64Array.from({ length: n ** 3 }, () => rand()), size: 4 };
}

/**
 * A seeded volume of tubes, like vessels: a label of 12 random smooth paths of radius 1.5 voxels
 * (a few % of the voxels) and an image of it, 0.2 + 0.6 · label plus uniform noise of ±0.2, as
 * float32 arrays of `shape` [D, H, W].
 */
function tubeVolume(shape, name) {
  const rand = rng(name);
  const [D, H, W] = shape;
  const label = new Float32Array(D * H * W);
  for (let k = 0; k < 12; k++) {
    const p = [rand() * D, rand() * H, rand() * W];
    let d = [rand() - 0.5, rand() - 0.5, rand() - 0.5];
    for (let s = 0; s < 2 * Math.max(D, H, W); s++) {
      // A smooth random direction: the last one, turned a little.
      d = d.map((v) => v + 0.3 * (rand() - 0.5));
      const length = Math.hypot(...d);
      d = d.map((v) => v / length);
      for (let a = 0; a < 3; a++) p[a] += 0.5 * d[a];
      const [z, y, x] = p.map(Math.round);
      for (let dz = -2; dz <= 2; dz++)
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++) {
            const [zz, yy, xx] = [z + dz, y + dy, x + dx];
            if (dz * dz + dy * dy + dx * dx > 2.25 || zz < 0 || yy < 0 || xx < 0 || zz >= D || yy >= H || xx >= W)
              continue;
            label[(zz * H + yy) * W + xx] = 1;
          }
    }
  }
  const image = label.map((v) => 0.2 + 0.6 * v + 0.4 * (rand() - 0.5));
  return { image, label };
}

module.exports = { cubicalArray, cloud, cloudCsv, mesh, tubeVolume };
