// The playground's page code (bundled by playground/serve.js): an image optimized live by Adam on
// α·Φ(PD(x)) + (1 − α)·MSE(x, x0), Φ the total lifetime of the pairs in the chosen region, exact or
// smeared by STUMP; its diagram, exact loss curve and critical smear drawn as it goes; and a point
// cloud whose Rips diagram follows the points as they are dragged.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import * as topo from 'tfjs-topo';

const $ = (id) => document.getElementById(id);

const state = {
  images: [], // the paper's, from the server
  source: null, // { name, values: Float32Array, shape: [H, W] }
  x: null, // tf.Variable
  x0: null,
  optimizer: null,
  smear: null,
  steps: 0,
  losses: [], // [step, exact Φ]
  diagram: null,
  running: false,
  stepsPerFrame: 5,
};

/** The controls' values. */
function settings() {
  const number = (id) => Number($(id).value);
  return {
    dim: number('dim'),
    goal: $('goal').value,
    lifetime: number('lifetime'),
    method: $('method').value,
    block: Math.max(1, Math.round(number('block'))),
    noise: Math.max(0, number('noise')),
    rate: number('rate'),
  };
}

/** Φ: Σ lifetime over the pairs of the chosen dimension longer than the threshold (the paper's). */
function functional(s) {
  return {
    kind: 'totalPersistence',
    dim: s.dim,
    p: 1,
    lifetimeRange: [s.lifetime, null],
    target: s.dim === 0 ? 'death' : 'birth',
    goal: s.goal,
  };
}

/** Starts over from the source image with the current settings. */
function reset() {
  const { values, shape } = state.source;
  tf.dispose([state.x, state.x0]);
  state.x0 = tf.tensor(values, shape);
  state.x = tf.variable(state.x0.clone());
  state.optimizer = tf.train.adam(settings().rate);
  state.smear = null;
  state.steps = 0;
  state.losses = [];
  return refresh();
}

/** One Adam step on the objective, the term exact or on one STUMP approximate. */
function step(s) {
  const term = { dims: [s.dim], functional: functional(s) };
  const size = state.x0.size;
  const alpha = 1 - 1 / size;
  if (s.method === 'stump')
    state.smear ??= new topo.BlockSmear({ block: s.block, noise: s.noise, measure: 'uniform-normalized', seed: 1 });
  state.optimizer.minimize(() => {
    const phi =
      s.method === 'stump' ? topo.smearedTerm(state.x, term, state.smear, 1) : topo.topologicalTerm(state.x, term);
    const mse = tf.mean(tf.squaredDifference(state.x, state.x0));
    return tf.add(tf.mul(phi, alpha), tf.mul(mse, 1 - alpha));
  });
  state.steps++;
}

/** Reads the image once, computes its exact diagram on the host, and redraws. */
async function refresh() {
  const s = settings();
  const values = Float32Array.from(await state.x.data());
  const [diagram] = topo.cubicalPersistence(values, state.source.shape, { dims: [s.dim] });
  state.diagram = diagram;
  let phi = 0;
  for (let i = 0; i < diagram.births.length; i++) {
    const life = Math.abs(diagram.deaths[i] - diagram.births[i]);
    if (Number.isFinite(life) && life > s.lifetime) phi += life;
  }
  state.losses.push([state.steps, phi]);
  drawImage($('imageCanvas'), values, state.source.shape, range(state.source.values));
  drawDiagram($('diagramCanvas'), diagram, s.lifetime, range(state.source.values));
  drawCurve($('lossCanvas'), state.losses);
  $('status').textContent = `step ${state.steps}   exact Φ ${phi.toFixed(1)}   backend ${tf.getBackend()}`;
}

async function frame() {
  if (!state.running) return;
  const s = settings();
  const start = performance.now();
  for (let k = 0; k < state.stepsPerFrame; k++) step(s);
  await refresh();
  // Keep a frame near 150 ms, so the page stays responsive on slow backends.
  const ms = performance.now() - start;
  state.stepsPerFrame = Math.max(1, Math.min(50, Math.round((state.stepsPerFrame * 150) / Math.max(ms, 1))));
  requestAnimationFrame(frame);
}

function run(on) {
  state.running = on;
  $('run').textContent = on ? 'Pause' : 'Run';
  if (on) requestAnimationFrame(frame);
}

// ---- drawing -------------------------------------------------------------------------------------

function range(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** Grey values on the source's range: dark low, bright high; or a heat map (white → red). */
function drawImage(canvas, values, [h, w], [lo, hi], heat = false) {
  canvas.width = w;
  canvas.height = h;
  canvas.style.width = canvas.style.height = '256px';
  const context = canvas.getContext('2d');
  const image = context.createImageData(w, h);
  for (let i = 0; i < values.length; i++) {
    const t = Math.min(1, Math.max(0, (values[i] - lo) / (hi - lo)));
    const grey = Math.round(255 * t);
    image.data.set(heat ? [255, 255 - grey, 255 - grey, 255] : [grey, grey, grey, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
}

/**
 * Points (birth, death) with the diagonal; those in the region (lifetime above `lifetime`) in
 * `colour`. `clear: false` draws over what is there. Returns how many points were drawn.
 */
function drawDiagram(canvas, diagram, lifetime, [lo, hi], { colour = '#c22', clear = true } = {}) {
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  if (clear) context.clearRect(0, 0, width, height);
  const at = (v) => 10 + ((v - lo) / (hi - lo)) * (width - 20);
  context.strokeStyle = '#999';
  context.beginPath();
  context.moveTo(at(lo), height - at(lo));
  context.lineTo(at(hi), height - at(hi));
  context.stroke();
  let drawn = 0;
  for (let i = 0; i < diagram.births.length; i++) {
    const [b, d] = [diagram.births[i], diagram.deaths[i]];
    if (!Number.isFinite(d)) continue;
    const selected = Math.abs(d - b) > lifetime;
    context.fillStyle = selected ? colour : '#bbb';
    context.beginPath();
    context.arc(at(b), height - at(d), selected ? 3 : 2, 0, 2 * Math.PI);
    context.fill();
    drawn++;
  }
  canvas.dataset.points = String(drawn);
  return drawn;
}

function drawCurve(canvas, points) {
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  if (points.length < 2) return;
  const [, first] = range(points.map((p) => p[1]));
  const last = points[points.length - 1][0] || 1;
  context.strokeStyle = '#26c';
  context.beginPath();
  points.forEach(([x, y], i) => {
    const px = 10 + (x / last) * (width - 20);
    const py = height - 10 - (y / (first || 1)) * (height - 20);
    if (i === 0) context.moveTo(px, py);
    else context.lineTo(px, py);
  });
  context.stroke();
}

// ---- the critical smear, exports, uploads --------------------------------------------------------

async function criticalSmear() {
  const s = settings();
  const values = Float32Array.from(await state.x.data());
  $('status').textContent = 'critical smear: 20 approximates…';
  await new Promise((r) => setTimeout(r, 0));
  const smear = topo.criticalSmear(values, state.source.shape, {
    dim: s.dim,
    lifetimeRange: [s.lifetime, Infinity],
    block: s.block,
    noise: s.noise,
    samples: 20,
    seed: 1,
  });
  const map = s.dim === 0 ? smear.deathMap : smear.birthMap;
  drawImage($('smearCanvas'), map, state.source.shape, range(map), true);
  $('status').textContent = `critical smear of ${smear.points.length} pairs`;
}

function download(name, url) {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
}

function exportJson() {
  const d = state.diagram;
  const pairs = Array.from(d.births, (b, i) => [b, Number.isFinite(d.deaths[i]) ? d.deaths[i] : null]);
  const cells = Array.from(d.birthCells, (b, i) => [b, d.deathCells[i]]);
  const json = {
    image: state.source.name,
    settings: settings(),
    steps: state.steps,
    losses: state.losses,
    pairs,
    cells,
  };
  const url = URL.createObjectURL(new Blob([JSON.stringify(json)], { type: 'application/json' }));
  download('playground.json', url);
  return json;
}

/** An uploaded picture as luminance on [0, 255], at most 256 pixels a side. */
async function upload(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 256 / Math.max(bitmap.width, bitmap.height));
  const [w, h] = [Math.max(8, Math.round(bitmap.width * scale)), Math.max(8, Math.round(bitmap.height * scale))];
  const canvas = new OffscreenCanvas(w, h);
  const context = canvas.getContext('2d');
  context.drawImage(bitmap, 0, 0, w, h);
  const rgba = context.getImageData(0, 0, w, h).data;
  const values = new Float32Array(w * h);
  for (let i = 0; i < values.length; i++)
    values[i] = 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2];
  const [lo, hi] = range(values);
  for (let i = 0; i < values.length; i++) values[i] = (255 * (values[i] - lo)) / (hi - lo);
  state.source = { name: file.name, values, shape: [h, w] };
  run(false);
  await reset();
}

/** Selects one of the paper's images with its experiment's settings. */
async function choose(name) {
  const image = state.images.find((i) => i.name === name);
  state.source = { name, values: Float32Array.from(image.values), shape: image.shape };
  $('dim').value = String(image.dim);
  $('goal').value = image.goal;
  $('lifetime').value = String(image.minLifetime);
  $('block').value = String(image.block);
  $('noise').value = String(image.noise);
  run(false);
  await reset();
}

async function chooseBackend(name) {
  run(false);
  await tf.setBackend(name);
  await tf.ready();
  const active = tf.getBackend();
  $('backend').textContent =
    active === name ? `Running on ${active}.` : `${name} is not available here: running on ${active}.`;
  $('backend').className = active === name ? '' : 'warn';
  if (state.source) await reset();
}

// ---- the point cloud -----------------------------------------------------------------------------

const cloud = { points: new Float64Array(80), dragging: -1, diagram: [] };

function drawCloud() {
  const canvas = $('cloudCanvas');
  const context = canvas.getContext('2d');
  const { width } = canvas;
  context.clearRect(0, 0, width, width);
  context.fillStyle = '#26c';
  for (let i = 0; i < cloud.points.length / 2; i++) {
    context.beginPath();
    context.arc(cloud.points[2 * i] * width, cloud.points[2 * i + 1] * width, 4, 0, 2 * Math.PI);
    context.fill();
  }
  cloud.diagram = topo.ripsPersistence(cloud.points, 2, { maxDim: 1 });
  const max = Math.max(0.1, ...cloud.diagram.flatMap((d) => Array.from(d.deaths).filter(Number.isFinite)));
  const target = $('cloudDiagramCanvas');
  let drawn = 0;
  for (const d of cloud.diagram)
    drawn += drawDiagram(target, d, d.dim === 0 ? -1 : 0, [0, max], {
      colour: d.dim === 0 ? '#888' : '#c22',
      clear: d.dim === 0,
    });
  target.dataset.points = String(drawn);
}

function startCloud() {
  for (let i = 0; i < 40; i++) {
    const a = (2 * Math.PI * i) / 40;
    const r = 0.35 + 0.03 * Math.sin(7 * i);
    cloud.points[2 * i] = 0.5 + r * Math.cos(a);
    cloud.points[2 * i + 1] = 0.5 + r * Math.sin(a);
  }
  const canvas = $('cloudCanvas');
  const at = (e) => {
    const box = canvas.getBoundingClientRect();
    return [(e.clientX - box.left) / box.width, (e.clientY - box.top) / box.height];
  };
  canvas.addEventListener('pointerdown', (e) => {
    const [x, y] = at(e);
    let best = -1;
    let bestDistance = 12 / canvas.width;
    for (let i = 0; i < 40; i++) {
      const distance = Math.hypot(cloud.points[2 * i] - x, cloud.points[2 * i + 1] - y);
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    }
    cloud.dragging = best;
  });
  canvas.addEventListener('pointermove', (e) => {
    if (cloud.dragging < 0) return;
    const [x, y] = at(e);
    cloud.points[2 * cloud.dragging] = Math.min(1, Math.max(0, x));
    cloud.points[2 * cloud.dragging + 1] = Math.min(1, Math.max(0, y));
    drawCloud();
  });
  window.addEventListener('pointerup', () => (cloud.dragging = -1));
  drawCloud();
}

// ---- wiring ----------------------------------------------------------------------------------------

async function main() {
  state.images = await (await fetch('/images.json')).json();
  for (const image of state.images) $('image').add(new Option(image.title, image.name));
  $('image').value = 'blobs';
  $('image').addEventListener('change', (e) => choose(e.target.value));
  $('upload').addEventListener('change', (e) => e.target.files[0] && upload(e.target.files[0]));
  $('tfBackend').addEventListener('change', (e) => chooseBackend(e.target.value));
  $('run').addEventListener('click', () => run(!state.running));
  $('reset').addEventListener('click', () => (run(false), reset()));
  $('smear').addEventListener('click', criticalSmear);
  $('png').addEventListener('click', () => download('playground.png', $('imageCanvas').toDataURL('image/png')));
  $('json').addEventListener('click', exportJson);
  for (const id of ['method', 'block', 'noise']) $(id).addEventListener('change', () => (state.smear = null));
  $('rate').addEventListener('change', () => (state.optimizer = tf.train.adam(settings().rate)));
  tf.env().set('WEBGL_CPU_FORWARD', false);
  await chooseBackend('webgl');
  await choose('blobs');
  startCloud();
}

/** What the browser test reads: progress, and what is drawn. */
window.playground = {
  ready: main(),
  state,
  run,
  exportJson,
  criticalSmear,
};
