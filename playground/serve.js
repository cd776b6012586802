#!/usr/bin/env node
'use strict';
// The playground: a page that optimizes an image's topology live on tfjs's GPU backend, with its
// persistence diagram, loss curve and critical smear, and a point cloud whose Rips diagram follows
// the points as they are dragged. This script bundles the page's code (playground/app.js, with
// tfjs and the built package) and serves it, with the paper's three images, on 127.0.0.1.
//   npm run playground [-- --port 8080]
const esbuild = require('esbuild');
const { readFileSync } = require('fs');
const http = require('http');
const { join } = require('path');

const root = join(__dirname, '..');

/** The paper's images as the demo preprocesses them, with each experiment's settings. */
function paperImages() {
  const { PAPER_EXPERIMENTS, loadPaperImage } = require(join(root, 'app', 'dist', 'demo', 'paper.js'));
  return PAPER_EXPERIMENTS.map((e) => {
    const { values, shape } = loadPaperImage(e);
    const { name, title, dim, goal, target, block, noise, minLifetime } = e;
    return { name, title, shape, values: Array.from(values), dim, goal, target, block, noise, minLifetime };
  });
}

/** Bundles the page's code for the browser: one tfjs, the library's ES modules. */
async function bundle() {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [join(__dirname, 'app.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
    alias: { 'tfjs-topo': './dist/esm/index.js' },
  });
  return result.outputFiles[0].text;
}

/**
 * Starts the server on `host`:`port` (0: any free port) and resolves to its URL and a `close`.
 * The package must be built (`npm run build`): the page uses dist/esm, the images app/dist.
 */
async function startPlayground({ port = 0, host = '127.0.0.1' } = {}) {
  const files = {
    '/': ['text/html', readFileSync(join(__dirname, 'index.html'))],
    '/app.js': ['text/javascript', await bundle()],
    '/images.json': ['application/json', JSON.stringify(paperImages())],
  };
  const server = http.createServer((request, response) => {
    const file = files[request.url.split('?')[0]];
    response.writeHead(file ? 200 : 404, { 'content-type': file ? file[0] : 'text/plain' });
    response.end(file ? file[1] : 'not found');
  });
  await new Promise((listening, failed) => server.once('error', failed).listen(port, host, listening));
  return {
    url: `http://${host}:${server.address().port}/`,
    close: () => new Promise((closed) => server.close(closed)),
  };
}

module.exports = { startPlayground };

if (require.main === module) {
  const at = process.argv.indexOf('--port');
  const port = at > 0 ? Number(process.argv[at + 1]) : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: expected an integer from 0 to 65535, got ${process.argv[at + 1]}`);
    process.exit(2);
  }
  startPlayground({ port }).then(
    ({ url }) => console.log(`tfjs-topo playground: ${url}  (Ctrl-C to stop)`),
    (e) => {
      console.error(`playground: ${e.message}`);
      process.exit(1);
    },
  );
}
