'use strict';
// Headless Chromium for the browser tests and bench/backends.js, and the bundling of a page's app: Debian's /usr/bin/chromium driven by
// playwright-core (no downloaded browser), with the flags that give tfjs WebGL 2 and WebGPU on
// SwiftShader, a profile, config and temp folder of its own (crash dumps would otherwise land in the
// home folder), and pages served from 127.0.0.1 (WebGPU needs a secure context; about:blank is not).
const { existsSync, mkdtempSync, rmSync } = require('fs');
const { createServer } = require('http');
const { tmpdir } = require('os');
const { dirname, join } = require('path');
const esbuild = require('esbuild');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
  // WebGPU on SwiftShader's Vulkan: without these, setBackend('webgpu') resolves false and tfjs
  // falls back silently, or reads crash the GPU process.
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
];

/** Throws, saying how to get it, when the browser is missing: these tests never skip silently. */
function assertChromium() {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH.`,
    );
}

/**
 * A fresh headless Chromium on `target.url`, or on a blank page at http://127.0.0.1 that runs
 * `target.script` (a bundle). Resolves to the page, what it printed, and `close`.
 */
async function openPage(target) {
  assertChromium();
  const home = mkdtempSync(join(tmpdir(), 'tfjs-topo-chromium-'));
  let server;
  let url = target.url;
  if (target.script !== undefined) {
    server = createServer((request, response) => {
      const js = request.url === '/app.js';
      response.setHeader('content-type', js ? 'text/javascript' : 'text/html');
      response.end(js ? target.script : '<!doctype html><html><body><script src="/app.js"></script></body></html>');
    });
    await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
    url = `http://127.0.0.1:${server.address().port}/`;
  }
  const context = await chromium.launchPersistentContext(join(home, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home, TMPDIR: home },
  });
  const page = context.pages()[0] || (await context.newPage());
  const console = [];
  page.on('console', (message) => console.push(message.text()));
  page.on('pageerror', (error) => console.push(`page error: ${error.message}`));
  await page.goto(url);
  return {
    page,
    console,
    async close() {
      await context.close();
      if (server) await new Promise((closed) => server.close(closed));
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * `entry` (an ES module of a user's app) bundled for the browser as one script that defines the
 * global `globalName`, resolving packages from `nodeModules` as a user's project would.
 */
async function bundleForBrowser(entry, globalName, nodeModules) {
  const result = await esbuild.build({
    stdin: { contents: `export * from ${JSON.stringify(entry)};`, resolveDir: dirname(entry) },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName,
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    tsconfigRaw: '{}',
    nodePaths: [nodeModules],
  });
  return result.outputFiles[0].text;
}

module.exports = { CHROMIUM, assertChromium, openPage, bundleForBrowser };
