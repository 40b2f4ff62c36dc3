export * from './conventions-by-region/conventions-by-region.module';
export * from './migrations';
export * from './service';
