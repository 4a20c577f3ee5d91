export * from './result';
export * from './labels';
export * from './hostnames';
export * from './registry';
export * from './proxy-node';
