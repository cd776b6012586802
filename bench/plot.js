'use strict';
// Hand-written SVG plots for the benchmarks' reports (no plotting dependency).

const PANEL_W = 460; // one panel
const PANEL_H = 340;
const MARGIN = { l: 62, r: 12, t: 28, b: 46 };

/**
 * Log-log panels side by side, sharing one x axis and one legend, as SVG text.
 *
 * - `panels`: [{ title, yLabel }], one per panel: the bold title above it and the label of its y axis;
 * - `xLabel`: the label of the x axis (every panel);
 * - `series`: [{ name, color, dashed, marker: 'dot' | 'square', points: [{ x, y: [one value per panel] }],
 *   legendSlot: [row, column] }]: a polyline with a marker per point in every panel (a point whose
 *   value in a panel is not a positive number is left out of that panel);
 * - `legendColumns`: the legend's columns (default 2); a series without `legendSlot` takes the next
 *   free slot, row by row.
 *
 * Axes span whole decades (the data's, per panel), with a grid line per decade.
 */
function logLogSvg({ panels, xLabel, series, legendColumns = 2 }) {
  const W = PANEL_W;
  const H = PANEL_H;
  const M = MARGIN;
  const slots = legendSlots(series, legendColumns);
  const legendRowCount = slots.length ? Math.max(...slots.map(([row]) => row)) + 1 : 0;
  const legendH = 18 * legendRowCount + 14;
  const width = panels.length * W;
  const valid = (v) => typeof v === 'number' && v > 0 && Number.isFinite(v);
  const decades = (vs) => [Math.floor(Math.log10(Math.min(...vs))), Math.ceil(Math.log10(Math.max(...vs)))];
  const parts = [];
  const text = (x, y, s, extra = '') =>
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="sans-serif" font-size="11" ${extra}>${s}</text>`;
  const dashOf = (s) => (s.dashed ? ' stroke-dasharray="5,3"' : '');
  panels.forEach((panel, k) => {
    const ox = k * W;
    const shown = series.map((s) => s.points.filter((q) => valid(q.x) && valid(q.y[k])));
    const all = shown.flat();
    const [x0, x1] = decades(all.map((q) => q.x));
    const [y0, y1] = decades(all.map((q) => q.y[k]));
    const X = (v) => ox + M.l + ((Math.log10(v) - x0) / Math.max(1, x1 - x0)) * (W - M.l - M.r);
    const Y = (v) => H - M.b - ((Math.log10(v) - y0) / Math.max(1, y1 - y0)) * (H - M.t - M.b);
    parts.push(
      `<rect x="${ox + M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#444"/>`,
    );
    for (let d = x0; d <= x1; d++) {
      const x = X(10 ** d);
      parts.push(`<line x1="${x}" y1="${M.t}" x2="${x}" y2="${H - M.b}" stroke="#ddd"/>`);
      parts.push(text(x - 10, H - M.b + 15, `10<tspan dy="-5" font-size="8">${d}</tspan>`));
    }
    for (let d = y0; d <= y1; d++) {
      const y = Y(10 ** d);
      parts.push(`<line x1="${ox + M.l}" y1="${y}" x2="${ox + W - M.r}" y2="${y}" stroke="#ddd"/>`);
      parts.push(text(ox + M.l - 34, y + 4, `10<tspan dy="-5" font-size="8">${d}</tspan>`));
    }
    parts.push(text(ox + M.l + (W - M.l - M.r) / 2 - 80, H - 10, xLabel));
    const mid = M.t + (H - M.t - M.b) / 2 + 40;
    parts.push(text(ox + 14, mid, panel.yLabel, `transform="rotate(-90 ${ox + 14} ${mid})"`));
    parts.push(text(ox + M.l, M.t - 10, panel.title, 'font-weight="bold"'));
    series.forEach((s, i) => {
      if (!shown[i].length) return;
      const pts = shown[i].map((q) => `${X(q.x).toFixed(1)},${Y(q.y[k]).toFixed(1)}`);
      parts.push(
        `<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="1.5"${dashOf(s)}/>`,
      );
      for (const q of shown[i]) parts.push(marker(s, X(q.x), Y(q.y[k]), 1));
    });
  });
  series.forEach((s, i) => {
    const [row, column] = slots[i];
    const x = 20 + column * ((width - 20) / legendColumns);
    const y = H + 14 + 18 * row;
    parts.push(
      `<line x1="${x}" y1="${y}" x2="${x + 30}" y2="${y}" stroke="${s.color}" stroke-width="1.5"${dashOf(s)}/>`,
    );
    parts.push(marker(s, x + 15, y, 0));
    parts.push(text(x + 38, y + 4, `${s.name}`));
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + legendH}" viewBox="0 0 ${width} ${H + legendH}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** A dot or a square centred on (x, y), coordinates with `digits` decimals. */
function marker(s, x, y, digits) {
  const n = (v) => (digits ? v.toFixed(digits) : `${v}`);
  return s.marker === 'square'
    ? `<rect x="${n(x - 3)}" y="${n(y - 3)}" width="6" height="6" fill="white" stroke="${s.color}"/>`
    : `<circle cx="${n(x)}" cy="${n(y)}" r="3" fill="${s.color}"/>`;
}

/** [row, column] of each series in the legend: its `legendSlot`, or the next free one row by row. */
function legendSlots(series, columns) {
  const taken = new Set(series.filter((s) => s.legendSlot).map((s) => s.legendSlot.join()));
  let next = 0;
  return series.map((s) => {
    if (s.legendSlot) return s.legendSlot;
    while (taken.has(`${Math.floor(next / columns)},${next % columns}`)) next++;
    const slot = [Math.floor(next / columns), next % columns];
    taken.add(slot.join());
    return slot;
  });
}

module.exports = { logLogSvg };
