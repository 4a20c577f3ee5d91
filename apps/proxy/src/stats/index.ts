export * from './stats';
export * from './prometheus';
export * from './snapshot';
