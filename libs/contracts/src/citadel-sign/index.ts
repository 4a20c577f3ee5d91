// Citadel's NATS surface. One folder holds it for now: sign (this folder's subject), the token and
// rotate commands, and the trust bundle KV; split into one folder per subject when they grow.
export * from './sign';
export * from './token';
export * from './rotate';
export * from './trust-bucket';
