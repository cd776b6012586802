#!/usr/bin/env node
'use strict';
// Builds the package from a clean slate:
//   dist/            the library as CommonJS, with declarations  (package.json "require")
//   dist/esm/        the library as ES modules, with declarations ("import", "browser", "module")
//   dist/tfjs-topo.min.js  one script for a <script> tag, tfjs taken from the global `tf`
//   app/dist/        the command-line tool, the demo and 'tfjs-topo/node' (Node only), built against dist/
const { execFileSync } = require('child_process');
const { rmSync, writeFileSync } = require('fs');
const { join } = require('path');
const esbuild = require('esbuild');

const root = join(__dirname, '..');
const tsc = (project) =>
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], {
    cwd: root,
    stdio: 'inherit',
  });

rmSync(join(root, 'dist'), { recursive: true, force: true });
rmSync(join(root, 'app', 'dist'), { recursive: true, force: true });
tsc('tsconfig.build.json');
tsc('tsconfig.esm.json');
// Bundlers read `sideEffects` from the nearest package.json, which for dist/esm/ is this one: the same
// declaration as the root's. Importing the package registers the loss layers with tfjs's
// serialization (index.js pulls in layers/*.js); every other module may be dropped when unused.
writeFileSync(
  join(root, 'dist', 'esm', 'package.json'),
  `${JSON.stringify({ type: 'module', sideEffects: ['./index.js', './layers/*.js'] }, null, 2)}\n`,
);
tsc('app/tsconfig.json');
tsc('app/tsconfig.node-types.json');

// tfjs-core and tfjs-layers are one global `tf` when loaded by <script> (tf.min.js holds both).
const tfGlobal = {
  name: 'tf-global',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-(core|layers)$/ }, (args) => ({
      path: args.path,
      namespace: 'tf-global',
    }));
    build.onLoad({ filter: /.*/, namespace: 'tf-global' }, () => ({
      contents: 'module.exports = globalThis.tf;',
      loader: 'js',
    }));
  },
};
esbuild
  .build({
    absWorkingDir: root,
    entryPoints: ['dist/esm/index.js'],
    outfile: 'dist/tfjs-topo.min.js',
    bundle: true,
    format: 'iife',
    globalName: 'tfjsTopo',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    plugins: [tfGlobal],
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
