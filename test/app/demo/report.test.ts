import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PNG } from 'pngjs';
import {
  colormapRgb,
  dataUri,
  grayPng,
  heatmapPng,
  heatmapRange,
  overlayMask,
  pngSize,
  upscale,
} from '../../../app/demo/images';
import { colorbar, diagramPlot, escapeXml, lineChart, PALETTE } from '../../../app/demo/plots';
import { formatCell, Report, writeReport } from '../../../app/demo/report';

function decode(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

function rgbAt(png: PNG, x: number, y: number): number[] {
  const i = 4 * (y * png.width + x);
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
}

/**
 * A small XML well-formedness check (no dependencies): one root element, every tag closed in
 * order, attributes quoted and unique, only the five predefined entities or character references,
 * no '<' or stray '&' in text or attribute values. Returns the element names in document order.
 */
function checkXml(doc: string): string[] {
  const names: string[] = [];
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at ${i}: ${JSON.stringify(doc.slice(Math.max(0, i - 40), i + 40))}`);
  };
  const isNameChar = (c: string) => /[A-Za-z0-9_:.-]/.test(c);
  const checkText = (s: string) => {
    for (let k = 0; k < s.length; k++) {
      if (s[k] === '<') fail('"<" in text');
      if (s[k] === '&') {
        const end = s.indexOf(';', k);
        if (end < 0) fail('unterminated entity');
        const ent = s.slice(k + 1, end);
        if (!['amp', 'lt', 'gt', 'quot', 'apos'].includes(ent) && !/^#(\d+|x[0-9a-fA-F]+)$/.test(ent))
          fail(`bad entity &${ent};`);
        k = end;
      }
    }
  };
  const skipSpace = () => {
    while (i < doc.length && /\s/.test(doc[i])) i++;
  };
  const readName = () => {
    const start = i;
    while (i < doc.length && isNameChar(doc[i])) i++;
    if (i === start) fail('expected a name');
    return doc.slice(start, i);
  };
  if (doc.startsWith('<?xml')) {
    i = doc.indexOf('?>') + 2;
    if (i < 2) fail('unterminated XML declaration');
  }
  while (i < doc.length) {
    if (doc[i] !== '<') {
      const next = doc.indexOf('<', i);
      const chunk = doc.slice(i, next < 0 ? doc.length : next);
      if (stack.length === 0 && chunk.trim() !== '') fail('text outside the root');
      checkText(chunk);
      i = next < 0 ? doc.length : next;
      continue;
    }
    if (doc.startsWith('<!--', i)) {
      const end = doc.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
      continue;
    }
    if (doc[i + 1] === '/') {
      i += 2;
      const name = readName();
      skipSpace();
      if (doc[i] !== '>') fail('expected ">"');
      i++;
      if (stack.pop() !== name) fail(`mismatched </${name}>`);
      continue;
    }
    i++;
    const name = readName();
    names.push(name);
    if (stack.length === 0) roots++;
    const attrs = new Set<string>();
    for (;;) {
      const before = i;
      skipSpace();
      if (doc[i] === '/' && doc[i + 1] === '>') {
        i += 2;
        break;
      }
      if (doc[i] === '>') {
        i++;
        stack.push(name);
        break;
      }
      if (i === before) fail('expected a space before an attribute');
      const attr = readName();
      if (attrs.has(attr)) fail(`duplicate attribute ${attr}`);
      attrs.add(attr);
      skipSpace();
      if (doc[i] !== '=') fail('expected "="');
      i++;
      skipSpace();
      const quote = doc[i];
      if (quote !== '"' && quote !== "'") fail('unquoted attribute');
      const end = doc.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated attribute');
      checkText(doc.slice(i + 1, end));
      i = end + 1;
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]}>`);
  if (roots !== 1) fail(`expected one root element, got ${roots}`);
  return names;
}

describe('checkXml (the test helper itself)', () => {
  it('accepts well-formed and rejects broken documents', () => {
    expect(checkXml('<a x="1"><b/>t &amp; u<c y=\'2\'>&#8734;</c></a>')).toEqual(['a', 'b', 'c']);
    for (const bad of [
      '<a><b></a></b>',
      '<a x=1/>',
      '<a>1 < 2</a>',
      '<a>&nbsp;</a>',
      '<a/><b/>',
      '<a>',
      '<a x="1" x="2"/>',
      '<a x="<"/>',
    ])
      expect(() => checkXml(bad)).toThrow();
  });
});

describe('grayPng', () => {
  it('maps the range endpoints to 0 and 255 and clamps outside', () => {
    const values = new Float32Array([0, 127.5, 255, -40, 300, NaN]);
    const png = decode(grayPng(values, [2, 3], [0, 255]));
    expect([png.width, png.height]).toEqual([3, 2]);
    const grey = [0, 1, 2, 3, 4, 5].map((k) => rgbAt(png, k % 3, Math.floor(k / 3)));
    for (const g of grey) expect(g[0] === g[1] && g[1] === g[2]).toBe(true);
    expect(grey.map((g) => g[0])).toEqual([0, 128, 255, 0, 255, 0]);
  });

  it('is an 8-bit grey PNG, min..max by default', () => {
    const bytes = grayPng(new Float64Array([2, 4, 6, 10]), [1, 4]);
    expect(bytes[25]).toBe(0); // IHDR colour type: grey
    expect(bytes[24]).toBe(8); // bit depth
    expect(pngSize(bytes)).toEqual({ width: 4, height: 1 });
    const png = decode(bytes);
    expect([0, 1, 2, 3].map((x) => rgbAt(png, x, 0)[0])).toEqual([0, 64, 128, 255]);
  });

  it('draws a constant image mid grey and rejects a wrong shape', () => {
    const png = decode(grayPng(new Float32Array(4).fill(7), [2, 2]));
    expect(rgbAt(png, 1, 1)).toEqual([128, 128, 128]);
    expect(() => grayPng(new Float32Array(5), [2, 2])).toThrow(/entries/);
    expect(() => grayPng(new Float32Array(0), [0, 0])).toThrow(/shape/);
  });

  it('is deterministic', () => {
    const v = Float32Array.from({ length: 64 }, (_, i) => (i * 37) % 255);
    expect(Buffer.from(grayPng(v, [8, 8])).equals(Buffer.from(grayPng(v, [8, 8])))).toBe(true);
  });
});

describe('heatmapPng', () => {
  it('puts the colour map endpoints at the range ends (viridis, magma)', () => {
    const values = new Float32Array([0, 1, -5, 9]);
    const viridis = decode(heatmapPng(values, [1, 4], { range: [0, 1] }));
    expect(rgbAt(viridis, 0, 0)).toEqual([0x44, 0x01, 0x54]);
    expect(rgbAt(viridis, 1, 0)).toEqual([0xfd, 0xe7, 0x25]);
    expect(rgbAt(viridis, 2, 0)).toEqual([0x44, 0x01, 0x54]); // clamped
    expect(rgbAt(viridis, 3, 0)).toEqual([0xfd, 0xe7, 0x25]);
    const magma = decode(heatmapPng(values, [1, 4], { colormap: 'magma' }));
    expect(rgbAt(magma, 2, 0)).toEqual([0, 0, 4]); // default range min..max
    expect(rgbAt(magma, 3, 0)).toEqual([0xfc, 0xfd, 0xbf]);
    expect(decode(heatmapPng(values, [2, 2])).width).toBe(2);
  });

  it('diverging: white at 0, symmetric range by default, blue below and red above', () => {
    const values = new Float64Array([-2, 0, 1, 2]);
    expect(heatmapRange(values, { colormap: 'diverging' })).toEqual([-2, 2]);
    const png = decode(heatmapPng(values, [1, 4], { colormap: 'diverging' }));
    const [neg, zero, half, pos] = [0, 1, 2, 3].map((x) => rgbAt(png, x, 0));
    expect(zero).toEqual([255, 255, 255]);
    expect(neg[2]).toBeGreaterThan(neg[0]); // blue
    expect(pos[0]).toBeGreaterThan(pos[2]); // red
    expect(half[0]).toBeGreaterThan(half[2]);
    expect(half[1]).toBeGreaterThan(pos[1]); // lighter than the end
    // White stays at 0 with an asymmetric range, and an all-zero image is white.
    const asym = decode(heatmapPng(new Float32Array([0, -1, 10]), [1, 3], { colormap: 'diverging', range: [-1, 10] }));
    expect(rgbAt(asym, 0, 0)).toEqual([255, 255, 255]);
    expect(rgbAt(decode(heatmapPng(new Float32Array(3), [1, 3], { colormap: 'diverging' })), 1, 0)).toEqual([
      255, 255, 255,
    ]);
  });

  it('colours NaN grey and interpolates between stops', () => {
    const png = decode(heatmapPng(new Float32Array([NaN, 0, 1]), [1, 3]));
    expect(rgbAt(png, 0, 0)).toEqual([128, 128, 128]);
    const mid = colormapRgb(0.5, 'viridis');
    expect(mid[1]).toBeGreaterThan(mid[0]); // viridis is teal in the middle
    expect(colormapRgb(0.5, 'diverging')).toEqual([255, 255, 255]);
    expect(() => heatmapPng(new Float32Array(1), [1, 1], { colormap: 'jet' as never })).toThrow(/colormap/);
  });
});

describe('upscale, overlayMask, dataUri', () => {
  it('upscales by nearest neighbour, keeping the array type', () => {
    const { values, shape } = upscale(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], 2);
    expect(values).toBeInstanceOf(Float32Array);
    expect(shape).toEqual([4, 6]);
    expect(Array.from(values)).toEqual([1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6]);
    expect(() => upscale(new Float64Array(4), [2, 2], 1.5)).toThrow(/factor/);
  });

  it('tints mask pixels and keeps the others grey', () => {
    const values = new Float32Array([0, 255, 0, 255]);
    const png = decode(overlayMask(values, [2, 2], new Uint8Array([1, 0, 0, 1]), [255, 0, 0], { alpha: 1 }));
    expect(rgbAt(png, 0, 0)).toEqual([255, 0, 0]);
    expect(rgbAt(png, 1, 0)).toEqual([255, 255, 255]);
    expect(rgbAt(png, 0, 1)).toEqual([0, 0, 0]);
    const half = decode(overlayMask(values, [2, 2], [true, false, false, false], [200, 100, 0], { alpha: 0.5 }));
    expect(rgbAt(half, 0, 0)).toEqual([100, 50, 0]);
    expect(() => overlayMask(values, [2, 2], new Uint8Array(3))).toThrow(/mask/);
  });

  it('makes a base64 data URI', () => {
    const png = grayPng(new Float32Array([1, 2]), [1, 2]);
    const uri = dataUri(png);
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    expect(Buffer.from(uri.slice('data:image/png;base64,'.length), 'base64').equals(Buffer.from(png))).toBe(true);
  });
});

describe('lineChart', () => {
  const chart = lineChart({
    title: 'Loss <vs> time & "more"',
    xLabel: 'seconds',
    yLabel: 'exact Φ',
    series: [
      {
        name: 'vanilla W2',
        points: [
          [0, 100],
          [1, 80],
          [2, 70],
          [3, NaN],
          [4, 40],
        ],
      },
      {
        name: "STUMP 'noisy'",
        points: [
          [0, 100],
          [1, 20],
          [2, 5],
        ],
        dashed: true,
      },
    ],
  });

  it('is well-formed XML with the title, labels, legend and escaped text', () => {
    const names = checkXml(chart);
    expect(names[0]).toBe('svg');
    expect(chart).toContain('Loss &lt;vs&gt; time &amp; &quot;more&quot;');
    expect(chart).toContain('>seconds</text>');
    expect(chart).toContain('>exact Φ</text>');
    expect(chart).toContain('>vanilla W2</text>');
    expect(chart).toContain('>STUMP &#39;noisy&#39;</text>');
    expect(chart).toContain(PALETTE[0]);
    expect(chart).toContain(PALETTE[1]);
    expect(chart).toContain('stroke-dasharray');
    expect(chart).not.toMatch(/\sid="/);
    expect(chart).not.toContain('NaN');
  });

  it('has nice ticks', () => {
    const labels = [...chart.matchAll(/<text [^>]*font-size="11"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(['0', '1', '2', '3', '4', '20', '40', '60', '80', '100']));
  });

  it('is deterministic, handles log axes, fixed ranges and empty input', () => {
    const options = {
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      logY: true,
      series: [
        {
          name: 'a',
          points: [
            [1, 0.001],
            [2, 10],
            [3, 0],
            [4, 1e5],
          ] as [number, number][],
        },
      ],
    };
    const log = lineChart(options);
    expect(lineChart(options)).toBe(log);
    checkXml(log);
    expect(log).toContain('>0.001</text>');
    expect(log).toContain('>10⁵</text>');
    const fixed = lineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      yRange: [0, 1.05],
      series: [
        {
          name: 'a',
          points: [
            [0, 2],
            [1, 0.5],
          ],
        },
      ],
    });
    checkXml(fixed);
    expect(fixed).toContain('>0.2</text>');
    const empty = lineChart({ title: 'nothing', xLabel: 'x', yLabel: 'y', series: [] });
    checkXml(empty);
    expect(empty).toContain('no data');
  });
});

describe('diagramPlot', () => {
  it('draws named diagrams, the diagonal and the ∞ line, well-formed', () => {
    const svg = diagramPlot({
      title: 'H1 <diagrams>',
      diagrams: [
        {
          name: 'before',
          points: [
            [0, 10],
            [2, 3],
            [5, Infinity],
          ],
          essentialBirths: [1],
        },
        { name: 'after & more', points: [[0, 40]] },
      ],
    });
    checkXml(svg);
    expect(svg).toContain('H1 &lt;diagrams&gt;');
    expect(svg).toContain('>∞</text>');
    expect(svg).toContain('before (2 points, 2 essential)');
    expect(svg).toContain('after &amp; more (1 point)');
    expect(svg).toContain('>birth</text>');
    expect(svg).toContain('>death</text>');
    expect(svg).not.toMatch(/most persistent/);
  });

  it('keeps the most persistent points beyond the cap and says so', () => {
    const points: [number, number][] = Array.from({ length: 12000 }, (_, i) => [i % 100, (i % 100) + (i % 37)]);
    points.push([0, 500]);
    const svg = diagramPlot({ title: 'many', diagrams: [{ name: 'big', points }] });
    checkXml(svg);
    expect(svg).toContain('the 5000 most persistent of 12001 points shown');
    expect(svg.length).toBeLessThan(400_000);
    // The most persistent point sets the range (0..500).
    expect(svg).toContain('>500</text>');
  });

  it('handles empty diagrams', () => {
    checkXml(diagramPlot({ title: 'empty', diagrams: [{ name: 'none', points: [] }] }));
  });
});

describe('colorbar and escapeXml', () => {
  it('draws a colour bar with ticks', () => {
    const svg = colorbar({ colormap: 'diverging', range: [-3, 3], label: 'result − input' });
    checkXml(svg);
    const fills = [...svg.matchAll(/fill="rgb\((\d+),(\d+),(\d+)\)"/g)].map((m) => [1, 2, 3].map((k) => Number(m[k])));
    expect(fills.length).toBe(64);
    expect(fills[0][2]).toBeGreaterThan(fills[0][0]); // blue end
    expect(fills[63][0]).toBeGreaterThan(fills[63][2]); // red end
    expect(Math.min(...fills[31], ...fills[32])).toBeGreaterThan(245); // white in the middle
    expect(svg).toContain('>−2</text>');
  });

  it('escapes the five special characters and drops control characters', () => {
    expect(escapeXml(`a<b>&"c'\u0001d`)).toBe('a&lt;b&gt;&amp;&quot;c&#39;d');
  });
});

describe('formatCell', () => {
  it('formats numbers sensibly and non-finite as a dash', () => {
    expect(formatCell(42)).toBe('42');
    expect(formatCell(3.14159265)).toBe('3.142');
    expect(formatCell(0.012345)).toBe('0.01235');
    expect(formatCell(1234.567)).toBe('1234.6');
    expect(formatCell(1.5e-7)).toBe('1.5e-7');
    expect(formatCell(2.5e8)).toBe('250000000');
    expect(formatCell(2.5e8 + 0.5)).toBe('2.5e8');
    expect(formatCell(NaN)).toBe('—');
    expect(formatCell(-Infinity)).toBe('—');
    expect(formatCell(-0)).toBe('0');
    expect(formatCell('12 %')).toBe('12 %');
  });
});

describe('writeReport', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-report-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a self-contained HTML page and a markdown summary with linked figures', () => {
    const grey = grayPng(
      Float32Array.from({ length: 16 }, (_, i) => i),
      [4, 4],
    );
    const heat = heatmapPng(
      Float32Array.from({ length: 16 }, (_, i) => i - 8),
      [4, 4],
      { colormap: 'diverging' },
    );
    const chart = lineChart({
      title: 'Loss chart',
      xLabel: 'seconds',
      yLabel: 'loss',
      series: [
        {
          name: 'run',
          points: [
            [0, 1],
            [1, 0.5],
          ],
        },
      ],
    });
    const dgm = diagramPlot({ title: 'Diagram plot', diagrams: [{ name: 'x', points: [[0, 1]] }] });
    const report: Report = {
      title: 'Report <title> & co',
      subtitle: 'seed 1',
      sections: [
        {
          id: 'first',
          title: 'First & foremost',
          text: 'One paragraph with `code` and **bold**.\n\n- item <one>\n- item two',
          figures: [
            { caption: 'grey input', png: grey, file: 'input.png' },
            { caption: 'difference', png: heat, file: 'input.png' }, // clash → input-2.png
            { caption: 'loss', svg: chart, file: 'loss' },
          ],
          table: {
            headers: ['name', 'value', 'note'],
            rows: [
              ['alpha', 1.23456, 'a|b'],
              ['beta', NaN, 'ok'],
              ['gamma', 7, 'x'],
            ],
          },
        },
        { id: 'first', title: 'Second', figures: [{ caption: 'diagram', svg: dgm }] },
        { id: 'third', title: 'Table only', table: { headers: ['k'], rows: [[1], [2]] } },
      ],
    };
    const paths = writeReport(join(dir, 'out'), report);
    expect(paths).toEqual({ html: join(dir, 'out', 'report.html'), markdown: join(dir, 'out', 'summary.md') });
    const html = readFileSync(paths.html, 'utf8');
    const md = readFileSync(paths.markdown, 'utf8');

    // HTML: titles escaped, a data URI per PNG, every SVG inline, a table of contents.
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('Report &lt;title&gt; &amp; co');
    for (const title of ['First &amp; foremost', 'Second', 'Table only']) expect(html).toContain(`>${title}</h2>`);
    expect(html).toContain(dataUri(grey));
    expect(html).toContain(dataUri(heat));
    expect(html.split('data:image/png;base64,').length - 1).toBe(2);
    expect(html).toContain(chart);
    expect(html).toContain(dgm);
    expect(html).toContain('<a href="#first">First &amp; foremost</a>');
    expect(html).toContain('<section id="first-2">');
    expect(html).toContain('<a href="#first-2">Second</a>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<li>item &lt;one&gt;</li>');
    expect(html).toContain('<td class="num">1.235</td>');
    expect(html).toContain('<td class="num">—</td>');
    expect(html).toContain('<td>a|b</td>');
    expect(html).not.toMatch(/<script/i);
    // The page (minus the doctype) is even well-formed XML here.
    checkXml(
      html
        .replace('<!DOCTYPE html>', '')
        .replace('<meta charset="utf-8">', '<meta charset="utf-8"/>')
        .replace(/<meta name="viewport"[^>]*>/, '')
        .replace(/<img ([^>]*)>/g, '<img $1/>'),
    );

    // Markdown: headings, table rows, links to files that exist with the right bytes.
    expect(md).toContain('# Report &lt;title> & co');
    expect(md).toContain('- item &lt;one>');
    expect(md).toContain('`code`');
    expect(md).toContain('## First & foremost');
    expect(md).toContain('| alpha | 1.235 | a\\|b |');
    expect(md).toContain('| beta | — | ok |');
    expect(md).toContain('| gamma | 7 | x |');
    expect(md).toContain('| --- | ---: | --- |');
    const links = [...md.matchAll(/\]\((figures\/[^)]+)\)/g)].map((m) => m[1]);
    expect(links).toEqual(['figures/input.png', 'figures/input-2.png', 'figures/loss.svg', 'figures/first-2-1.svg']);
    for (const link of links) expect(existsSync(join(dir, 'out', link))).toBe(true);
    expect(readFileSync(join(dir, 'out', 'figures/input.png')).equals(Buffer.from(grey))).toBe(true);
    expect(readFileSync(join(dir, 'out', 'figures/input-2.png')).equals(Buffer.from(heat))).toBe(true);
    const svgFile = readFileSync(join(dir, 'out', 'figures/loss.svg'), 'utf8');
    expect(svgFile.startsWith('<?xml')).toBe(true);
    checkXml(svgFile);
  });

  it('is deterministic and sanitizes figure file names', () => {
    const report: Report = {
      title: 't',
      sections: [
        {
          id: 's',
          title: 'S',
          figures: [{ caption: 'c', png: grayPng(new Float32Array(1), [1, 1]), file: '../../evil name.png' }],
        },
      ],
    };
    const a = writeReport(join(dir, 'a'), report);
    const b = writeReport(join(dir, 'b'), report);
    expect(readFileSync(a.html, 'utf8')).toBe(readFileSync(b.html, 'utf8'));
    expect(readFileSync(a.markdown, 'utf8')).toBe(readFileSync(b.markdown, 'utf8'));
    expect(existsSync(join(dir, 'a', 'figures', 'evil-name.png'))).toBe(true);
  });
});
