/*
 * The building blocks every report section is written with (window.TashghilView in the page, a
 * CommonJS module in the tests). A figure is printed once, formatted for the reader, inside an
 * element whose data-figure names where it sits in the API's JSON and whose data-value is the raw
 * value: a test compares page and API exactly, whatever the language.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) {
    module.exports = factory(
      require('./format.js'),
      require('./i18n.js'),
      require('./labels.js'),
      require('./charts.js'),
    );
  } else {
    root.TashghilView = factory(root.TashghilFormat, root.TashghilI18n, root.TashghilLabels, root.TashghilCharts);
  }
})(typeof globalThis !== 'undefined' ? globalThis : this, function (format, i18n, labels, charts) {
  'use strict';

  const { escapeHtml } = format;

  /** A figure's name: the JSON path, with array entries named by their key fields. */
  const path = (...parts) => parts.join('.');

  const fig = (figure, value, text, cls) =>
    `<span class="fig${cls ? ` ${escapeHtml(cls)}` : ''}"${charts.figureAttrs(figure, value)}>${escapeHtml(text)}</span>`;

  const count = (figure, value, ctx) =>
    fig(
      figure,
      value,
      value === null || value === undefined ? i18n.t('notGiven', ctx.lang) : format.formatInteger(value, ctx.lang),
      'num',
    );

  const centimes = (figure, value, ctx) =>
    fig(
      figure,
      value,
      value === null || value === undefined ? i18n.t('notGiven', ctx.lang) : format.formatCentimes(value, ctx.lang),
      'num money',
    );

  const money = (figure, value, ctx) => fig(figure, value, format.formatMoney(value, ctx.lang), 'num money');

  const days = (figure, value, ctx) =>
    fig(
      figure,
      value,
      value === null
        ? i18n.t('notGiven', ctx.lang)
        : i18n.t('days', ctx.lang, { n: format.formatInteger(value, ctx.lang) }),
      'num',
    );

  /** Words from labels.js; text the dashboard cannot translate keeps its own language and direction. */
  const words = (result, ctx) =>
    result.translated || ctx.lang === 'fr'
      ? escapeHtml(result.text)
      : `<bdi lang="fr">${escapeHtml(result.text)}</bdi>`;

  /** Free text as recorded (a decision's subject): French in the store, isolated in an Arabic page. */
  const recorded = (text, ctx) => (ctx.lang === 'fr' ? escapeHtml(text) : `<bdi lang="fr">${escapeHtml(text)}</bdi>`);

  const t = (key, ctx, params) => escapeHtml(i18n.t(key, ctx.lang, params));

  const section = (id, title, body, wide) =>
    `<section class="card${wide ? ' wide' : ''}" id="section-${id}" data-testid="section-${id}"><h2>${title}</h2>${body}</section>`;

  const empty = (ctx) => `<p class="empty">${t('empty', ctx)}</p>`;

  /** A table: `head` is a list of header cell HTML, `rows` a list of lists of cell HTML. */
  const table = (head, rows, cls) =>
    `<div class="table-wrap"><table class="${cls || ''}"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`).join('')}</tbody></table></div>`;

  /** One labelled row of bars on a shared scale, its figures printed after the bars. */
  const barRow = (labelHtml, bars, max, valuesHtml, ctx) =>
    `<div class="bar-row"><div class="bar-label">${labelHtml}</div>${charts.barStack(bars, max, ctx.lang === 'ar')}` +
    `<div class="bar-values">${valuesHtml}</div></div>`;

  const legend = (items) =>
    `<ul class="legend">${items.map(([cls, text]) => `<li><span class="swatch ${escapeHtml(cls)}"></span>${text}</li>`).join('')}</ul>`;

  /** Count entries as bars against `max`: categories of beneficiaries, sectors, flows. */
  const countBars = (figurePrefix, entries, max, labelOf, ctx) =>
    entries.length === 0
      ? empty(ctx)
      : entries
          .map((e) => {
            const figure = path(figurePrefix, e.key);
            return barRow(
              labelOf(e.key),
              [{ value: e.count, cls: 'count', figure }],
              max,
              count(figure, e.count, ctx),
              ctx,
            );
          })
          .join('');

  const regionName = (code, ctx) => words(labels.region(code, ctx.lang, ctx.regions), ctx);

  /** Groups entries by region, keeping the order of first appearance; a national view titles each group. */
  const byRegion = (entries, ctx, render) => {
    const groups = new Map();
    for (const e of entries) groups.set(e.region, [...(groups.get(e.region) || []), e]);
    return [...groups]
      .map(
        ([region, list]) =>
          (ctx.national ? `<h3 class="region-title">${regionName(region, ctx)}</h3>` : '') + render(list),
      )
      .join('');
  };

  return {
    path,
    fig,
    count,
    centimes,
    money,
    days,
    words,
    recorded,
    t,
    section,
    empty,
    table,
    barRow,
    legend,
    countBars,
    regionName,
    byRegion,
  };
});
