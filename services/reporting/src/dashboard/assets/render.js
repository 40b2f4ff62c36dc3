/*
 * A CommitteeReport (services/reporting/src/report/report.types.ts) as the dashboard's HTML, in
 * one language: window.TashghilRender in the page, a CommonJS module in the tests. Pure: the same
 * report and language always give the same markup.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) {
    module.exports = factory(require('./i18n.js'), require('./report-sections.js'), require('./report-activity.js'));
  } else {
    root.TashghilRender = factory(root.TashghilI18n, root.TashghilReportSections, root.TashghilReportActivity);
  }
})(typeof globalThis !== 'undefined' ? globalThis : this, function (i18n, sections, activity) {
  'use strict';

  /** `regions` is the code → { fr, ar } table of libs/contracts, which the server puts in the page. */
  const renderReport = (report, lang, regions) => {
    const ctx = { lang: i18n.normaliseLang(lang), regions, national: report.scope.region === null };
    return (
      sections.head(report, ctx) +
      '<div class="grid">' +
      [
        sections.targets(report, ctx),
        sections.budget(report, ctx),
        sections.beneficiaries(report, ctx),
        sections.placements(report, ctx),
        activity.processing(report, ctx),
        activity.flows(report, ctx),
        activity.works(report, ctx),
        activity.decisions(report, ctx),
        activity.timeline(report, ctx),
      ].join('') +
      '</div>'
    );
  };

  return { renderReport };
});
