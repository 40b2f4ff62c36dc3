import 'reflect-metadata';
import { runMain } from '@tashghil/service-kit';
import { matchingService } from './service';

runMain(matchingService);
