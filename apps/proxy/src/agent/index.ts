export * from './options';
export * from './node';
export * from './agent';
export * from './cli';
