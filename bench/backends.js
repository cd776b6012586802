'use strict';
// Host round trips and step times per tfjs backend: one training step of the smallest model around
// each loss layer (vanilla and STUMP, image, point cloud, complex), on cpu and wasm in Node and on
// cpu, webgl and webgpu in headless Chromium (SwiftShader: a GPU emulated on the CPU, so its times
// are not a GPU's). A read is a call of dataSync/data/arraySync/array by any code — on a GPU backend
// each one waits for the device — counted beyond those of the same model without the layer (tfjs's
// own read of the loss). Same inputs and models everywhere (test/browser/fixtures/backend-checks.mjs);
// each time is the best of 5 steps after a warm-up.
//   npm run bench:backends   →  bench/BACKENDS.md
const { writeFileSync } = require('fs');
const { join } = require('path');
const { pathToFileURL } = require('url');
const { openPage, bundleForBrowser } = require('../test/browser/chromium.js');

const root = join(__dirname, '..');
const FIXTURE = join(root, 'test', 'browser', 'fixtures', 'backend-checks.mjs');
const BASE = 'no topological layer';

async function inNode(inputsOf) {
  const checks = await import(pathToFileURL(FIXTURE).href);
  await import('@tensorflow/tfjs-backend-wasm');
  const inputs = checks.makeInputs(inputsOf);
  const reports = [];
  for (const backend of ['cpu', 'wasm']) reports.push({ where: 'Node', ...(await checks.stepCosts(backend, inputs)) });
  return reports;
}

async function inChromium(blobs) {
  // The package resolves itself ("exports"), tfjs from its node_modules, as in a user's project.
  const browser = await openPage({ script: await bundleForBrowser(FIXTURE, 'topoChecks', join(root, 'node_modules')) });
  try {
    const reports = [];
    const runs = [['cpu'], ['webgl'], ['webgl', { WEBGL_USE_SHAPES_UNIFORMS: true }], ['webgpu']];
    for (const [backend, flags = {}] of runs) {
      const report = await browser.page.evaluate(
        ([b, data, f]) => globalThis.topoChecks.stepCosts(b, globalThis.topoChecks.makeInputs(data), f),
        [backend, blobs, flags],
      );
      await browser.page.evaluate(() => globalThis.topoChecks.resetFlags()); // flags persist in the page
      if (report.backend !== backend) throw new Error(`Chromium: asked for ${backend}, got ${report.backend}`);
      reports.push({ where: 'Chromium', ...report });
    }
    return reports;
  } finally {
    await browser.close();
  }
}

function table(reports) {
  const cases = Object.keys(reports[0].steps).filter((c) => c !== BASE);
  const head = reports.map(
    (r) => `${r.backend}${Object.keys(r.flags ?? {}).length ? ', shape uniforms' : ''} (${r.where})`,
  );
  const rows = [
    `| layer | ${head.map((h) => `reads: ${h}`).join(' | ')} | ${head.map((h) => `ms: ${h}`).join(' | ')} |`,
    `| --- | ${reports.map(() => '---:').join(' | ')} | ${reports.map(() => '---:').join(' | ')} |`,
  ];
  for (const c of [BASE, ...cases]) {
    const reads = reports.map((r) => (c === BASE ? r.steps[c].reads : r.steps[c].reads - r.steps[BASE].reads));
    const ms = reports.map((r) => r.steps[c].ms.toFixed(1));
    rows.push(`| ${c === BASE ? `${c} (tfjs's own reads)` : c} | ${reads.join(' | ')} | ${ms.join(' | ')} |`);
  }
  return rows.join('\n');
}

async function main() {
  const { PAPER_EXPERIMENTS, loadPaperImage } = require(join(root, 'app', 'dist', 'demo', 'paper.js'));
  const blobs = Array.from(loadPaperImage(PAPER_EXPERIMENTS.find((e) => e.name === 'blobs')).values);
  const reports = [...(await inNode(blobs)), ...(await inChromium(blobs))];
  const tfjs = require('@tensorflow/tfjs-core').version_core;
  const text = `# Backends: host reads and step times

\`npm run bench:backends\` (bench/backends.js), ${new Date().toISOString().slice(0, 10)}, tfjs ${tfjs}, Node ${process.version},
${require('os').cpus().length} cores (${require('os').cpus()[0].model.trim()}); Chromium headless on SwiftShader.

One training step (\`trainOnBatch\`) of the smallest model that feeds each layer: a 3×3 convolution
on two 16×16 images, a dense layer making two clouds of 24 points, a dense layer giving the 36
vertex values of a 6×6 grid triangulation. **Reads** are calls of \`dataSync\`, \`data\`,
\`arraySync\` or \`array\` during the step beyond those of the same model without the layer (the
first row: tfjs's own read of the loss); on a GPU backend each one waits for the device. **ms** is
the best of 5 steps after a warm-up. webgl and webgpu run on SwiftShader, a GPU emulated on this
machine's CPU: their times say nothing of a real GPU's, their reads are what a real GPU would see.
On cpu and wasm, where a read is a copy at most, the backward passes (and the cover pooling) read
their input and loop on the host instead of uploading index tables for a gather: far faster there
(at 512² noise, 72 ms for the gather against under 1 ms for the loop).

${table(reports)}
`;
  writeFileSync(join(__dirname, 'BACKENDS.md'), text);
  console.log(text);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
