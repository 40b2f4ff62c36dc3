import 'reflect-metadata';
import { runMain } from '@tashghil/service-kit';
import { platformService } from './service';

runMain(platformService);
