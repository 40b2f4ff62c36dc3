/*
 * The report's head and its sections on objectives, money and people (window.TashghilReportSections
 * in the page, a CommonJS module in the tests). Figure names:
 *   scope.region, asOf, basis.kind, basis.events, basis.lastRecordedAt
 *   targets.<region>.<source>.<ref>.<line>.targetJobs | achievedJobs | endedJobs (where not null)
 *   budget.<region>.<source>.<ref>.<line>.stateCentimes | regionCentimes | budgetCentimes | committedCentimes | releasedCentimes | paidCentimes | clawedBackCentimes
 *   beneficiaries.total, beneficiaries.<byGender|byAgeBand|…|byComponent>.<key>
 *   beneficiaries.basis.counted.<source>, beneficiaries.basis.hiresLeftOut
 *   placements.total, placements.bySector.<key>
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) {
    module.exports = factory(
      require('./format.js'),
      require('./i18n.js'),
      require('./labels.js'),
      require('./view.js'),
    );
  } else {
    root.TashghilReportSections = factory(
      root.TashghilFormat,
      root.TashghilI18n,
      root.TashghilLabels,
      root.TashghilView,
    );
  }
})(typeof globalThis !== 'undefined' ? globalThis : this, function (format, i18n, labels, v) {
  'use strict';

  const lineKey = (e) => v.path(e.region, e.source, e.ref, e.line);

  const head = (report, ctx) => {
    const name = report.scope.name[ctx.lang] || report.scope.name.fr;
    const basis = report.basis;
    const when =
      report.asOf === null
        ? v.fig('asOf', null, i18n.t('basisLive', ctx.lang))
        : v.fig(
            'asOf',
            report.asOf,
            i18n.t('basisReplay', ctx.lang, { date: format.formatDate(report.asOf, ctx.lang) }),
          );
    const kind = basis.kind === 'live' ? i18n.t('live', ctx.lang) : format.formatDate(report.asOf || '', ctx.lang);
    const last =
      basis.lastRecordedAt === null
        ? i18n.t('notGiven', ctx.lang)
        : format.formatInstant(basis.lastRecordedAt, ctx.lang);
    // The messages are the dashboard's own constants; only the figures inside them are data.
    const events = i18n.t('basisEvents', ctx.lang, {
      events: v.count('basis.events', basis.events, ctx),
      at: v.fig('basis.lastRecordedAt', basis.lastRecordedAt, last),
    });
    // generatedAt is the moment of this answer, not a figure of the log: two reads never share it.
    return (
      `<header class="report-head" data-testid="report-head">` +
      `<h2>${v.fig('scope.region', report.scope.region, name)}</h2>` +
      `<p class="basis"><span class="pill ${basis.kind === 'live' ? 'live' : 'replay'}">${v.fig('basis.kind', basis.kind, kind)}</span> ${when}</p>` +
      `<p class="muted">${events}</p>` +
      `<p class="muted">${v.t('generatedAt', ctx, { at: format.formatInstant(report.generatedAt, ctx.lang) })}</p></header>`
    );
  };

  const lineLabel = (e, ctx) =>
    `<span class="line-label">${v.words(labels.line(e, ctx.lang), ctx)}<small>${v.words(labels.reference(e, ctx.lang), ctx)}</small></span>`;

  const targets = (report, ctx) => {
    const body =
      report.targets.length === 0
        ? v.empty(ctx)
        : v.byRegion(report.targets, ctx, (list) =>
            list
              .map((e) => {
                const p = v.path('targets', lineKey(e));
                const max = Math.max(e.targetJobs, e.achievedJobs || 0);
                const achieved =
                  e.achievedJobs === null
                    ? v.fig(`${p}.achievedJobs`, null, i18n.t('notMeasured', ctx.lang), 'not-measured')
                    : v.count(`${p}.achievedJobs`, e.achievedJobs, ctx);
                // Jobs ended early are no longer achieved; they are shown apart so the drop is explained.
                const ended =
                  e.endedJobs === null || e.endedJobs === undefined
                    ? ''
                    : `<br><span class="k">${v.t('ended', ctx)}</span> ${v.count(`${p}.endedJobs`, e.endedJobs, ctx)}`;
                return v.barRow(
                  lineLabel(e, ctx),
                  [
                    { value: e.targetJobs, cls: 'target', figure: `${p}.targetJobs` },
                    { value: e.achievedJobs, cls: 'achieved', figure: `${p}.achievedJobs` },
                  ],
                  max,
                  `<span class="k">${v.t('target', ctx)}</span> ${v.count(`${p}.targetJobs`, e.targetJobs, ctx)}` +
                    `<br><span class="k">${v.t('achieved', ctx)}</span> ${achieved}${ended}`,
                  ctx,
                );
              })
              .join(''),
          );
    return v.section(
      'targets',
      v.t('targets', ctx),
      v.legend([
        ['target', v.t('target', ctx)],
        ['achieved', v.t('achieved', ctx)],
      ]) + body,
      true,
    );
  };

  const BUDGET_FIELDS = [
    'stateCentimes',
    'regionCentimes',
    'budgetCentimes',
    'committedCentimes',
    'releasedCentimes',
    'paidCentimes',
    'clawedBackCentimes',
  ];

  const budget = (report, ctx) => {
    if (report.budget.length === 0) return v.section('budget', v.t('budget', ctx), v.empty(ctx), true);
    const bars = v.byRegion(report.budget, ctx, (list) =>
      list
        .map((e) => {
          const p = v.path('budget', lineKey(e));
          const max = Math.max(e.budgetCentimes || 0, e.committedCentimes, e.paidCentimes);
          return v.barRow(
            lineLabel(e, ctx),
            [
              { value: e.budgetCentimes, cls: 'budget', figure: `${p}.budgetCentimes` },
              { value: e.committedCentimes, cls: 'committed', figure: `${p}.committedCentimes` },
              { value: e.paidCentimes, cls: 'paid', figure: `${p}.paidCentimes` },
            ],
            max,
            `<span class="k">${v.t('committed', ctx)}</span> ${v.money(`${p}.committedCentimes`, e.committedCentimes, ctx)}` +
              `<br><span class="k">${v.t('paid', ctx)}</span> ${v.money(`${p}.paidCentimes`, e.paidCentimes, ctx)}`,
            ctx,
          );
        })
        .join(''),
    );
    const head = [
      v.t('budgetLine', ctx),
      ...(ctx.national ? [v.t('region', ctx)] : []),
      ...['stateShare', 'regionShare', 'budgetTotal', 'committed', 'released', 'paid', 'clawedBack'].map((k) =>
        v.t(k, ctx),
      ),
    ];
    const rows = report.budget.map((e) => {
      const p = v.path('budget', lineKey(e));
      return [
        lineLabel(e, ctx),
        ...(ctx.national ? [v.regionName(e.region, ctx)] : []),
        ...BUDGET_FIELDS.map((f) => v.centimes(`${p}.${f}`, e[f], ctx)),
      ];
    });
    const legend = v.legend([
      ['budget', v.t('budgetTotal', ctx)],
      ['committed', v.t('committed', ctx)],
      ['paid', v.t('paid', ctx)],
    ]);
    const note = `<p class="muted">${v.t('amountsIn', ctx, { currency: format.currency(ctx.lang) })}</p>`;
    return v.section('budget', v.t('budget', ctx), legend + bars + note + v.table(head, rows, 'money-table'), true);
  };

  // bySource is printed as the basis's counted sources, which hold the same figures.
  const DIMENSIONS = [
    'byGender',
    'byAgeBand',
    'byDisability',
    'byDiploma',
    'byArea',
    'byLongTermUnemployment',
    'byComponent',
    'byProvince',
  ];
  // Programme components share their words with the target lines.
  const LABEL_SET = { byComponent: 'component' };

  const categoryLabel = (dim, key, ctx) => {
    // `unknown`: an older grant file that did not carry the person's categories.
    if (key === 'unknown') return v.t('unknownCategory', ctx);
    return dim === 'byProvince'
      ? v.words(labels.province(key, ctx.lang), ctx)
      : v.words(labels.label(LABEL_SET[dim] || dim, key, ctx.lang), ctx);
  };

  const basisOf = (b, ctx) => {
    const basis = b.basis;
    if (!basis) return '';
    const rule = { text: basis.rule[ctx.lang] || basis.rule.fr, translated: Boolean(basis.rule[ctx.lang]) };
    const counted = basis.counted
      .map(
        (c) =>
          `<li>${v.words(labels.label('bySource', c.key, ctx.lang), ctx)} ${v.count(v.path('beneficiaries.basis.counted', c.key), c.count, ctx)}</li>`,
      )
      .join('');
    return (
      `<div class="basis-rule" data-testid="beneficiaries-basis"><h3>${v.t('countingBasis', ctx)}</h3><p class="muted">${v.words(rule, ctx)}</p>` +
      `<ul>${counted}</ul><p class="muted">${v.t('hiresLeftOut', ctx)} ${v.count('beneficiaries.basis.hiresLeftOut', basis.hiresLeftOut, ctx)}</p></div>`
    );
  };

  const beneficiaries = (report, ctx) => {
    const b = report.beneficiaries;
    const blocks = DIMENSIONS.map((dim) => {
      const entries = dim === 'byProvince' ? b[dim] || [] : labels.ordered(LABEL_SET[dim] || dim, b[dim] || []);
      const labelOf = (key) => categoryLabel(dim, key, ctx);
      const max = Math.max(b.total, ...entries.map((e) => e.count));
      return (
        `<div class="dimension" data-testid="beneficiaries-${dim}"><h3>${v.t(dim, ctx)}</h3>` +
        v.countBars(v.path('beneficiaries', dim), entries, max, labelOf, ctx) +
        '</div>'
      );
    }).join('');
    const total = `<p class="big"><span class="k">${v.t('total', ctx)}</span> ${v.count('beneficiaries.total', b.total, ctx)}</p>`;
    return v.section(
      'beneficiaries',
      v.t('beneficiaries', ctx),
      total + basisOf(b, ctx) + `<div class="dimensions">${blocks}</div>`,
      true,
    );
  };

  const placements = (report, ctx) => {
    const p = report.placements;
    const max = Math.max(0, ...p.bySector.map((e) => e.count));
    const total = `<p class="big"><span class="k">${v.t('placementsTotal', ctx)}</span> ${v.count('placements.total', p.total, ctx)}</p>`;
    return v.section(
      'placements',
      v.t('placements', ctx),
      total +
        v.countBars(
          'placements.bySector',
          p.bySector,
          max,
          (key) => v.words(labels.label('bySector', key, ctx.lang), ctx),
          ctx,
        ),
    );
  };

  return { head, targets, budget, beneficiaries, placements };
});
