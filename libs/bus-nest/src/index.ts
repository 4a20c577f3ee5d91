export * from './bus.constants';
export * from './bus.context';
export * from './bus.module';
export * from './bus.server';
export * from './contract-registry';
export * from './handler-error';
export * from './inject-bus.decorator';
export * from './nest-bus-logger';
