/*
 * Inline SVG charts as HTML strings (window.TashghilCharts in the page, a CommonJS module in the
 * tests). Bars and axes are geometry only: the figures themselves are printed as text beside them,
 * each carrying its raw value. In Arabic the x axis runs from the right.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory(require('./format.js'));
  else root.TashghilCharts = factory(root.TashghilFormat);
})(typeof globalThis !== 'undefined' ? globalThis : this, function (format) {
  'use strict';

  const { escapeHtml } = format;
  const BAR_WIDTH = 1000;
  const BAR_HEIGHT = 12;
  const BAR_GAP = 4;

  const figureAttrs = (figure, value) =>
    figure
      ? ` data-figure="${escapeHtml(figure)}" data-value="${escapeHtml(value === null ? 'null' : String(value))}"`
      : '';

  /**
   * A stack of horizontal bars on one scale, e.g. an objective and what was achieved of it.
   * `bars`: [{ value, cls, figure }]; `max`: the value that fills the track.
   */
  const barStack = (bars, max, rtl) => {
    const height = bars.length * BAR_HEIGHT + (bars.length - 1) * BAR_GAP;
    const rects = bars.map((bar, i) => {
      const v = bar.value === null || bar.value === undefined ? 0 : bar.value;
      const w = max > 0 ? Math.max(0, Math.min(BAR_WIDTH, Math.round((v / max) * BAR_WIDTH))) : 0;
      const x = rtl ? BAR_WIDTH - w : 0;
      const y = i * (BAR_HEIGHT + BAR_GAP);
      return (
        `<rect class="track" x="0" y="${y}" width="${BAR_WIDTH}" height="${BAR_HEIGHT}" rx="2"></rect>` +
        `<rect class="bar ${escapeHtml(bar.cls)}" x="${x}" y="${y}" width="${w}" height="${BAR_HEIGHT}" rx="2"${figureAttrs(bar.figure, bar.value)}></rect>`
      );
    });
    // Stretched across the row, but as tall as its bars in pixels, however wide the row.
    return `<svg class="bars" viewBox="0 0 ${BAR_WIDTH} ${height}" height="${height}" preserveAspectRatio="none" aria-hidden="true" focusable="false">${rects.join('')}</svg>`;
  };

  /** Round steps (1, 2, 5 × 10ⁿ) so an axis reads 0, 500, 1 000… */
  const niceStep = (max, ticks, least) => {
    const floor = least || 1;
    if (!(max > 0)) return floor;
    const raw = Math.max(max / ticks, floor);
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || 10 * power;
    return Math.max(floor, Math.round(step));
  };

  /**
   * A monthly chart: grouped vertical bars, or a line when `kind` is 'line'. `points` are the x
   * categories with their label and, under it, an optional second line (the year where it changes);
   * `series` are [{ cls, values: [{ value, figure, title }] }]. `tickText` prints an axis value and
   * `leastStep` is the smallest step between two ticks (a dirham, for money in centimes).
   */
  const monthlyChart = (opts) => {
    const { points, series, rtl, kind, tickText, title, leastStep } = opts;
    const W = 720;
    const H = 240;
    const pad = { top: 12, bottom: 44, axis: 86, end: 12 };
    const plotW = W - pad.axis - pad.end;
    const plotH = H - pad.top - pad.bottom;
    const max = Math.max(0, ...series.flatMap((s) => s.values.map((v) => v.value)));
    const step = niceStep(max, 4, leastStep);
    const top = Math.max(step, Math.ceil(max / step) * step);
    const n = Math.max(1, points.length);
    const slot = plotW / n;
    // The value axis stands where a reader starts: on the left in French, on the right in Arabic.
    const plotStart = rtl ? pad.end : pad.axis;
    const xOf = (i) => (rtl ? plotStart + plotW - (i + 0.5) * slot : plotStart + (i + 0.5) * slot);
    const yOf = (v) => pad.top + plotH - (v / top) * plotH;
    const parts = [];
    for (let tick = 0; tick <= top; tick += step) {
      const y = yOf(tick).toFixed(1);
      const tx = rtl ? W - pad.axis + 6 : pad.axis - 6;
      parts.push(`<line class="gridline" x1="${plotStart}" x2="${plotStart + plotW}" y1="${y}" y2="${y}"></line>`);
      parts.push(
        `<text class="tick" x="${tx}" y="${y}" dy="0.35em" text-anchor="${rtl ? 'start' : 'end'}">${escapeHtml(tickText(tick))}</text>`,
      );
    }
    points.forEach((p, i) => {
      parts.push(
        `<text class="tick" x="${xOf(i).toFixed(1)}" y="${H - pad.bottom + 16}" text-anchor="middle">${escapeHtml(p.label)}</text>`,
      );
      if (p.sub)
        parts.push(
          `<text class="tick year" x="${xOf(i).toFixed(1)}" y="${H - pad.bottom + 32}" text-anchor="middle">${escapeHtml(p.sub)}</text>`,
        );
    });
    if (kind === 'line') {
      for (const s of series) {
        const coords = s.values.map((v, i) => `${xOf(i).toFixed(1)},${yOf(v.value).toFixed(1)}`);
        parts.push(`<polyline class="line ${escapeHtml(s.cls)}" points="${coords.join(' ')}"></polyline>`);
        s.values.forEach((v, i) => {
          parts.push(
            `<circle class="dot ${escapeHtml(s.cls)}" cx="${xOf(i).toFixed(1)}" cy="${yOf(v.value).toFixed(1)}" r="4"${figureAttrs(v.figure, v.value)}><title>${escapeHtml(v.title || '')}</title></circle>`,
          );
        });
      }
    } else {
      const groupW = slot * 0.7;
      const barW = groupW / Math.max(1, series.length);
      series.forEach((s, k) => {
        s.values.forEach((v, i) => {
          const offset = -groupW / 2 + k * barW;
          const x = rtl ? xOf(i) - offset - barW : xOf(i) + offset;
          const y = yOf(v.value);
          parts.push(
            `<rect class="bar ${escapeHtml(s.cls)}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, barW - 2).toFixed(1)}" height="${(pad.top + plotH - y).toFixed(1)}"${figureAttrs(v.figure, v.value)}><title>${escapeHtml(v.title || '')}</title></rect>`,
          );
        });
      });
    }
    parts.push(
      `<line class="axis" x1="${plotStart}" x2="${plotStart + plotW}" y1="${pad.top + plotH}" y2="${pad.top + plotH}"></line>`,
    );
    return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(title)}">${parts.join('')}</svg>`;
  };

  /** A heat-map cell's shade, 0 for none and 1–5 by the share of the largest cell. */
  const heatLevel = (count, max) => (count > 0 && max > 0 ? Math.min(5, 1 + Math.floor((4 * count) / max)) : 0);

  return { barStack, monthlyChart, niceStep, heatLevel, figureAttrs };
});
