import { spawnSync } from 'child_process';
import * as path from 'path';

// The API reference (`npm run docs`, TypeDoc) builds without a warning: every public export, option
// and layer argument has a doc comment (typedoc.json's `notDocumented` validation), every type a
// public signature names is exported, and every link resolves. Checked without writing the pages.

const ROOT = path.join(__dirname, '..', '..');

test('the API reference builds with every export documented and no warning', () => {
  const typedoc = path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');
  const run = spawnSync(process.execPath, [typedoc, '--emit', 'none'], { cwd: ROOT, encoding: 'utf8' });
  const output = (run.stdout + run.stderr).replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex
  expect(output.split('\n').filter((line) => /\[(warning|error)\]/.test(line))).toEqual([]);
  expect(run.status).toBe(0);
}, 120_000);
