/**
 * Standalone SVG charts for the demo report: line charts (loss against time, robustness curves)
 * and persistence-diagram scatter plots. No dependencies; output is deterministic (no random ids,
 * no ids at all, so several charts can be inlined into one HTML page) and uses presentation
 * attributes only (no <style>, which would leak into an HTML page that inlines the SVG).
 */
import { Colormap, colormapRgb } from './images';

/** Okabe–Ito colour-blind-safe palette, with Tol's wine in place of yellow (too faint on white). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#882255'];

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const AXIS_COLOUR = '#444';
const GRID_COLOUR = '#e6e6e6';
const TEXT_COLOUR = '#222';
const MUTED_COLOUR = '#666';

export interface LineSeries {
  name: string;
  /** [x, y] in drawing order; a non-finite point (or y ≤ 0 with `logY`) breaks the line. */
  points: [number, number][];
  dashed?: boolean;
  /** A CSS colour; default: the next palette colour. Give paired series (mean / worst) one colour. */
  color?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Logarithmic y axis (y ≤ 0 is left out). */
  logY?: boolean;
  /**
   * Total size in px. Default 520 × 360 (the width of a two-column figure in the report); a long
   * legend adds height rather than shrink the plot below 200 px.
   */
  width?: number;
  height?: number;
  /** Fixed y range; lines are clipped to it. Default: the data, extended to nice ticks. */
  yRange?: [number, number];
  /** Fixed x range. Default: the data, extended to nice ticks. */
  xRange?: [number, number];
}

export interface DiagramSeries {
  name: string;
  /** Finite pairs [birth, death] (a pair with an infinite death counts as essential). */
  points: [number, number][];
  /** Births of the essential classes (death +∞), drawn on the "∞" line. */
  essentialBirths?: number[];
}

export interface DiagramPlotOptions {
  title: string;
  diagrams: DiagramSeries[];
  /** Axis range for both birth and death. Default: the data, extended to nice ticks. */
  range?: [number, number];
  xLabel?: string;
  yLabel?: string;
  /** Total width in px (the plot is square). Default 460. */
  width?: number;
  /** At most this many points per diagram, the most persistent. Default 5000. */
  maxPoints?: number;
}

export interface ColorbarOptions {
  colormap: Colormap;
  range: [number, number];
  label?: string;
  width?: number;
}

// ---------------------------------------------------------------------------------------------
// Line chart

/** A line chart with axes, nice ticks, grid, title, axis labels and a legend below the plot. */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 520;
  const height = options.height ?? 360;
  const logY = options.logY ?? false;
  const series = options.series;

  const usable = (x: number, y: number) => Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series)
    for (const [x, y] of s.points)
      if (usable(x, y)) {
        xs.push(x);
        ys.push(y);
      }

  const xScale = linearAxis(options.xRange ?? extent(xs), !options.xRange);
  const yScale = logY
    ? logAxis(options.yRange ?? extent(ys), !options.yRange)
    : linearAxis(options.yRange ?? extent(ys), !options.yRange);

  // Layout.
  const titleSize = fitFont(options.title, width - 24, 15, 10);
  const top = 16 + titleSize + 14;
  const yTickWidth = Math.max(...yScale.ticks.map((t) => textWidth(t.label, 11)), 10);
  const left = 12 + 14 + 8 + yTickWidth + 8;
  const right = 20;
  const legend = legendLayout(
    series.map((s) => s.name),
    width - 24,
    30,
  );
  const bottom = 20 + 22 + (legend.rows > 0 ? 10 + legend.height : 0) + 8;
  // A long legend makes the chart taller rather than squashing the plot.
  const plot = { x: left, y: top, w: Math.max(40, width - left - right), h: Math.max(200, height - top - bottom) };
  const totalHeight = Math.max(height, Math.ceil(top + plot.h + bottom));
  const px = (x: number) => plot.x + xScale.unit(x) * plot.w;
  const py = (y: number) => plot.y + plot.h - yScale.unit(y) * plot.h;

  const out: string[] = [];
  out.push(svgOpen(width, totalHeight));
  out.push(text(width / 2, 16 + titleSize * 0.8, options.title, { size: titleSize, anchor: 'middle', weight: 'bold' }));
  out.push(axes(plot, xScale, yScale, options.xLabel, options.yLabel));

  if (xs.length === 0)
    out.push(
      text(plot.x + plot.w / 2, plot.y + plot.h / 2, 'no data', { size: 13, anchor: 'middle', fill: MUTED_COLOUR }),
    );

  series.forEach((s, i) => {
    const style = seriesStyle(i, s.dashed, s.color);
    const pieces: string[] = [];
    let prev: [number, number] | undefined;
    for (const [x, y] of s.points) {
      if (!usable(x, y)) {
        prev = undefined;
        continue;
      }
      const cur: [number, number] = [px(x), py(y)];
      if (prev) {
        const seg = clipSegment(prev, cur, plot);
        if (seg) pieces.push(`M${f(seg[0])},${f(seg[1])}L${f(seg[2])},${f(seg[3])}`);
      }
      prev = cur;
    }
    // Single isolated points still show through their markers.
    const d = joinSegments(pieces);
    if (d)
      out.push(
        `<path d="${d}" fill="none" stroke="${style.colour}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${dashAttr(style.dash)}/>`,
      );
    const finite = s.points.filter(([x, y]) => usable(x, y));
    if (finite.length <= 40 || finite.length === 1) {
      const marks: string[] = [];
      for (const [x, y] of finite) {
        const X = px(x);
        const Y = py(y);
        if (X >= plot.x - 0.5 && X <= plot.x + plot.w + 0.5 && Y >= plot.y - 0.5 && Y <= plot.y + plot.h + 0.5)
          marks.push(circlePath(X, Y, 2.6));
      }
      if (marks.length > 0)
        out.push(
          `<path d="${marks.join('')}" fill="${s.dashed ? '#fff' : style.colour}" stroke="${style.colour}" stroke-width="1.3"/>`,
        );
    }
  });

  // Legend.
  const legendTop = plot.y + plot.h + 20 + 22 + 10;
  legend.items.forEach((item, i) => {
    const style = seriesStyle(i, series[i].dashed, series[i].color);
    const x = 12 + item.x;
    const y = legendTop + item.row * LEGEND_ROW + LEGEND_ROW / 2;
    out.push(
      `<line x1="${f(x)}" y1="${f(y)}" x2="${f(x + 24)}" y2="${f(y)}" stroke="${style.colour}" stroke-width="2.5"${dashAttr(style.dash)}/>`,
    );
    out.push(text(x + 30, y + 4, series[i].name, { size: 12 }));
  });
  out.push('</svg>');
  return out.join('\n');
}

/** Colour and dash pattern of series i: palette colours, then dashed variants after the palette. */
function seriesStyle(i: number, dashed?: boolean, color?: string): { colour: string; dash?: string } {
  const colour = color ? escapeXml(color) : PALETTE[i % PALETTE.length];
  const cycle = Math.floor(i / PALETTE.length);
  const dash = dashed ? '7 4' : cycle % 2 === 1 ? '2 3' : undefined;
  return { colour, dash };
}

function dashAttr(dash: string | undefined): string {
  return dash ? ` stroke-dasharray="${dash}"` : '';
}

/** Consecutive segments sharing endpoints become one polyline ("M a L b L c"). */
function joinSegments(pieces: string[]): string {
  let d = '';
  let lastEnd = '';
  for (const p of pieces) {
    const [start, end] = p.slice(1).split('L');
    d += start === lastEnd ? `L${end}` : p;
    lastEnd = end;
  }
  return d;
}

/** Liang–Barsky clipping of a segment to a rectangle; undefined when it is outside. */
function clipSegment(a: [number, number], b: [number, number], r: Rect): [number, number, number, number] | undefined {
  const eps = 1e-9;
  let t0 = 0;
  let t1 = 1;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const checks: [number, number][] = [
    [-dx, a[0] - r.x],
    [dx, r.x + r.w - a[0]],
    [-dy, a[1] - r.y],
    [dy, r.y + r.h - a[1]],
  ];
  for (const [p, q] of checks) {
    if (Math.abs(p) < eps) {
      if (q < -eps) return undefined;
    } else {
      const t = q / p;
      if (p < 0) {
        if (t > t1) return undefined;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return undefined;
        if (t < t1) t1 = t;
      }
    }
  }
  return [a[0] + t0 * dx, a[1] + t0 * dy, a[0] + t1 * dx, a[1] + t1 * dy];
}

// ---------------------------------------------------------------------------------------------
// Persistence diagrams

const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'triangle-down'] as const;

/**
 * Persistence diagrams as a scatter plot: one colour and marker per named diagram, the diagonal,
 * and the essential classes on a dashed "∞" line above the plot. Each diagram is drawn as one path
 * of small markers, so thousands of points stay light; beyond `maxPoints` (5000) only the most
 * persistent are drawn, which the subtitle says.
 */
export function diagramPlot(options: DiagramPlotOptions): string {
  const width = options.width ?? 460;
  const maxPoints = options.maxPoints ?? 5000;
  const notes: string[] = [];

  // Sort the points into finite and essential; keep the most persistent.
  const prepared = options.diagrams.map((dgm) => {
    const finite: [number, number][] = [];
    const essential: number[] = [];
    for (const [b, d] of dgm.points) {
      if (Number.isNaN(b) || Number.isNaN(d) || !Number.isFinite(b)) continue;
      if (d === Infinity) essential.push(b);
      else if (Number.isFinite(d)) finite.push([b, d]);
    }
    for (const b of dgm.essentialBirths ?? []) if (Number.isFinite(b)) essential.push(b);
    let kept = finite;
    if (finite.length > maxPoints) {
      kept = finite
        .map((p, i) => ({ p, i, life: Math.abs(p[1] - p[0]) }))
        .sort((u, v) => v.life - u.life || u.i - v.i)
        .slice(0, maxPoints)
        .sort((u, v) => u.i - v.i)
        .map((u) => u.p);
      notes.push(`${dgm.name}: the ${maxPoints} most persistent of ${finite.length} points shown`);
    }
    const keptEssential = essential.slice(0, maxPoints);
    if (essential.length > maxPoints)
      notes.push(`${dgm.name}: ${maxPoints} of ${essential.length} essential classes shown`);
    return {
      name: dgm.name,
      finite: kept,
      essential: keptEssential,
      total: finite.length,
      totalEssential: essential.length,
    };
  });

  const values: number[] = [];
  for (const p of prepared) {
    for (const [b, d] of p.finite) values.push(b, d);
    values.push(...p.essential);
  }
  const scale = linearAxis(options.range ?? extent(values), !options.range);
  const hasEssential = prepared.some((p) => p.essential.length > 0);

  // Layout: title, subtitle lines, ∞ band, square plot, x axis, legend.
  const titleSize = fitFont(options.title, width - 24, 15, 10);
  const subtitle = wrapText(notes.join('; '), width - 24, 11);
  const tickWidth = Math.max(...scale.ticks.map((t) => textWidth(t.label, 11)), textWidth('∞', 13), 10);
  const left = 12 + 14 + 8 + tickWidth + 8;
  const right = 20;
  const side = Math.max(60, width - left - right);
  const band = hasEssential ? 26 : 8;
  const top = 16 + titleSize + 6 + subtitle.length * 15 + band;
  const legend = legendLayout(
    prepared.map((p) => legendName(p)),
    width - 24,
    22,
  );
  const plot: Rect = { x: left, y: top, w: side, h: side };
  const legendTop = plot.y + plot.h + 20 + 22 + 10;
  const height = Math.ceil(legendTop + legend.height + 10);
  const px = (v: number) => plot.x + scale.unit(v) * plot.w;
  const py = (v: number) => plot.y + plot.h - scale.unit(v) * plot.h;
  const inside = (v: number) =>
    v >= scale.lo - 1e-12 * Math.abs(scale.hi - scale.lo) && v <= scale.hi + 1e-12 * Math.abs(scale.hi - scale.lo);

  const out: string[] = [];
  out.push(svgOpen(width, height));
  out.push(text(width / 2, 16 + titleSize * 0.8, options.title, { size: titleSize, anchor: 'middle', weight: 'bold' }));
  subtitle.forEach((line, i) =>
    out.push(text(width / 2, 16 + titleSize + 12 + i * 15, line, { size: 11, anchor: 'middle', fill: MUTED_COLOUR })),
  );
  out.push(axes(plot, scale, scale, options.xLabel ?? 'birth', options.yLabel ?? 'death'));
  out.push(
    `<line x1="${f(plot.x)}" y1="${f(plot.y + plot.h)}" x2="${f(plot.x + plot.w)}" y2="${f(plot.y)}" stroke="#999" stroke-width="1"/>`,
  );
  const yInf = plot.y - 14;
  if (hasEssential) {
    out.push(
      `<line x1="${f(plot.x)}" y1="${f(yInf)}" x2="${f(plot.x + plot.w)}" y2="${f(yInf)}" stroke="#999" stroke-width="1" stroke-dasharray="4 3"/>`,
    );
    out.push(text(plot.x - 8, yInf + 4.5, '∞', { size: 13, anchor: 'end', fill: TEXT_COLOUR }));
  }

  let outside = 0;
  const radius = prepared.reduce((n, p) => n + p.finite.length, 0) > 1500 ? 2.4 : 3.2;
  // Larger diagrams first, so that sparse ones (often the interesting "after") stay visible on top.
  const order = prepared
    .map((_, i) => i)
    .sort((a, b) => prepared[b].finite.length - prepared[a].finite.length || a - b);
  for (const i of order) {
    const p = prepared[i];
    const colour = PALETTE[i % PALETTE.length];
    const marker = MARKERS[i % MARKERS.length];
    const d: string[] = [];
    for (const [b, dd] of p.finite) {
      if (!inside(b) || !inside(dd)) {
        outside++;
        continue;
      }
      d.push(markerPath(marker, px(b), py(dd), radius));
    }
    for (const b of p.essential) {
      if (!inside(b)) {
        outside++;
        continue;
      }
      d.push(markerPath(marker, px(b), yInf, radius));
    }
    if (d.length > 0)
      out.push(`<path d="${d.join('')}" fill="${colour}" fill-opacity="0.45" stroke="${colour}" stroke-width="0.9"/>`);
  }
  if (outside > 0)
    out.push(
      text(plot.x + plot.w - 4, plot.y + plot.h - 6, `${outside} point(s) outside the range not shown`, {
        size: 10,
        anchor: 'end',
        fill: MUTED_COLOUR,
      }),
    );

  legend.items.forEach((item, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const x = 12 + item.x;
    const y = legendTop + item.row * LEGEND_ROW + LEGEND_ROW / 2;
    out.push(
      `<path d="${markerPath(MARKERS[i % MARKERS.length], x + 8, y, 4)}" fill="${colour}" fill-opacity="0.45" stroke="${colour}" stroke-width="1"/>`,
    );
    out.push(text(x + 22, y + 4, legendName(prepared[i]), { size: 12 }));
  });
  out.push('</svg>');
  return out.join('\n');
}

function legendName(p: { name: string; total: number; totalEssential: number }): string {
  const essential = p.totalEssential > 0 ? `, ${p.totalEssential} essential` : '';
  return `${p.name} (${p.total} point${p.total === 1 ? '' : 's'}${essential})`;
}

function markerPath(marker: (typeof MARKERS)[number], x: number, y: number, r: number): string {
  switch (marker) {
    case 'circle':
      return circlePath(x, y, r);
    case 'square': {
      const s = r * 0.9;
      return `M${f(x - s)},${f(y - s)}h${f(2 * s)}v${f(2 * s)}h${f(-2 * s)}z`;
    }
    case 'triangle':
      return `M${f(x)},${f(y - 1.2 * r)}l${f(1.1 * r)},${f(1.9 * r)}h${f(-2.2 * r)}z`;
    case 'triangle-down':
      return `M${f(x)},${f(y + 1.2 * r)}l${f(1.1 * r)},${f(-1.9 * r)}h${f(-2.2 * r)}z`;
    case 'diamond': {
      const s = 1.25 * r;
      return `M${f(x)},${f(y - s)}l${f(s)},${f(s)}l${f(-s)},${f(s)}l${f(-s)},${f(-s)}z`;
    }
  }
}

function circlePath(x: number, y: number, r: number): string {
  return `M${f(x - r)},${f(y)}a${f(r)},${f(r)} 0 1,0 ${f(2 * r)},0a${f(r)},${f(r)} 0 1,0 ${f(-2 * r)},0`;
}

// ---------------------------------------------------------------------------------------------
// Point clouds

export interface PointsPlotOptions {
  title: string;
  /** 2-D points, x and y interleaved. */
  points: ArrayLike<number>;
  /** Square data range shown on both axes. Default: the points' bounding square, padded 5 %. */
  range?: [number, number];
  /** Total width in px (the plot is square). Default 320. */
  width?: number;
}

/** A 2-D point cloud as one path of small dots in a square frame, equal scales on both axes. */
export function pointsPlot(options: PointsPlotOptions): string {
  const width = options.width ?? 320;
  const { points } = options;
  let [lo, hi] = options.range ?? [Infinity, -Infinity];
  if (!options.range) {
    for (let i = 0; i < points.length; i++)
      if (Number.isFinite(points[i])) [lo, hi] = [Math.min(lo, points[i]), Math.max(hi, points[i])];
    const pad = 0.05 * (hi - lo || 1);
    [lo, hi] = [lo - pad, hi + pad];
  }
  const top = 28;
  const side = width - 16;
  const scale = side / (hi - lo || 1);
  const dots: string[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = 8 + (points[i] - lo) * scale;
    const y = top + side - (points[i + 1] - lo) * scale;
    if (x >= 8 && x <= 8 + side && y >= top && y <= top + side) dots.push(circlePath(x, y, 2));
  }
  return [
    svgOpen(width, top + side + 8),
    text(width / 2, 18, options.title, {
      size: fitFont(options.title, width - 16, 14, 9),
      anchor: 'middle',
      weight: 'bold',
    }),
    `<rect x="8" y="${top}" width="${f(side)}" height="${f(side)}" fill="none" stroke="${GRID_COLOUR}"/>`,
    `<path d="${dots.join('')}" fill="${PALETTE[0]}" fill-opacity="0.75"/>`,
    '</svg>',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Colour bar

/** A horizontal colour bar with ticks for a heat map made with the same colour map and range. */
export function colorbar(options: ColorbarOptions): string {
  const width = options.width ?? 320;
  const scale = linearAxis(options.range, false);
  const bar: Rect = { x: 16, y: options.label ? 26 : 8, w: width - 32, h: 14 };
  const height = bar.y + bar.h + 24;
  const out: string[] = [svgOpen(width, height)];
  if (options.label) out.push(text(width / 2, 17, options.label, { size: 12, anchor: 'middle' }));
  const n = 64;
  const colour: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const [lo, hi] = options.range;
    const v = lo + ((i + 0.5) / n) * (hi - lo);
    const t =
      options.colormap === 'diverging' && lo < 0 && hi > 0
        ? v < 0
          ? 0.5 - (0.5 * v) / lo
          : 0.5 + (0.5 * v) / hi
        : (i + 0.5) / n;
    colormapRgb(t, options.colormap, colour);
    out.push(
      `<rect x="${f(bar.x + (i * bar.w) / n)}" y="${f(bar.y)}" width="${f(bar.w / n + 0.4)}" height="${f(bar.h)}" fill="rgb(${colour.join(',')})"/>`,
    );
  }
  out.push(
    `<rect x="${f(bar.x)}" y="${f(bar.y)}" width="${f(bar.w)}" height="${f(bar.h)}" fill="none" stroke="${AXIS_COLOUR}" stroke-width="0.8"/>`,
  );
  for (const t of scale.ticks) {
    const x = bar.x + scale.unit(t.value) * bar.w;
    out.push(
      `<line x1="${f(x)}" y1="${f(bar.y + bar.h)}" x2="${f(x)}" y2="${f(bar.y + bar.h + 4)}" stroke="${AXIS_COLOUR}"/>`,
    );
    out.push(text(x, bar.y + bar.h + 16, t.label, { size: 11, anchor: 'middle', fill: TEXT_COLOUR }));
  }
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Axes and scales

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Tick {
  value: number;
  label: string;
  /** Minor ticks get a grid line but no label. */
  minor?: boolean;
}

interface Scale {
  lo: number;
  hi: number;
  ticks: Tick[];
  /** Position of a value in the axis, 0 at lo and 1 at hi. */
  unit: (v: number) => number;
}

/** The finite min and max, or undefined when there is nothing finite. */
function extent(values: number[]): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values)
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * A linear axis over the range with about six nice ticks (1, 2 or 5 × 10^k steps); with `extend`
 * the range grows to the enclosing ticks.
 */
function linearAxis(range: [number, number] | undefined, extend: boolean): Scale {
  let [lo, hi] = range ?? [0, 1];
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
    extend = true;
  }
  const step = niceStep((hi - lo) / 5);
  if (extend) {
    lo = Math.floor(lo / step + 1e-9) * step;
    hi = Math.ceil(hi / step - 1e-9) * step;
  }
  const ticks: Tick[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  for (let k = first; k <= last; k++) {
    const value = k * step;
    ticks.push({ value, label: tickLabel(value, step) });
  }
  const span = hi - lo;
  return { lo, hi, ticks, unit: (v) => (v - lo) / span };
}

/**
 * A base-10 log axis over the range; with `extend`, widened to the nearest 1, 2 or 5 × 10^k. Ticks
 * at powers of ten, plus 2× and 5× (labelled when the axis spans at most two decades).
 */
function logAxis(range: [number, number] | undefined, extend: boolean): Scale {
  let [lo, hi] = range ?? [1, 10];
  if (!(lo > 0) || !Number.isFinite(lo)) lo = hi > 0 && Number.isFinite(hi) ? hi / 10 : 1;
  if (!(hi > 0) || !Number.isFinite(hi)) hi = lo * 10;
  if (lo > hi) [lo, hi] = [hi, lo];
  if (!(hi > lo)) {
    lo /= 2;
    hi *= 2;
    extend = true;
  }
  if (extend) {
    lo = niceLogBelow(lo);
    hi = niceLogAbove(hi);
  }
  const e0 = Math.floor(Math.log10(lo) + 1e-9);
  const e1 = Math.ceil(Math.log10(hi) - 1e-9);
  const decades = Math.log10(hi / lo);
  const every = Math.max(1, Math.ceil(decades / 8));
  const ticks: Tick[] = [];
  for (let e = e0; e <= e1; e++) {
    for (const m of [1, 2, 5]) {
      const value = m * 10 ** e;
      if (value < lo * (1 - 1e-9) || value > hi * (1 + 1e-9)) continue;
      if (m === 1)
        ticks.push({ value, label: (e - e0) % every === 0 ? powerLabel(1, e) : '', minor: (e - e0) % every !== 0 });
      else if (decades <= 2.01) ticks.push({ value, label: powerLabel(m, e) });
      else if (decades <= 5) ticks.push({ value, label: '', minor: true });
    }
  }
  const l0 = Math.log10(lo);
  const span = Math.log10(hi) - l0;
  return { lo, hi, ticks, unit: (v) => (Math.log10(v) - l0) / span };
}

/** The largest 1, 2 or 5 × 10^k at most v (v > 0). */
function niceLogBelow(v: number): number {
  const e = Math.floor(Math.log10(v));
  for (const m of [5, 2, 1]) if (m * 10 ** e <= v * (1 + 1e-9)) return m * 10 ** e;
  return 10 ** e;
}

/** The smallest 1, 2 or 5 × 10^k at least v (v > 0). */
function niceLogAbove(v: number): number {
  const e = Math.floor(Math.log10(v));
  for (const m of [1, 2, 5]) if (m * 10 ** e >= v * (1 - 1e-9)) return m * 10 ** e;
  return 10 ** (e + 1);
}

/** 1, 2 or 5 × 10^k nearest to x. */
function niceStep(x: number): number {
  const e = Math.floor(Math.log10(x));
  const m = x / 10 ** e;
  const nice = m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10;
  return nice * 10 ** e;
}

/** A tick label with as many decimals as the step needs; exponent form for very large or small. */
function tickLabel(value: number, step: number): string {
  if (Math.abs(value) < step * 1e-6) return '0';
  const big = Math.max(Math.abs(value), step);
  if (big >= 1e6 || step < 1e-4) {
    const digits = Math.max(0, Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(step)));
    return compactExponent(value.toExponential(Math.min(digits, 6)));
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value
    .toFixed(decimals)
    .replace(/^-(0\.?0*)$/, '$1')
    .replace('-', '−');
}

function compactExponent(s: string): string {
  return s
    .replace(/\.?0+e/, 'e')
    .replace('e+', 'e')
    .replace('-', '−');
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
};

/** m × 10^e as a plain number when short (0.001 … 10000), otherwise "m·10ⁿ". */
function powerLabel(m: number, e: number): string {
  if (e >= -3 && e <= 4) return (m * 10 ** e).toFixed(Math.max(0, -e));
  const power = `10${String(e)
    .split('')
    .map((c) => SUPERSCRIPT[c])
    .join('')}`;
  return m === 1 ? power : `${m}·${power}`;
}

/** Grid, frame, ticks, tick labels and axis labels of a plot area. */
function axes(plot: Rect, xScale: Scale, yScale: Scale, xLabel: string, yLabel: string): string {
  const out: string[] = [];
  out.push(`<rect x="${f(plot.x)}" y="${f(plot.y)}" width="${f(plot.w)}" height="${f(plot.h)}" fill="#fff"/>`);
  const grid: string[] = [];
  const ticks: string[] = [];
  const labels: string[] = [];
  for (const t of xScale.ticks) {
    const x = plot.x + xScale.unit(t.value) * plot.w;
    grid.push(`M${f(x)},${f(plot.y)}V${f(plot.y + plot.h)}`);
    if (t.minor) continue;
    ticks.push(`M${f(x)},${f(plot.y + plot.h)}v5`);
    if (t.label) labels.push(text(x, plot.y + plot.h + 18, t.label, { size: 11, anchor: 'middle', fill: TEXT_COLOUR }));
  }
  for (const t of yScale.ticks) {
    const y = plot.y + plot.h - yScale.unit(t.value) * plot.h;
    grid.push(`M${f(plot.x)},${f(y)}H${f(plot.x + plot.w)}`);
    if (t.minor) continue;
    ticks.push(`M${f(plot.x)},${f(y)}h-5`);
    if (t.label) labels.push(text(plot.x - 8, y + 4, t.label, { size: 11, anchor: 'end', fill: TEXT_COLOUR }));
  }
  if (grid.length) out.push(`<path d="${grid.join('')}" stroke="${GRID_COLOUR}" stroke-width="1" fill="none"/>`);
  out.push(
    `<rect x="${f(plot.x)}" y="${f(plot.y)}" width="${f(plot.w)}" height="${f(plot.h)}" fill="none" stroke="${AXIS_COLOUR}" stroke-width="1"/>`,
  );
  if (ticks.length) out.push(`<path d="${ticks.join('')}" stroke="${AXIS_COLOUR}" stroke-width="1" fill="none"/>`);
  out.push(...labels);
  out.push(text(plot.x + plot.w / 2, plot.y + plot.h + 38, xLabel, { size: 12.5, anchor: 'middle' }));
  const cy = plot.y + plot.h / 2;
  out.push(text(16, cy, yLabel, { size: 12.5, anchor: 'middle', rotate: true }));
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Text and legend layout

const LEGEND_ROW = 20;

/** Legend entries flowing left to right in rows of the given width. */
function legendLayout(
  names: string[],
  width: number,
  sample: number,
): { items: { x: number; row: number }[]; rows: number; height: number } {
  const items: { x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const name of names) {
    const w = sample + 6 + textWidth(name, 12) + 22;
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    items.push({ x, row });
    x += w;
  }
  const rows = names.length === 0 ? 0 : row + 1;
  return { items, rows, height: rows * LEGEND_ROW };
}

/** Rough width of a text in a sans-serif font (average advance ≈ 0.56 em). */
function textWidth(s: string, size: number): number {
  return [...s].length * size * 0.56;
}

/** The largest font size ≤ max (and ≥ min) at which the text fits the width. */
function fitFont(s: string, width: number, max: number, min: number): number {
  const w = textWidth(s, 1);
  return w === 0 ? max : Math.max(min, Math.min(max, Math.floor((width / w) * 2) / 2));
}

/** Greedy word wrap to the width. */
function wrapText(s: string, width: number, size: number): string[] {
  if (!s) return [];
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && textWidth(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

function svgOpen(width: number, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f(width)}" height="${f(height)}" viewBox="0 0 ${f(width)} ${f(height)}" ` +
    `font-family="${escapeXml(FONT)}" fill="${TEXT_COLOUR}">\n<rect width="100%" height="100%" fill="#fff"/>`
  );
}

function text(
  x: number,
  y: number,
  s: string,
  o: { size: number; anchor?: 'start' | 'middle' | 'end'; weight?: 'bold'; fill?: string; rotate?: boolean },
): string {
  const attrs = [`x="${f(x)}"`, `y="${f(y)}"`, `font-size="${f(o.size)}"`];
  if (o.anchor && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  if (o.weight) attrs.push(`font-weight="${o.weight}"`);
  if (o.fill) attrs.push(`fill="${o.fill}"`);
  if (o.rotate) attrs.push(`transform="rotate(-90 ${f(x)} ${f(y)})"`);
  return `<text ${attrs.join(' ')}>${escapeXml(s)}</text>`;
}

/** Coordinates with at most two decimals, never "-0". */
function f(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/**
 * Text for XML content and attribute values: &, <, >, " and ' as entities; characters XML 1.0
 * forbids (C0 controls other than tab, newline and return, lone surrogates, U+FFFE/U+FFFF) dropped.
 */
export function escapeXml(s: string): string {
  let out = '';
  for (const ch of String(s)) {
    const c = ch.codePointAt(0)!;
    if (
      (c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) ||
      (c >= 0xd800 && c <= 0xdfff) ||
      c === 0xfffe ||
      c === 0xffff
    )
      continue;
    out +=
      ch === '&'
        ? '&amp;'
        : ch === '<'
          ? '&lt;'
          : ch === '>'
            ? '&gt;'
            : ch === '"'
              ? '&quot;'
              : ch === "'"
                ? '&#39;'
                : ch;
  }
  return out;
}
