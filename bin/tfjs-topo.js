#!/usr/bin/env node
'use strict';
// Thin launcher: the tool lives in app/dist/cli.js (built from app/cli.ts by `npm run build`).
const { main } = require('../app/dist/cli.js');

// A closed pipe (`tfjs-topo diagram x.npy | head`) is not an error of the tool.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`tfjs-topo: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 1;
  },
);
