export * from './ipc-messages';
export * from './worker';
export * from './worker-pool';
export * from './xds-forwarding';
