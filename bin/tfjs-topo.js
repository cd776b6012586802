#!/usr/bin/env node
'use strict';
// Thin launcher: the tool lives in app/dist/cli.js (built from app/cli.ts by `npm run build`).
const path = require('path');
const fs = require('fs');

const cli = path.join(__dirname, '..', 'app', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  // A git checkout before its first build (a published package always has it).
  process.stderr.write(`tfjs-topo: the tool is not built (${cli} is missing): run npm run build\n`);
  process.exit(1);
}
const { main } = require(cli);

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
