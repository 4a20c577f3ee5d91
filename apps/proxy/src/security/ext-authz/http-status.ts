/**
 * envoy.type.v3.StatusCode by name (protobufjs JSON renders enums by name): HttpStatus values in
 * ext_authz's status_on_error and in CheckResponse denied_response.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/type/v3/http_status.proto
 */
const CODES: Record<string, number> = {
  Empty: 0, Continue: 100, OK: 200, Created: 201, Accepted: 202, NonAuthoritativeInformation: 203, NoContent: 204, ResetContent: 205,
  PartialContent: 206, MultiStatus: 207, AlreadyReported: 208, IMUsed: 226, MultipleChoices: 300, MovedPermanently: 301, Found: 302,
  SeeOther: 303, NotModified: 304, UseProxy: 305, TemporaryRedirect: 307, PermanentRedirect: 308, BadRequest: 400, Unauthorized: 401,
  PaymentRequired: 402, Forbidden: 403, NotFound: 404, MethodNotAllowed: 405, NotAcceptable: 406, ProxyAuthenticationRequired: 407,
  RequestTimeout: 408, Conflict: 409, Gone: 410, LengthRequired: 411, PreconditionFailed: 412, PayloadTooLarge: 413, URITooLong: 414,
  UnsupportedMediaType: 415, RangeNotSatisfiable: 416, ExpectationFailed: 417, MisdirectedRequest: 421, UnprocessableEntity: 422,
  Locked: 423, FailedDependency: 424, UpgradeRequired: 426, PreconditionRequired: 428, TooManyRequests: 429, RequestHeaderFieldsTooLarge: 431,
  InternalServerError: 500, NotImplemented: 501, BadGateway: 502, ServiceUnavailable: 503, GatewayTimeout: 504, HTTPVersionNotSupported: 505,
  VariantAlsoNegotiates: 506, InsufficientStorage: 507, LoopDetected: 508, NotExtended: 510, NetworkAuthenticationRequired: 511,
};

/** A StatusCode given by name or number; undefined for an unknown name or a number out of range. */
export function statusCode(code: unknown): number | undefined {
  if (typeof code === 'number') return Number.isInteger(code) && (code === 0 || (code >= 100 && code < 600)) ? code : undefined;
  if (typeof code === 'string') return CODES[code] ?? (/^\d+$/.test(code) ? statusCode(Number(code)) : undefined);
  return undefined;
}
