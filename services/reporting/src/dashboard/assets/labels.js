/*
 * The report's codes in words: category keys, programme components, pipeline steps, decision
 * outcomes, sectors, provinces and the convention measure labels the API gives in French.
 * window.TashghilLabels in the page, a CommonJS module in the tests.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.TashghilLabels = factory();
})(typeof globalThis !== 'undefined' ? globalThis : this, function () {
  'use strict';

  const pair = (fr, ar) => ({ fr, ar });

  const DIMENSIONS = {
    byGender: { female: pair('Femmes', 'نساء'), male: pair('Hommes', 'رجال') },
    byAgeBand: {
      under_25: pair('Moins de 25 ans', 'أقل من 25 سنة'),
      '25_34': pair('25 à 34 ans', 'من 25 إلى 34 سنة'),
      '35_54': pair('35 à 54 ans', 'من 35 إلى 54 سنة'),
      '55_plus': pair('55 ans et plus', '55 سنة فما فوق'),
    },
    byDisability: { yes: pair('En situation de handicap', 'في وضعية إعاقة'), no: pair('Sans handicap', 'بدون إعاقة') },
    // Not HCP's « sans diplôme », which counts the certificate and the brevet as diplomas: see export/labels.ts.
    byDiploma: {
      diploma: pair('Diplôme déclaré ou niveau bac et plus', 'شهادة مصرح بها أو مستوى البكالوريا فما فوق'),
      none: pair('Ni diplôme déclaré ni niveau bac', 'لا شهادة مصرح بها ولا مستوى البكالوريا'),
    },
    byArea: { rural: pair('Rural', 'قروي'), urban: pair('Urbain', 'حضري') },
    // Registered 24 months or more (Awrach's target group), not HCP's long-term unemployment (12 months or more).
    byLongTermUnemployment: {
      yes: pair('Inscrits depuis 24 mois et plus', 'مسجلون منذ 24 شهرا فأكثر'),
      no: pair('Inscrits depuis moins de 24 mois', 'مسجلون منذ أقل من 24 شهرا'),
    },
    bySource: {
      works: pair('Chantiers temporaires', 'الأوراش المؤقتة'),
      grant: pair("Embauches d'un dossier d'aide approuvé", 'التوظيفات في ملف منحة مصادق عليه'),
      hire: pair('Embauches sous une mesure de convention', 'التوظيفات في إطار تدبير من اتفاقية'),
    },
    bySector: {
      'agri-food': pair('Agroalimentaire', 'الصناعات الغذائية'),
      agriculture: pair('Agriculture', 'الفلاحة'),
      automotive: pair('Automobile', 'صناعة السيارات'),
      construction: pair('Bâtiment et travaux publics', 'البناء والأشغال العمومية'),
      fishing: pair('Pêche', 'الصيد البحري'),
      offshoring: pair('Offshoring', 'ترحيل الخدمات'),
      retail: pair('Commerce', 'التجارة'),
      tourism: pair('Tourisme', 'السياحة'),
      textile: pair('Textile', 'النسيج'),
      services: pair('Services', 'الخدمات'),
      other: pair('Autres', 'أخرى'),
    },
    byFlow: {
      own_region: pair('Dans la région', 'داخل الجهة'),
      other_region: pair('Vers une autre région', 'نحو جهة أخرى'),
      abroad: pair("À l'étranger", 'خارج المغرب'),
    },
    step: {
      published_to_first_proposal: pair('De la publication à la première proposition', 'من النشر إلى أول اقتراح'),
      published_to_opened_other_regions: pair(
        "De la publication à l'ouverture aux autres régions",
        'من النشر إلى الانفتاح على الجهات الأخرى',
      ),
      published_to_first_hire: pair('De la publication à la première embauche', 'من النشر إلى أول توظيف'),
      proposal_to_hire: pair("De la proposition à l'embauche", 'من الاقتراح إلى التوظيف'),
    },
    outcome: {
      approved: pair('Approuvé', 'مصادق عليه'),
      rejected: pair('Rejeté', 'مرفوض'),
      deferred: pair('Reporté', 'مؤجل'),
      noted: pair('Pris acte', 'أُحيط علماً'),
      waitlisted: pair("En liste d'attente", 'في لائحة الانتظار'),
    },
    committeeKind: {
      regional: pair('Comité régional', 'اللجنة الجهوية'),
      technical: pair('Comité technique', 'اللجنة التقنية'),
    },
    fileKind: {
      'works-project': pair('Projets de chantier', 'مشاريع الأوراش'),
      grant: pair("Aides à l'insertion durable", 'منح الإدماج المستدام'),
      convention: pair('Conventions', 'الاتفاقيات'),
    },
    component: {
      temporary_works: pair('Emplois temporaires (chantiers)', 'مناصب الشغل المؤقتة (الأوراش)'),
      lasting_integration: pair('Insertion durable', 'الإدماج المستدام'),
      idmaj_training_contracts: pair('Contrats de formation-insertion (Idmaj)', 'عقود التكوين من أجل الإدماج (إدماج)'),
    },
    programme: { awrach: pair('Awrach', 'أوراش') },
    source: { programme: pair('Programme', 'البرنامج'), convention: pair('Convention', 'الاتفاقية') },
    role: {
      officer: pair('agent', 'موظف'),
      committee: pair('membre du comité', 'عضو اللجنة'),
      auditor: pair('auditeur', 'مدقق'),
      employer: pair('employeur', 'مشغل'),
      association: pair('association', 'جمعية'),
      admin: pair('administrateur', 'مسؤول النظام'),
    },
    abroad: { abroad: pair('Étranger', 'الخارج') },
  };

  // Convention measures are free text in French: the Arabic is keyed by the exact label the API gives.
  const MEASURES_AR = {
    'Contrats de formation (cible illustrative, non publiée)': 'عقود التكوين (هدف توضيحي، غير منشور)',
    'Tahfiz (cible illustrative, non publiée)': 'تحفيز (هدف توضيحي، غير منشور)',
    'Taehil (cible illustrative, non publiée)': 'تأهيل (هدف توضيحي، غير منشور)',
    "Appui à l'auto-emploi (cible illustrative, non publiée)": 'دعم التشغيل الذاتي (هدف توضيحي، غير منشور)',
    'Contribution de la Région, répartition non publiée (cible illustrative)':
      'مساهمة الجهة، توزيع غير منشور (هدف توضيحي)',
    "Appui à l'auto-emploi": 'دعم التشغيل الذاتي',
  };

  const PROVINCES_AR = {
    'Tanger-Assilah': 'طنجة أصيلة',
    Tétouan: 'تطوان',
    'Al Hoceïma': 'الحسيمة',
    Larache: 'العرائش',
    Chefchaouen: 'شفشاون',
    'Oujda-Angad': 'وجدة أنكاد',
    Nador: 'الناظور',
    Berkane: 'بركان',
    Taourirt: 'تاوريرت',
    Guercif: 'جرسيف',
    Fès: 'فاس',
    Meknès: 'مكناس',
    Taza: 'تازة',
    Sefrou: 'صفرو',
    Ifrane: 'إفران',
    Rabat: 'الرباط',
    Salé: 'سلا',
    Kénitra: 'القنيطرة',
    'Skhirate-Témara': 'الصخيرات تمارة',
    Khémisset: 'الخميسات',
    'Béni Mellal': 'بني ملال',
    Khénifra: 'خنيفرة',
    Khouribga: 'خريبكة',
    'Fquih Ben Salah': 'الفقيه بن صالح',
    Azilal: 'أزيلال',
    Casablanca: 'الدار البيضاء',
    Mohammédia: 'المحمدية',
    'El Jadida': 'الجديدة',
    Settat: 'سطات',
    Berrechid: 'برشيد',
    Marrakech: 'مراكش',
    Safi: 'آسفي',
    Essaouira: 'الصويرة',
    'Al Haouz': 'الحوز',
    Chichaoua: 'شيشاوة',
    Errachidia: 'الرشيدية',
    Ouarzazate: 'ورزازات',
    Midelt: 'ميدلت',
    Tinghir: 'تنغير',
    Zagora: 'زاكورة',
    'Agadir-Ida Ou Tanane': 'أكادير إداوتنان',
    'Inezgane-Aït Melloul': 'إنزكان آيت ملول',
    'Chtouka-Aït Baha': 'اشتوكة آيت باها',
    Taroudannt: 'تارودانت',
    Tiznit: 'تيزنيت',
    Tata: 'طاطا',
    Guelmim: 'كلميم',
    'Tan-Tan': 'طانطان',
    'Sidi Ifni': 'سيدي إفني',
    'Assa-Zag': 'أسا الزاك',
    Laâyoune: 'العيون',
    Boujdour: 'بوجدور',
    Tarfaya: 'طرفاية',
    'Es-Semara': 'السمارة',
    'Oued Ed-Dahab': 'وادي الذهب',
    Aousserd: 'أوسرد',
  };

  /**
   * A code in words, and whether it was translated: an unknown code is shown as the API gave it,
   * marked so the page can set its language and direction.
   */
  /** A table's own entry: a key from the data named like an Object method must not read the prototype. */
  const own = (table, key) => (table && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined);

  const label = (dimension, key, lang) => {
    const known = own(DIMENSIONS[dimension], key);
    return known ? { text: known[lang] || known.fr, translated: true } : { text: String(key), translated: false };
  };

  /**
   * Count entries in the order a reader expects (under 25 before 25–34, own region before abroad);
   * keys the dashboard does not know keep the API's order, after the known ones.
   */
  const ordered = (dimension, entries) => {
    const known = Object.keys(DIMENSIONS[dimension] || {});
    const rank = (key) => (known.includes(key) ? known.indexOf(key) : known.length);
    return entries
      .map((e, i) => [e, i])
      .sort(([a, i], [b, j]) => rank(a.key) - rank(b.key) || i - j)
      .map(([e]) => e);
  };

  const province = (name, lang) => {
    if (lang !== 'ar') return { text: name, translated: true };
    const ar = own(PROVINCES_AR, name);
    return ar ? { text: ar, translated: true } : { text: name, translated: false };
  };

  /** `regions` is the table of libs/contracts (code → { fr, ar }), which the page receives from the server. */
  const region = (code, lang, regions) => {
    if (code === 'abroad') return label('abroad', 'abroad', lang);
    const names = own(regions, code);
    return names ? { text: names[lang] || names.fr, translated: true } : { text: String(code), translated: false };
  };

  /** A target or budget line: a programme component by its code, a convention measure by its label. */
  const line = (entry, lang) => {
    if (entry.source === 'programme') {
      const component = label('component', entry.line, lang);
      return component.translated ? component : { text: entry.label || entry.line, translated: lang === 'fr' };
    }
    if (lang !== 'ar') return { text: entry.label, translated: true };
    const ar = own(MEASURES_AR, entry.label);
    return ar ? { text: ar, translated: true } : { text: entry.label, translated: false };
  };

  /** `awrach/2022` → "Awrach 2022"; a convention's id is its reference as officers type it. */
  const reference = (entry, lang) => {
    if (entry.source === 'programme') {
      const [programme, year] = String(entry.ref).split('/');
      const name = label('programme', programme, lang);
      return { text: year ? `${name.text} ${year}` : name.text, translated: name.translated };
    }
    return { text: `${label('source', 'convention', lang).text} ${entry.ref}`, translated: true };
  };

  /**
   * An ISCO-08 code in words, from `occupations` (code → { fr, ar }: the matching service's table,
   * which has Arabic for every code). A code the table lacks is named after its closest broader
   * group, with its digits after it: never by the digits alone.
   */
  const occupation = (code, lang, occupations) => {
    const key = String(code);
    for (let digits = key.length; digits > 0; digits -= 1) {
      const names = occupations && occupations[key.slice(0, digits)];
      if (!names) continue;
      const text = names[lang] || names.fr;
      return digits === key.length
        ? { text, translated: Boolean(names[lang]) }
        : { text: `${text} (${key})`, translated: false };
    }
    return { text: `${lang === 'ar' ? 'مهنة' : 'Profession'} ${key}`, translated: false };
  };

  /** `grant/approved` → "Aides à l'insertion durable — Approuvé". */
  const fileDecision = (key, lang) => {
    const [kind, outcome] = String(key).split('/');
    const k = label('fileKind', kind, lang);
    const o = label('outcome', outcome, lang);
    return { text: `${k.text} — ${o.text}`, translated: k.translated && o.translated };
  };

  return {
    DIMENSIONS,
    MEASURES_AR,
    PROVINCES_AR,
    label,
    ordered,
    province,
    region,
    line,
    reference,
    fileDecision,
    occupation,
  };
});
