export { x509 } from './provider';
export * from './workload';
export * from './serial';
export * from './ca';
export * from './csr';
export * from './sign-csr';
