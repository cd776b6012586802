import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';

// Every example runs to completion at a small size. They load the built package, as a user's
// script would: `npm test` builds it first (`npm run build`).

const root = join(__dirname, '..');

describe('examples run', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'index.js')))
      throw new Error('the examples need the built package: run npm run build');
  });

  test.each([
    ['blobs-stump.js', ['20']],
    ['segmentation-fit.js', []],
    ['point-cloud-loop.js', ['60', '10']],
    ['point-cloud-3d.js', ['60', '10']],
    ['torus-mesh.js', ['10']],
    ['perslay-shapes.js', ['20', '3']],
    ['segmentation/train-unet.js', ['1', '16']],
    ['segmentation/train-unet.js', ['1', '16', 'componentGraph']],
  ])(
    '%s',
    (file, args) => {
      const out = execFileSync(process.execPath, [join(root, 'examples', file), ...args], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).toMatch(/\d/); // it reported its figures
    },
    120_000,
  );
});
