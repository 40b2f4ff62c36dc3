/*
 * The report's sections on activity: flows, offer processing times, works sites, decisions and the
 * monthly timeline (window.TashghilReportActivity in the page, a CommonJS module in the tests).
 * Figure names:
 *   flows.byFlow.<key>, flows.matrix.<origin>.<destination>
 *   processingTimes.<step>.count | medianDays | p90Days
 *   worksSites.<programmed|launched|completed>.<sites|jobs>, worksSites.enrolled,
 *   worksSites.byProvince.<province>.<programmedSites|programmedJobs|launchedSites|launchedJobs|completedSites>
 *   decisions.recorded.<index>.<region|date|kind|decisionNumber|subject|outcome>, decisions.onFiles.<key>
 *   timeline.<month>.hires | enrolments | paidCentimes
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) {
    module.exports = factory(
      require('./format.js'),
      require('./i18n.js'),
      require('./labels.js'),
      require('./charts.js'),
      require('./view.js'),
    );
  } else {
    root.TashghilReportActivity = factory(
      root.TashghilFormat,
      root.TashghilI18n,
      root.TashghilLabels,
      root.TashghilCharts,
      root.TashghilView,
    );
  }
})(typeof globalThis !== 'undefined' ? globalThis : this, function (format, i18n, labels, charts, v) {
  'use strict';

  const ABROAD = 'abroad';
  const byCode = (a, b) => (a === ABROAD ? 1 : b === ABROAD ? -1 : a < b ? -1 : a > b ? 1 : 0);

  const flows = (report, ctx) => {
    const f = report.flows;
    const sum = f.byFlow.reduce((s, e) => s + e.count, 0);
    const bars = v.countBars(
      'flows.byFlow',
      labels.ordered('byFlow', f.byFlow),
      sum,
      (key) => v.words(labels.label('byFlow', key, ctx.lang), ctx),
      ctx,
    );
    if (f.matrix.length === 0)
      return v.section('flows', v.t('flows', ctx), bars + `<p class="empty">${v.t('noFlows', ctx)}</p>`);
    const origins = [...new Set(f.matrix.map((c) => c.origin))].sort(byCode);
    const destinations = [...new Set(f.matrix.map((c) => c.destination))].sort(byCode);
    const cells = new Map(f.matrix.map((c) => [`${c.origin}>${c.destination}`, c.count]));
    const max = Math.max(...f.matrix.map((c) => c.count));
    const head =
      `<tr><th scope="col" class="corner">${v.t('origin', ctx)} \u2193 / ${v.t('destination', ctx)} \u2192</th>` +
      destinations.map((d) => `<th scope="col">${v.regionName(d, ctx)}</th>`).join('') +
      '</tr>';
    const rows = origins
      .map(
        (o) =>
          `<tr><th scope="row">${v.regionName(o, ctx)}</th>${destinations
            .map((d) => {
              const n = cells.get(`${o}>${d}`);
              return n === undefined
                ? '<td class="heat heat-0"></td>'
                : `<td class="heat heat-${charts.heatLevel(n, max)}">${v.count(v.path('flows.matrix', o, d), n, ctx)}</td>`;
            })
            .join('')}</tr>`,
      )
      .join('');
    const matrix = `<div class="table-wrap"><table class="heatmap" data-testid="flow-matrix"><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
    return v.section('flows', v.t('flows', ctx), bars + matrix, true);
  };

  const processing = (report, ctx) => {
    const steps = report.processingTimes;
    if (steps.length === 0) return v.section('processing', v.t('processing', ctx), v.empty(ctx));
    const max = Math.max(0, ...steps.map((s) => s.p90Days || 0), ...steps.map((s) => s.medianDays || 0));
    const rows = steps.map((s) => {
      const p = v.path('processingTimes', s.step);
      return [
        v.words(labels.label('step', s.step, ctx.lang), ctx),
        v.count(`${p}.count`, s.count, ctx),
        v.days(`${p}.medianDays`, s.medianDays, ctx),
        v.days(`${p}.p90Days`, s.p90Days, ctx),
        charts.barStack(
          [
            { value: s.medianDays, cls: 'median', figure: `${p}.medianDays` },
            { value: s.p90Days, cls: 'p90', figure: `${p}.p90Days` },
          ],
          max,
          ctx.lang === 'ar',
        ),
      ];
    });
    const head = ['step', 'offers', 'median', 'p90']
      .map((k) => v.t(k, ctx))
      .concat(
        v.legend([
          ['median', v.t('median', ctx)],
          ['p90', v.t('p90', ctx)],
        ]),
      );
    return v.section('processing', v.t('processing', ctx), v.table(head, rows, 'steps'));
  };

  const STAGES = ['programmed', 'launched', 'completed'];
  const PROVINCE_FIELDS = ['programmedSites', 'programmedJobs', 'launchedSites', 'launchedJobs', 'completedSites'];

  const works = (report, ctx) => {
    const w = report.worksSites;
    const stageRow = (unit, labelKey) => {
      const max = Math.max(...STAGES.map((s) => w[s][unit]));
      return v.barRow(
        v.t(labelKey, ctx),
        STAGES.map((s) => ({ value: w[s][unit], cls: s, figure: v.path('worksSites', s, unit) })),
        max,
        STAGES.map(
          (s) => `<span class="k">${v.t(s, ctx)}</span> ${v.count(v.path('worksSites', s, unit), w[s][unit], ctx)}`,
        ).join('<br>'),
        ctx,
      );
    };
    const legend = v.legend(STAGES.map((s) => [s, v.t(s, ctx)]));
    const enrolled = `<p class="big"><span class="k">${v.t('enrolled', ctx)}</span> ${v.count('worksSites.enrolled', w.enrolled, ctx)}</p>`;
    const head = [
      v.t('byProvince', ctx),
      `${v.t('programmed', ctx)} (${v.t('sites', ctx)})`,
      `${v.t('programmed', ctx)} (${v.t('worksJobs', ctx)})`,
      `${v.t('launched', ctx)} (${v.t('sites', ctx)})`,
      `${v.t('launched', ctx)} (${v.t('worksJobs', ctx)})`,
      `${v.t('completed', ctx)} (${v.t('sites', ctx)})`,
    ];
    const rows = w.byProvince.map((p) => [
      v.words(labels.province(p.province, ctx.lang), ctx),
      ...PROVINCE_FIELDS.map((f) => v.count(v.path('worksSites.byProvince', p.province, f), p[f], ctx)),
    ]);
    const provinces =
      rows.length === 0 ? '' : `<h3>${v.t('worksByProvince', ctx)}</h3>${v.table(head, rows, 'provinces')}`;
    return v.section(
      'works',
      v.t('works', ctx),
      legend + stageRow('sites', 'sites') + stageRow('jobs', 'worksJobs') + enrolled + provinces,
      true,
    );
  };

  const decisions = (report, ctx) => {
    const d = report.decisions;
    const head = [
      v.t('date', ctx),
      ...(ctx.national ? [v.t('region', ctx)] : []),
      v.t('committee', ctx),
      v.t('decisionNumber', ctx),
      v.t('subject', ctx),
      v.t('outcome', ctx),
    ];
    const rows = d.recorded.map((r, i) => {
      const p = v.path('decisions.recorded', String(i));
      const outcome = labels.label('outcome', r.outcome, ctx.lang);
      return [
        v.fig(`${p}.date`, r.date, format.formatDate(r.date, ctx.lang)),
        ...(ctx.national
          ? [
              `<span data-figure="${p}.region" data-value="${format.escapeHtml(r.region)}">${v.regionName(r.region, ctx)}</span>`,
            ]
          : []),
        `<span data-figure="${p}.kind" data-value="${format.escapeHtml(r.kind)}">${v.words(labels.label('committeeKind', r.kind, ctx.lang), ctx)}</span>`,
        `<bdi>${v.fig(`${p}.decisionNumber`, r.decisionNumber, r.decisionNumber)}</bdi>`,
        `<span data-figure="${p}.subject" data-value="${format.escapeHtml(r.subject)}">${v.recorded(r.subject, ctx)}</span>`,
        `<span class="badge ${format.escapeHtml(r.outcome)}" data-figure="${p}.outcome" data-value="${format.escapeHtml(r.outcome)}">${v.words(outcome, ctx)}</span>`,
      ];
    });
    const recorded =
      rows.length === 0 ? `<p class="empty">${v.t('noDecisions', ctx)}</p>` : v.table(head, rows, 'decisions');
    const max = Math.max(0, ...d.onFiles.map((e) => e.count));
    const onFiles = v.countBars(
      'decisions.onFiles',
      d.onFiles,
      max,
      (key) => v.words(labels.fileDecision(key, ctx.lang), ctx),
      ctx,
    );
    return v.section(
      'decisions',
      v.t('decisions', ctx),
      `<h3>${v.t('recorded', ctx)}</h3>${recorded}<h3>${v.t('onFiles', ctx)}</h3>${onFiles}`,
      true,
    );
  };

  const timeline = (report, ctx) => {
    const points = report.timeline;
    if (points.length === 0) return v.section('timeline', v.t('timeline', ctx), v.empty(ctx), true);
    const rtl = ctx.lang === 'ar';
    const x = points.map((p, i) => ({
      label: format.formatMonthShort(p.month, ctx.lang),
      sub: i === 0 || p.month.endsWith('-01') ? p.month.slice(0, 4) : '',
    }));
    const series = (field, cls, labelKey, text) => ({
      cls,
      values: points.map((p) => ({
        value: p[field],
        figure: v.path('timeline', p.month, field),
        title: `${format.formatMonth(p.month, ctx.lang)} — ${i18n.t(labelKey, ctx.lang)}${ctx.lang === 'fr' ? '\u00a0:' : ':'} ${text(p[field])}`,
      })),
    });
    const countText = (n) => format.formatInteger(n, ctx.lang);
    const people = charts.monthlyChart({
      points: x,
      rtl,
      kind: 'bars',
      title: `${i18n.t('hires', ctx.lang)} / ${i18n.t('enrolments', ctx.lang)}`,
      tickText: countText,
      series: [
        series('hires', 'hires', 'hires', countText),
        series('enrolments', 'enrolments', 'enrolments', countText),
      ],
    });
    const moneyText = (c) => format.formatMoney(c, ctx.lang);
    const paid = charts.monthlyChart({
      points: x,
      rtl,
      kind: 'line',
      title: i18n.t('payments', ctx.lang),
      leastStep: 100,
      tickText: (c) => (c % 100 === 0 ? format.formatInteger(c / 100, ctx.lang) : format.formatCentimes(c, ctx.lang)),
      series: [series('paidCentimes', 'payments', 'payments', moneyText)],
    });
    const rows = points.map((p) => [
      format.escapeHtml(format.formatMonth(p.month, ctx.lang)),
      v.count(v.path('timeline', p.month, 'hires'), p.hires, ctx),
      v.count(v.path('timeline', p.month, 'enrolments'), p.enrolments, ctx),
      v.money(v.path('timeline', p.month, 'paidCentimes'), p.paidCentimes, ctx),
    ]);
    const body =
      `<div class="charts"><figure>${v.legend([
        ['hires', v.t('hires', ctx)],
        ['enrolments', v.t('enrolments', ctx)],
      ])}${people}</figure>` +
      `<figure>${v.legend([['payments', `${v.t('payments', ctx)} (${format.escapeHtml(format.currency(ctx.lang))})`]])}${paid}</figure></div>` +
      v.table([v.t('month', ctx), v.t('hires', ctx), v.t('enrolments', ctx), v.t('payments', ctx)], rows, 'timeline');
    return v.section('timeline', v.t('timeline', ctx), body, true);
  };

  return { flows, processing, works, decisions, timeline };
});
