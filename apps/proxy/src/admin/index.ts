export * from './config-dump';
export * from './clusters-view';
export * from './admin-server';
