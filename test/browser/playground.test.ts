/// <reference lib="dom" />
import { join } from 'path';
import { assertBuilt, ROOT } from '../package/helpers';
import { assertChromium, BrowserPage, openPage } from './chromium';

// The playground (`npm run playground`) in headless Chromium on webgl: a short STUMP run on the
// paper's blobs image changes the image and draws its diagram and loss curve; the critical smear
// draws a heat map; dragging a point of the cloud redraws its Rips diagram; exports work. A
// screenshot is taken after the run and must show something drawn.

jest.setTimeout(120_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startPlayground } = require(join(ROOT, 'playground', 'serve.js')) as {
  startPlayground(options: { port: number }): Promise<{ url: string; close(): Promise<void> }>;
};

let server: { url: string; close(): Promise<void> } | undefined;
let browser: BrowserPage | undefined;

beforeAll(async () => {
  assertBuilt();
  assertChromium();
  server = await startPlayground({ port: 0 });
  browser = await openPage({ url: server.url });
  await browser.page.evaluate(() => (globalThis as never as { playground: { ready: Promise<void> } }).playground.ready);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The sum of a canvas's pixel values: changes when what is drawn changes. */
const signature = (id: string): Promise<number> =>
  browser!.page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return data.reduce((a, b) => a + b, 0);
  }, id);

const points = (id: string): Promise<number> =>
  browser!.page.evaluate((canvasId) => Number(document.getElementById(canvasId)!.dataset.points), id);

test('a short STUMP run on webgl changes the image and draws its diagram and loss curve', async () => {
  const page = browser!.page;
  expect(await page.textContent('#backend')).toBe('Running on webgl.');
  const before = await signature('imageCanvas');
  await page.click('#run');
  await page.waitForFunction(
    () => (globalThis as never as { playground: { state: { steps: number } } }).playground.state.steps >= 10,
  );
  await page.click('#run'); // pause
  await page.waitForTimeout(500); // the last frame's redraw
  expect(await signature('imageCanvas')).not.toBe(before);
  expect(await points('diagramCanvas')).toBeGreaterThan(0);
  expect(await signature('lossCanvas')).toBeGreaterThan(0);
  expect(await page.textContent('#status')).toMatch(/^step \d+ +exact Φ [\d.]+ +backend webgl$/);
  const screenshot = await page.screenshot({ fullPage: true });
  expect(screenshot.length).toBeGreaterThan(10_000);
});

test('the critical smear draws a heat map', async () => {
  await browser!.page.click('#smear');
  await browser!.page.waitForFunction(() =>
    /critical smear of \d+ pairs/.test(document.getElementById('status')!.textContent!),
  );
  expect(await signature('smearCanvas')).toBeGreaterThan(0);
});

test('exports give the diagram as JSON', async () => {
  const json = await browser!.page.evaluate(() =>
    (
      globalThis as never as { playground: { exportJson(): { pairs: unknown[]; steps: number } } }
    ).playground.exportJson(),
  );
  expect(json.pairs.length).toBeGreaterThan(0);
  expect(json.steps).toBeGreaterThanOrEqual(10);
});

test('dragging a point of the cloud redraws its Rips diagram', async () => {
  const page = browser!.page;
  expect(await points('cloudDiagramCanvas')).toBeGreaterThan(0);
  const before = await signature('cloudDiagramCanvas');
  await page.locator('#cloudCanvas').scrollIntoViewIfNeeded();
  const box = (await page.locator('#cloudCanvas').boundingBox())!;
  // Point 0 sits at (0.5 + 0.35, 0.5) of the canvas: drag it to the centre.
  await page.mouse.move(box.x + 0.85 * box.width, box.y + 0.5 * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + 0.5 * box.width, box.y + 0.5 * box.height, { steps: 5 });
  await page.mouse.up();
  expect(await signature('cloudDiagramCanvas')).not.toBe(before);
});
