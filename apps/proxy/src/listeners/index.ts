export * from './active-listener';
export * from './listener-manager';
