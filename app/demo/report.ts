/**
 * The demo's report writer: one self-contained HTML page (PNG figures as data URIs, SVG figures
 * inline, a table of contents) and a GitHub-flavoured markdown summary whose figures link to
 * files written under `figures/`. Output is deterministic: no timestamps, no random ids.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { withPath } from '../io/fs-errors';
import { join } from 'path';
import { dataUri, pngSize } from './images';
import { escapeXml } from './plots';

export interface ReportFigure {
  caption: string;
  /** An SVG document (as made by `./plots`), inlined in the HTML. */
  svg?: string;
  /** PNG bytes, embedded in the HTML as a data URI. */
  png?: Uint8Array;
  /**
   * File name under `figures/` for the image (a wrong or missing extension is fixed; unsafe
   * characters become "-"; clashes get "-2", "-3", …). Default: `<section id>-<n>`.
   */
  file?: string;
}

export interface ReportSection {
  /** Anchor for the table of contents (made URL-safe and unique). */
  id: string;
  title: string;
  /**
   * Plain paragraphs separated by blank lines; a paragraph whose lines all start with "- " is a
   * bullet list; `code` and **bold** are rendered in the HTML, and kept as is in the markdown.
   */
  text?: string;
  figures?: ReportFigure[];
  table?: { headers: string[]; rows: (string | number)[][] };
}

export interface Report {
  title: string;
  subtitle?: string;
  sections: ReportSection[];
}

/** x rounded to `digits` decimals, for tables. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Where a figure's images went, relative to the output folder. */
interface PlacedFigure {
  figure: ReportFigure;
  svgFile?: string;
  pngFile?: string;
}

interface PlacedSection {
  section: ReportSection;
  anchor: string;
  figures: PlacedFigure[];
}

/**
 * Writes `outDir/report.html`, `outDir/summary.md` and every figure's PNG or SVG under
 * `outDir/figures/` (folders are created; other files there are left alone). Returns the paths of
 * the HTML page and the markdown summary.
 */
export function writeReport(outDir: string, report: Report): { html: string; markdown: string } {
  const figuresDir = join(outDir, 'figures');
  withPath('create', figuresDir, () => mkdirSync(figuresDir, { recursive: true }));

  const anchors = new Set(['contents', 'top']);
  const files = new Set<string>();
  const placed: PlacedSection[] = report.sections.map((section) => {
    const anchor = unique(slug(section.id || section.title) || 'section', anchors);
    const figures = (section.figures ?? []).map((figure, i) => {
      const base = figureBase(figure.file, `${anchor}-${i + 1}`);
      const out: PlacedFigure = { figure };
      if (figure.svg !== undefined) {
        out.svgFile = `figures/${unique(base, files, '.svg')}`;
        write(join(outDir, out.svgFile), standaloneSvg(figure.svg));
      }
      if (figure.png !== undefined) {
        out.pngFile = `figures/${unique(base, files, '.png')}`;
        write(join(outDir, out.pngFile), figure.png);
      }
      return out;
    });
    return { section, anchor, figures };
  });

  const html = join(outDir, 'report.html');
  const markdown = join(outDir, 'summary.md');
  write(html, renderHtml(report, placed));
  write(markdown, renderMarkdown(report, placed));
  return { html, markdown };
}

/** writeFileSync with a one-line error naming the path (a full disk, a read-only folder). */
function write(path: string, data: string | Uint8Array): void {
  withPath('write', path, () => writeFileSync(path, data));
}

/**
 * A table cell as text: numbers with up to four significant digits (integers in full, exponent
 * form for very large or small magnitudes), non-finite numbers as "—", strings unchanged.
 */
export function formatCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (Number.isInteger(value) && a < 1e15) return String(value);
  if (a >= 1e6 || a < 1e-3)
    return value
      .toExponential(2)
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  if (a >= 1000) return String(Math.round(value * 10) / 10);
  return String(Number(value.toPrecision(4)));
}

// ---------------------------------------------------------------------------------------------
// HTML

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f6f8; color: #1f2328; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 22px 56px; }
header h1 { font-size: 1.65rem; line-height: 1.25; margin: 0 0 .35rem; }
.subtitle { color: #57606a; margin: 0; }
nav.toc { background: #fff; border: 1px solid #e1e4e8; border-radius: 8px; padding: .7rem 1.3rem .8rem; margin: 1.4rem 0 1.6rem; }
nav.toc h2 { font-size: .95rem; margin: 0 0 .3rem; border: 0; padding: 0; text-transform: uppercase; letter-spacing: .04em; color: #57606a; }
nav.toc ol { margin: 0; padding-left: 1.4rem; columns: 2 280px; column-gap: 2rem; }
nav.toc li { break-inside: avoid; }
section { margin: 2.4rem 0 0; scroll-margin-top: 12px; }
section h2 { font-size: 1.3rem; margin: 0 0 .7rem; padding-bottom: .3rem; border-bottom: 1px solid #d8dee4; }
p, ul { margin: .5rem 0 .9rem; max-width: 80ch; }
code { background: #eaeef2; border-radius: 4px; padding: .05em .3em; font-size: .88em; }
a { color: #0969da; text-decoration: none; }
a:hover { text-decoration: underline; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 16px; margin: 1rem 0; align-items: start; }
figure { margin: 0; background: #fff; border: 1px solid #e1e4e8; border-radius: 8px; padding: 10px; display: flex; flex-direction: column; align-items: center; min-width: 0; }
figure img, figure svg { display: block; max-width: 100%; height: auto; }
figure img.pixelated { image-rendering: pixelated; }
figcaption { font-size: .86rem; color: #424a53; margin-top: .5rem; text-align: center; }
figure.wide { grid-column: 1 / -1; }
@media (min-width: 760px) { figure.wide { grid-column: span 2; } }
.table-wrap { overflow-x: auto; margin: 1rem 0; border: 1px solid #e1e4e8; border-radius: 8px; background: #fff; }
table { border-collapse: collapse; font-size: .88rem; width: 100%; }
th, td { padding: .38rem .7rem; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; vertical-align: bottom; }
td { white-space: nowrap; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #fafbfc; }
tbody tr:last-child td { border-bottom: 0; }
`;

function renderHtml(report: Report, sections: PlacedSection[]): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push('<html lang="en">');
  out.push('<head>');
  out.push('<meta charset="utf-8">');
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<title>${esc(report.title)}</title>`);
  out.push(`<style>${CSS}</style>`);
  out.push('</head>');
  out.push('<body>');
  out.push('<main id="top">');
  out.push('<header>');
  out.push(`<h1>${esc(report.title)}</h1>`);
  if (report.subtitle) out.push(`<p class="subtitle">${esc(report.subtitle)}</p>`);
  out.push('</header>');
  if (sections.length > 0) {
    out.push('<nav class="toc" id="contents">');
    out.push('<h2>Contents</h2>');
    out.push('<ol>');
    for (const s of sections) out.push(`<li><a href="#${s.anchor}">${esc(s.section.title)}</a></li>`);
    out.push('</ol>');
    out.push('</nav>');
  }
  for (const s of sections) {
    out.push(`<section id="${s.anchor}">`);
    out.push(`<h2>${esc(s.section.title)}</h2>`);
    if (s.section.text) out.push(textHtml(s.section.text));
    if (s.figures.length > 0) {
      out.push('<div class="figures">');
      for (const f of s.figures) out.push(figureHtml(f));
      out.push('</div>');
    }
    if (s.section.table) out.push(tableHtml(s.section.table));
    out.push('</section>');
  }
  out.push('</main>');
  out.push('</body>');
  out.push('</html>');
  return out.join('\n') + '\n';
}

function figureHtml(placed: PlacedFigure): string {
  const { figure } = placed;
  const parts: string[] = [];
  let wide = false;
  if (figure.svg !== undefined) {
    const svg = inlineSvg(figure.svg);
    const width = Number(/^<svg\b[^>]*?\swidth="([\d.]+)"/.exec(svg)?.[1] ?? 0);
    if (width > 400) wide = true;
    parts.push(svg);
  }
  if (figure.png !== undefined) {
    const size = pngSize(figure.png);
    let attrs = '';
    let cls = '';
    if (size) {
      // Small images are shown at an integer zoom so that their pixels stay square and crisp.
      const zoom = Math.max(1, Math.floor(256 / Math.max(size.width, size.height)));
      attrs = ` width="${size.width * zoom}" height="${size.height * zoom}"`;
      if (size.width * zoom <= 400) cls = ' class="pixelated"';
      if (size.width * zoom > 520) wide = true;
    }
    parts.push(`<img${cls} src="${dataUri(figure.png)}" alt="${esc(figure.caption)}"${attrs}>`);
  }
  return `<figure${wide ? ' class="wide"' : ''}>\n${parts.join('\n')}\n<figcaption>${esc(figure.caption)}</figcaption>\n</figure>`;
}

function tableHtml(table: { headers: string[]; rows: (string | number)[][] }): string {
  const width = Math.max(table.headers.length, ...table.rows.map((r) => r.length));
  const numeric = Array.from({ length: width }, (_, c) => isNumericColumn(table.rows, c));
  const cls = (c: number) => (numeric[c] ? ' class="num"' : '');
  const out: string[] = ['<div class="table-wrap">', '<table>', '<thead>', '<tr>'];
  for (let c = 0; c < width; c++) out.push(`<th${cls(c)}>${esc(table.headers[c] ?? '')}</th>`);
  out.push('</tr>', '</thead>', '<tbody>');
  for (const row of table.rows) {
    out.push(
      `<tr>${Array.from({ length: width }, (_, c) => `<td${cls(c)}>${esc(formatCell(row[c]))}</td>`).join('')}</tr>`,
    );
  }
  out.push('</tbody>', '</table>', '</div>');
  return out.join('\n');
}

/** A column is right-aligned when every cell in it is a number (or missing). */
function isNumericColumn(rows: (string | number)[][], c: number): boolean {
  let any = false;
  for (const row of rows) {
    const v = row[c];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'number') return false;
    any = true;
  }
  return any;
}

/** Paragraphs and bullet lists from markdown-ish plain text. */
function textHtml(text: string): string {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  return blocks
    .map((block) => {
      const lines = block.split('\n').map((l) => l.trim());
      if (lines.every((l) => /^[-*] /.test(l)))
        return `<ul>\n${lines.map((l) => `<li>${inline(l.slice(2))}</li>`).join('\n')}\n</ul>`;
      return `<p>${inline(lines.join(' '))}</p>`;
    })
    .join('\n');
}

/** Escaped text with `code` and **bold**. */
function inline(s: string): string {
  return esc(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

/** An SVG document ready to inline in HTML: without an XML declaration or doctype. */
function inlineSvg(svg: string): string {
  return svg
    .replace(/^\uFEFF?\s*<\?xml[^>]*\?>\s*/, '')
    .replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '')
    .trim();
}

/** An SVG document as a file: with the namespace declared and an XML declaration. */
function standaloneSvg(svg: string): string {
  let body = inlineSvg(svg);
  if (!/^<svg\b[^>]*\sxmlns=/.test(body)) body = body.replace(/^<svg\b/, '<svg xmlns="http://www.w3.org/2000/svg"');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

function renderMarkdown(report: Report, sections: PlacedSection[]): string {
  const out: string[] = [`# ${mdLine(report.title)}`, ''];
  if (report.subtitle) out.push(`_${mdLine(report.subtitle)}_`, '');
  out.push('Full report with every figure: [report.html](report.html).', '');
  for (const s of sections) {
    out.push(`## ${mdLine(s.section.title)}`, '');
    if (s.section.text) out.push(mdText(s.section.text.replace(/\r\n?/g, '\n').trim()), '');
    if (s.section.table) out.push(tableMarkdown(s.section.table), '');
    for (const f of s.figures) {
      for (const file of [f.svgFile, f.pngFile]) {
        if (!file) continue;
        out.push(`![${mdAlt(f.figure.caption)}](${encodeURI(file)})\\`, `_${mdLine(f.figure.caption)}_`, '');
      }
    }
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

function tableMarkdown(table: { headers: string[]; rows: (string | number)[][] }): string {
  const width = Math.max(table.headers.length, ...table.rows.map((r) => r.length), 1);
  const cell = (v: string | number | undefined) => mdCell(formatCell(v));
  const lines = [
    `| ${Array.from({ length: width }, (_, c) => mdCell(table.headers[c] ?? '')).join(' | ')} |`,
    `| ${Array.from({ length: width }, (_, c) => (isNumericColumn(table.rows, c) ? '---:' : '---')).join(' | ')} |`,
  ];
  for (const row of table.rows) lines.push(`| ${Array.from({ length: width }, (_, c) => cell(row[c])).join(' | ')} |`);
  return lines.join('\n');
}

/** Text on one line (newlines become spaces), with "<" escaped so it cannot become raw HTML. */
function mdLine(s: string): string {
  return mdText(s.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}

/** Markdown text with "<" outside `code` spans written as "&lt;" (GitHub would read tags as HTML). */
function mdText(s: string): string {
  return s
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;')))
    .join('');
}

function mdCell(s: string): string {
  const text = mdLine(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
  return text === '' ? ' ' : text;
}

function mdAlt(s: string): string {
  return mdLine(s).replace(/([\\[\]])/g, '\\$1');
}

// ---------------------------------------------------------------------------------------------
// Names

function esc(s: string): string {
  return escapeXml(s);
}

/** A file name for a label: lower case, runs of other characters as one '-'. */
export function fileSlug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A safe file name stem: the given name (minus a .png/.svg extension) or the fallback. */
function figureBase(file: string | undefined, fallback: string): string {
  const stem = (file ?? '').replace(/\.(png|svg)$/i, '');
  const safe = stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+|-+$/g, '');
  return safe || fallback;
}

/** The name (plus suffix), made unique in `used` with "-2", "-3", … and recorded there. */
function unique(name: string, used: Set<string>, suffix = ''): string {
  let candidate = name + suffix;
  for (let k = 2; used.has(candidate.toLowerCase()); k++) candidate = `${name}-${k}${suffix}`;
  used.add(candidate.toLowerCase());
  return candidate;
}
