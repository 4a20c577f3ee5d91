export * from './config-snapshot';
export * from './proxy-runtime';
export * from './xds-handlers';
export * from './readiness';
export * from './settled-gc';
