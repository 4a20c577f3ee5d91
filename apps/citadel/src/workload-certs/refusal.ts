/** Why Citadel refuses a request; each maps to one gRPC status (see ca-grpc-server). */
export type RefusalCode = 'unauthenticated' | 'permission-denied' | 'invalid-argument' | 'failed-precondition';

/** A request Citadel refuses, with a message safe to return to the caller (never a token or key). */
export class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}
