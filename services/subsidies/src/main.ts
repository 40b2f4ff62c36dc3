import 'reflect-metadata';
import { runMain } from '@tashghil/service-kit';
import { subsidiesService } from './service';

runMain(subsidiesService);
