import type { CommitteeReport } from '../../report/report.types';
import type { RegionNames } from './labels.js';

/** The dashboard's HTML for one report in one language. */
export declare const renderReport: (report: CommitteeReport, lang: string, regions: RegionNames) => string;
