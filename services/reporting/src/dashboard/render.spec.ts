import {
  beneficiaryCategoriesSchema,
  committeeDecisionSchema,
  committeeKindSchema,
  decisionOutcomeSchema,
  REGION_CODES,
  REGIONS,
  seekerHiredV1,
} from '@tashghil/contracts';
import type { CommitteeReport } from '../report/report.types';
import { barStack, heatLevel, niceStep } from './assets/charts.js';
import { label, line, ordered, region } from './assets/labels.js';
import { renderReport } from './assets/render.js';
import { asDataValue, expectedFigures, figuresInHtml, figureValue } from './report-figures';
import { sampleReport } from './sample-report.fixture';

const NNBSP = '\u202f';
const national: CommitteeReport = {
  ...sampleReport,
  scope: { region: null, name: { fr: 'National', ar: 'وطني' } },
  targets: [
    ...sampleReport.targets,
    { ...sampleReport.targets[0], region: 'MA-09', targetJobs: 10 } as CommitteeReport['targets'][number],
  ],
};

describe('the report as the dashboard draws it', () => {
  it.each([['fr'], ['ar']])(
    'prints every figure of the report once or more, each with the raw value the report holds (%s)',
    (lang) => {
      for (const report of [sampleReport, national]) {
        const figures = figuresInHtml(renderReport(report, lang, REGIONS));
        for (const { figure, value } of figures)
          expect([figure, value]).toEqual([figure, asDataValue(figureValue(report, figure))]);
        const shown = new Set(figures.map((f) => f.figure));
        expect(expectedFigures(report).filter((f) => !shown.has(f))).toEqual([]);
      }
    },
  );

  it('shows the Guelmim-Oued Noun targets of 2022 with the language’s grouping', () => {
    const fr = renderReport(sampleReport, 'fr', REGIONS);
    expect(fr).toContain(
      `data-figure="targets.MA-10.programme.awrach/2022.temporary_works.targetJobs" data-value="3800">3${NNBSP}800<`,
    );
    expect(fr).toContain(
      `data-figure="targets.MA-10.programme.awrach/2022.lasting_integration.targetJobs" data-value="1000">1${NNBSP}000<`,
    );
    expect(fr).toContain('Emplois temporaires (chantiers)');
    const ar = renderReport(sampleReport, 'ar', REGIONS);
    expect(ar).toContain('data-value="3800">3.800<');
    expect(ar).toContain('مناصب الشغل المؤقتة (الأوراش)');
    expect(ar).toContain('كلميم واد نون');
  });

  it('prints amounts exactly from centimes', () => {
    const fr = renderReport(sampleReport, 'fr', REGIONS);
    expect(fr).toContain(`data-value="22500001">225${NNBSP}000,01\u00a0MAD<`);
    expect(fr).toContain(`data-value="987654321">9${NNBSP}876${NNBSP}543,21<`);
  });

  it('says a line is not measured rather than printing zero', () => {
    const html = renderReport(sampleReport, 'fr', REGIONS);
    expect(html).toContain(
      'data-figure="targets.MA-10.convention.guelmim-2021.auto-emploi.achievedJobs" data-value="null">non mesuré dans Tashghil<',
    );
  });

  it('escapes what the store recorded, so a subject cannot become markup', () => {
    const html = renderReport(sampleReport, 'fr', REGIONS);
    expect(html).toContain('Chantiers de la deuxième tranche &lt;Assa-Zag &amp; Tan-Tan&gt;');
    expect(html).not.toContain('<Assa-Zag');
  });

  it('keeps French it cannot translate in its own language inside the Arabic page', () => {
    const html = renderReport(sampleReport, 'ar', REGIONS);
    expect(html).toContain('<bdi lang="fr">Chantiers de la deuxième tranche');
    expect(html).toContain('دعم التشغيل الذاتي');
  });

  it('states how beneficiaries were counted, the sources counted and the hires left out, in both languages', () => {
    const fr = renderReport(sampleReport, 'fr', REGIONS);
    expect(fr).toContain('Base du décompte');
    expect(fr).toContain('Chaque personne compte une fois dans le total &lt;règle&gt;.');
    expect(fr).toContain(
      `Embauches d&#39;un dossier d&#39;aide approuvé <span class="fig num" data-figure="beneficiaries.basis.counted.grant" data-value="53">53<`,
    );
    expect(fr).toContain('data-figure="beneficiaries.basis.hiresLeftOut" data-value="4"');
    expect(fr).toContain('data-figure="beneficiaries.byComponent.lasting_integration" data-value="53"');
    const ar = renderReport(sampleReport, 'ar', REGIONS);
    expect(ar).toContain('أساس الاحتساب');
    expect(ar).toContain('يُحتسب كل شخص مرة واحدة في المجموع.');
    expect(ar).toContain('الإدماج المستدام');
  });

  it('shows jobs ended early apart from those achieved, and what their end released', () => {
    const fr = renderReport(sampleReport, 'fr', REGIONS);
    expect(fr).toContain(
      'Terminés avant terme</span> <span class="fig num" data-figure="targets.MA-10.programme.awrach/2022.lasting_integration.endedJobs" data-value="3">3<',
    );
    expect(fr).not.toContain('auto-emploi.endedJobs');
    expect(fr).toContain(
      `data-figure="budget.MA-10.programme.awrach/2022.lasting_integration.releasedCentimes" data-value="6750000">67${NNBSP}500,00<`,
    );
  });

  it('names a category that an older grant file did not carry', () => {
    const older: CommitteeReport = {
      ...sampleReport,
      beneficiaries: {
        ...sampleReport.beneficiaries,
        byGender: [...sampleReport.beneficiaries.byGender, { key: 'unknown', count: 2 }],
      },
    };
    expect(renderReport(older, 'fr', REGIONS)).toMatch(
      /Non renseigné<\/div>.*data-figure="beneficiaries.byGender.unknown" data-value="2"/s,
    );
    expect(renderReport(older, 'ar', REGIONS)).toContain('غير مصرح به');
  });

  it('titles each region in the national view, and not in a regional one', () => {
    expect(renderReport(national, 'fr', REGIONS)).toContain('<h3 class="region-title">Souss-Massa</h3>');
    expect(renderReport(sampleReport, 'fr', REGIONS)).not.toContain('region-title');
  });
});

describe('the charts', () => {
  it('grows bars from the right in Arabic', () => {
    expect(barStack([{ value: 250, cls: 'a' }], 1000, false)).toContain('class="bar a" x="0" y="0" width="250"');
    expect(barStack([{ value: 250, cls: 'a' }], 1000, true)).toContain('class="bar a" x="750" y="0" width="250"');
    expect(barStack([{ value: null, cls: 'a' }], 0, false)).toContain('width="0"');
  });

  it('steps axes by 1, 2 or 5 times a power of ten', () => {
    expect([niceStep(3_800, 4), niceStep(412, 4), niceStep(7, 4), niceStep(0, 4)]).toEqual([1_000, 200, 2, 1]);
    expect([niceStep(0, 4, 100), niceStep(150, 4, 100), niceStep(59_000_000, 4, 100)]).toEqual([100, 100, 20_000_000]);
  });

  it('shades the flow matrix by the share of its largest cell', () => {
    expect([heatLevel(0, 41), heatLevel(1, 41), heatLevel(21, 41), heatLevel(41, 41)]).toEqual([0, 1, 3, 5]);
  });
});

describe('the codes of the contracts in words', () => {
  const keys: [string, readonly string[]][] = [
    ['byGender', beneficiaryCategoriesSchema.shape.gender.options],
    ['byAgeBand', beneficiaryCategoriesSchema.shape.ageBand.options],
    ['byArea', beneficiaryCategoriesSchema.shape.area.options],
    ['byFlow', seekerHiredV1.shape.flow.options],
    ['outcome', [...decisionOutcomeSchema.options, ...committeeDecisionSchema.shape.outcome.options]],
    ['committeeKind', committeeKindSchema.options],
    ['byDisability', ['yes', 'no']],
    ['byDiploma', ['diploma', 'none']],
    ['byLongTermUnemployment', ['yes', 'no']],
    ['bySource', ['works', 'grant', 'hire']],
    ['component', ['temporary_works', 'lasting_integration', 'idmaj_training_contracts']],
    [
      'step',
      [
        'published_to_first_proposal',
        'published_to_opened_other_regions',
        'published_to_first_hire',
        'proposal_to_hire',
      ],
    ],
  ];

  it.each(keys)('translates every %s key into French and Arabic', (dimension, codes) => {
    for (const code of codes) {
      expect([code, label(dimension, code, 'fr').translated]).toEqual([code, true]);
      expect(label(dimension, code, 'ar').text).toMatch(/[\u0600-\u06ff]/);
    }
  });

  it('lists age bands and flows in their natural order, whatever order the API gives', () => {
    const bands = [
      { key: '55_plus', count: 1 },
      { key: 'under_25', count: 2 },
      { key: 'new_band', count: 3 },
      { key: '25_34', count: 4 },
    ];
    expect(ordered('byAgeBand', bands).map((b) => b.key)).toEqual(['under_25', '25_34', '55_plus', 'new_band']);
    expect(
      ordered('byFlow', [
        { key: 'abroad', count: 1 },
        { key: 'own_region', count: 1 },
      ]).map((b) => b.key),
    ).toEqual(['own_region', 'abroad']);
  });

  it('names the twelve regions from the contracts’ table, and abroad', () => {
    for (const code of REGION_CODES) expect(region(code, 'ar', REGIONS).text).toBe(REGIONS[code].ar);
    expect(region('abroad', 'fr', REGIONS).text).toBe('Étranger');
  });

  it('translates a convention measure by the label the API gives, and marks one it does not know', () => {
    const measure = { source: 'convention', line: 'tahfiz', label: 'Tahfiz (cible illustrative, non publiée)' };
    expect(line(measure, 'ar')).toEqual({ text: 'تحفيز (هدف توضيحي، غير منشور)', translated: true });
    expect(line({ ...measure, label: 'Mesure nouvelle' }, 'ar')).toEqual({
      text: 'Mesure nouvelle',
      translated: false,
    });
    expect(line(measure, 'fr').text).toBe('Tahfiz (cible illustrative, non publiée)');
  });
});
