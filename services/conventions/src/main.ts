import 'reflect-metadata';
import { runMain } from '@tashghil/service-kit';
import { conventionsService } from './service';

runMain(conventionsService);
