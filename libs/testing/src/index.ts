export * from './backends';
export * from './given-when-then';
