import { existsSync, readdirSync, readFileSync, symlinkSync } from 'fs';
import { createRequire } from 'module';
import { join } from 'path';
import { assertBuilt, removeProject, ROOT, userProject } from '../package/helpers';
import {
  commandsOf,
  documentProgram,
  examplesOf,
  examplesProgram,
  runCommand,
  runModule,
  runPage,
  Snippet,
  snippetsOf,
} from './snippets';

// Every code block of the README and the guides runs here, against the built package as a user's
// program would load it: a document's `js` blocks in order as one ES module, `html` blocks as a
// page in a browser-like context, `sh` blocks' `tfjs-topo` commands through the bin. `json` blocks
// must parse, `text` blocks are output. npm commands are not run (they are what CI itself runs, and
// `node examples/…` is test/examples.test.ts's), but each `npm run` script and example must exist.

const GUIDES = join(ROOT, 'docs', 'guides');
const DOCUMENTS = ['README.md', ...readdirSync(GUIDES).map((f) => `docs/guides/${f}`)];
const LANGS = new Set(['js', 'html', 'sh', 'json', 'text']);
const SCRIPTS = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts);

const snippets = new Map(DOCUMENTS.map((d) => [d, snippetsOf(readFileSync(join(ROOT, d), 'utf8'))]));
const of = (document: string, lang: string): Snippet[] => snippets.get(document)!.filter((s) => s.lang === lang);
const where = (document: string, s: Snippet): string => `${document}:${s.line}`;

let project: string | undefined;
beforeAll(() => {
  assertBuilt();
  project = userProject();
  // npm puts the package's one dependency beside it in a user's node_modules.
  symlinkSync(join(ROOT, 'node_modules', 'pngjs'), join(project, 'node_modules', 'pngjs'), 'dir');
});
afterAll(() => removeProject(project));

test('every document has guides to run and only known block languages', () => {
  expect(DOCUMENTS.length).toBeGreaterThan(5);
  const unknown = DOCUMENTS.flatMap((d) =>
    snippets
      .get(d)!
      .filter((s) => !LANGS.has(s.lang))
      .map((s) => where(d, s)),
  );
  expect(unknown).toEqual([]);
});

/** `test`, or `test.skip` where a document has no block of that kind (jest refuses an empty table). */
const testIf = (any: boolean): jest.It => (any ? test : test.skip);

function check(words: string[]): void {
  const [program, ...args] = words;
  if (program === 'npx' && args[0] === 'tfjs-topo') {
    const run = runCommand(args.slice(1));
    if (run.status !== 0) throw new Error(`${words.join(' ')}: exit ${run.status}:\n${run.output}`);
  } else if (program === 'npm') {
    if (args[0] === 'run') expect(SCRIPTS).toContain(args[1]);
    else expect(['install', 'ci', 'test']).toContain(args[0]);
  } else if (program === 'node') {
    expect(existsSync(join(ROOT, args[0]))).toBe(true);
  } else throw new Error(`a command the docs test cannot check: ${words.join(' ')}`);
}

describe.each(DOCUMENTS)('%s', (document) => {
  const js = of(document, 'js');
  testIf(js.length > 0)(
    `its ${js.length} js block(s) run in order as one program`,
    () => {
      const run = runModule(document, documentProgram(document, js), project!, 170_000);
      if (run.status !== 0) throw new Error(`${document} failed (exit ${run.status}):\n${run.output}`);
    },
    180_000,
  );

  const pages = of(document, 'html');
  testIf(pages.length > 0)('its html pages run on the script bundle', async () => {
    for (const page of pages) {
      const logged = await runPage(page.code);
      if (logged.some((line) => /Error/.test(line) && !/WebGL/.test(line)))
        throw new Error(`the page at ${where(document, page)} failed:\n${logged.join('\n')}`);
    }
  });

  const commands = of(document, 'sh').flatMap((s) => commandsOf(s.code));
  testIf(commands.length > 0)(
    `its ${commands.length} command(s) run or name what exists`,
    () => commands.forEach(check),
    120_000,
  );

  const json = of(document, 'json');
  testIf(json.length > 0)('its json blocks parse', () => {
    for (const block of json) expect(() => JSON.parse(block.code)).not.toThrow();
  });
});

test("the API reference's @example blocks run, with tf and the package's exports in scope", () => {
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const examples = files.flatMap((file) =>
    examplesOf(readFileSync(join(ROOT, 'src', file), 'utf8'), `src/${file}`).map((snippet) => ({
      file: `src/${file}`,
      snippet,
    })),
  );
  expect(examples.length).toBeGreaterThan(20);
  // The package's export names, read from the built CommonJS entry as a user's require would see them.
  const exportNames = Object.keys(createRequire(__filename)(join(ROOT, 'dist', 'index.js')));
  const run = runModule('examples', examplesProgram(examples, exportNames), project!, 170_000);
  if (run.status !== 0) throw new Error(`an @example failed (exit ${run.status}):\n${run.output}`);
}, 180_000);
