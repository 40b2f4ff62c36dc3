import 'reflect-metadata';
import { runMain } from '@tashghil/service-kit';
import { reportingService } from './service';

runMain(reportingService);
