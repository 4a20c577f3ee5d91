/** Injection token for the shared {@link Bus} instance. */
export const BUS = Symbol('mizzen:bus');
