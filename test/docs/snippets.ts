// The code blocks of the README and the guides, read from their Markdown, and how each kind runs:
// a document's `js` blocks in order as one ES module (a guide is one program, read top to bottom),
// `html` blocks as a page's scripts, `sh` blocks' `tfjs-topo` commands through the package's bin.
import { spawnSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import * as vm from 'vm';
import { browserGlobal, ROOT } from '../package/helpers';

/** A fenced code block: its language tag, its text, and the line of its opening fence. */
export interface Snippet {
  lang: string;
  code: string;
  line: number;
}

/** Every fenced code block of a Markdown text, in order. */
export function snippetsOf(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (open === null) continue;
    const [, indent, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j] !== `${indent}\`\`\``) body.push(lines[j++].slice(indent.length));
    if (j === lines.length) throw new Error(`line ${i + 1}: a code block that never closes`);
    snippets.push({ lang, code: body.join('\n'), line: i + 1 });
    i = j;
  }
  return snippets;
}

/** What a finished run printed. */
export interface Run {
  status: number | null;
  output: string;
}

/**
 * Runs an ES module by Node in `project` (a folder whose node_modules has tfjs-topo and tfjs, as a
 * user's has) with the repository as working folder, so that paths such as
 * `examples/data/blobs.png` read the shipped files.
 */
export function runModule(name: string, program: string, project: string, timeoutMs: number): Run {
  const file = join(project, `${name.replace(/[^\w.-]/g, '_')}.mjs`);
  writeFileSync(file, program);
  const child = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs });
  return { status: child.status, output: `${child.stdout ?? ''}${child.stderr ?? ''}${child.error?.message ?? ''}` };
}

/**
 * A document's `js` blocks as one program, in order, each preceded by a comment naming its line so
 * that a stack trace points back into the document.
 */
export function documentProgram(name: string, snippets: Snippet[]): string {
  return snippets.map((s) => `// ${name}:${s.line}\n${s.code}\n`).join('\n');
}

/**
 * The `@example` blocks of a source file's doc comments: each a fenced `js` block (anything else
 * after `@example` is an error), its line that of the fence.
 */
export function examplesOf(source: string, file: string): Snippet[] {
  const examples: Snippet[] = [];
  for (const comment of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const text = comment[0]
      .split('\n')
      .map((line) => line.replace(/^\s*\/?\*+\/?( ?)/, ''))
      .join('\n');
    const firstLine = source.slice(0, comment.index).split('\n').length;
    for (const tag of text.matchAll(/@example\s*\n/g)) {
      const fence = /^```js\n([\s\S]*?)\n```/.exec(text.slice(tag.index + tag[0].length));
      const line = firstLine + text.slice(0, tag.index).split('\n').length;
      if (fence === null) throw new Error(`${file}:${line}: an @example that is not a fenced js block`);
      examples.push({ lang: 'js', code: fence[1], line });
    }
  }
  return examples;
}

/**
 * The reference's examples as one program: what they assume in scope (`tf` from
 * `@tensorflow/tfjs`, every export of tfjs-topo by name), then each example in a block of its own,
 * so that they may reuse names.
 */
export function examplesProgram(examples: { file: string; snippet: Snippet }[], exportNames: string[]): string {
  const preamble = `import * as tf from '@tensorflow/tfjs';\nimport { ${exportNames.join(', ')} } from 'tfjs-topo';\n`;
  return (
    preamble + examples.map(({ file, snippet }) => `// ${file}:${snippet.line}\n{\n${snippet.code}\n}\n`).join('\n')
  );
}

/** Where a page's `<script src>` comes from here: tfjs from node_modules, tfjs-topo from dist. */
const LOCAL_SCRIPTS: [RegExp, string][] = [
  [/\/@tensorflow\/tfjs@[^/]+\/dist\/tf\.min\.js$/, 'node_modules/@tensorflow/tfjs/dist/tf.min.js'],
  [/\/tfjs-topo(@[^/]+)?\/dist\/tfjs-topo\.min\.js$/, 'dist/tfjs-topo.min.js'],
];

/**
 * An `html` block's scripts, in order, in one browser-like `vm` context: each `src` is read from its
 * local copy (an unknown one is an error), each inline script run as written. Resolves to what the
 * page logged (its console's log, warn and error lines) once its pending promises settle.
 */
export async function runPage(html: string): Promise<string[]> {
  const logged: string[] = [];
  const log = (...args: unknown[]): number => logged.push(args.map(String).join(' '));
  const context = vm.createContext({ ...browserGlobal(), console: { log, info: log, warn: log, error: log } });
  for (const [, src, inline] of html.matchAll(/<script(?:\s+src="([^"]+)")?\s*>([\s\S]*?)<\/script>/g)) {
    if (src !== undefined) {
      const local = LOCAL_SCRIPTS.find(([pattern]) => pattern.test(src));
      if (local === undefined) throw new Error(`no local copy of the script ${src}`);
      vm.runInContext(readFileSync(join(ROOT, local[1]), 'utf8'), context, { filename: src });
    } else vm.runInContext(inline, context, { filename: 'inline script' });
  }
  await new Promise((done) => setTimeout(done, 100));
  return logged;
}

/**
 * The command lines of an `sh` block, each split into words: comments and blank lines dropped.
 * Only the package's own command and npm's are allowed in the docs (anything else cannot be
 * checked here); `npx tfjs-topo …` runs through `bin/tfjs-topo.js`.
 */
export function commandsOf(sh: string): string[][] {
  return sh
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(/\s+/));
}

/** Runs `npx tfjs-topo ARGS` as the installed bin would, in the repository. */
export function runCommand(args: string[]): Run {
  const child = spawnSync(process.execPath, [join(ROOT, 'bin', 'tfjs-topo.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: child.status, output: `${child.stdout ?? ''}${child.stderr ?? ''}` };
}
