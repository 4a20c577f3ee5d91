export * from './matchers';
export * from './routes';
export * from './clusters';
export * from './listeners';
export * from './tls';
export * from './security';
