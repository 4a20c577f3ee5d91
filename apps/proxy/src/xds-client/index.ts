export * from './backoff';
export * from './transport';
export * from './type-state';
export * from './ads-client';
