import { z } from 'zod';
import { destinationSchema, percentSchema } from '../../common/messages/destination';
import { base64, duration, int32, stringList, stringMap, uint32 } from '../../common/messages/primitives';
import { stringMatchSchema } from '../../common/messages/string-match';
import { isPlainObject } from '../../core/json-values';
import type { ShapeOf } from '../../core/schema-shape';
import type {
  CorsPolicy,
  Delegate,
  FaultAbort,
  FaultDelay,
  HeaderOperations,
  Headers,
  HTTPBody,
  HTTPDirectResponse,
  HTTPFaultInjection,
  HTTPMatchRequest,
  HTTPMirrorPolicy,
  HTTPRedirect,
  HTTPRetry,
  HTTPRewrite,
  HTTPRoute,
  HTTPRouteDestination,
  L4MatchAttributes,
  RegexRewrite,
  RouteDestination,
  TCPRoute,
  TLSMatchAttributes,
  TLSRoute,
  VirtualServiceSpec,
} from './types';

const stringMatchMap = z.record(z.string(), stringMatchSchema);

const headerOperationsSchema: z.ZodType<HeaderOperations> = z.strictObject({
  set: stringMap.optional(),
  add: stringMap.optional(),
  remove: stringList.optional(),
} satisfies ShapeOf<HeaderOperations>);

const headersSchema: z.ZodType<Headers> = z.strictObject({
  request: headerOperationsSchema.optional(),
  response: headerOperationsSchema.optional(),
} satisfies ShapeOf<Headers>);

const matchRequestSchema: z.ZodType<HTTPMatchRequest> = z.strictObject({
  name: z.string().optional(),
  uri: stringMatchSchema.optional(),
  scheme: stringMatchSchema.optional(),
  method: stringMatchSchema.optional(),
  authority: stringMatchSchema.optional(),
  headers: stringMatchMap.optional(),
  port: uint32.optional(),
  sourceLabels: stringMap.optional(),
  gateways: stringList.optional(),
  queryParams: stringMatchMap.optional(),
  ignoreUriCase: z.boolean().optional(),
  withoutHeaders: stringMatchMap.optional(),
  sourceNamespace: z.string().optional(),
  statPrefix: z.string().optional(),
} satisfies ShapeOf<HTTPMatchRequest>);

const httpRouteDestinationSchema: z.ZodType<HTTPRouteDestination> = z.strictObject({
  destination: destinationSchema,
  weight: int32.optional(),
  headers: headersSchema.optional(),
} satisfies ShapeOf<HTTPRouteDestination>);

const routeDestinationSchema: z.ZodType<RouteDestination> = z.strictObject({
  destination: destinationSchema,
  weight: int32.optional(),
} satisfies ShapeOf<RouteDestination>);

const redirectSchema: z.ZodType<HTTPRedirect> = z
  .strictObject({
    uri: z.string().optional(),
    authority: z.string().optional(),
    port: uint32.optional(),
    derivePort: z.enum(['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT']).optional(),
    scheme: z.string().optional(),
    redirectCode: uint32.optional(),
  } satisfies ShapeOf<HTTPRedirect>)
  .refine((r) => r.port === undefined || r.derivePort === undefined, { message: 'only one of port or derivePort may be set' });

const bodySchema: z.ZodType<HTTPBody> = z
  .strictObject({ string: z.string().optional(), bytes: base64.optional() } satisfies ShapeOf<HTTPBody>)
  .refine((b) => b.string === undefined || b.bytes === undefined, { message: 'only one of string or bytes may be set' });

const directResponseSchema: z.ZodType<HTTPDirectResponse> = z.strictObject({
  status: uint32,
  body: bodySchema.optional(),
} satisfies ShapeOf<HTTPDirectResponse>);

const delegateSchema: z.ZodType<Delegate> = z.strictObject({
  name: z.string().optional(),
  namespace: z.string().optional(),
} satisfies ShapeOf<Delegate>);

const regexRewriteSchema: z.ZodType<RegexRewrite> = z.strictObject({
  match: z.string().optional(),
  rewrite: z.string().optional(),
} satisfies ShapeOf<RegexRewrite>);

const rewriteSchema: z.ZodType<HTTPRewrite> = z.strictObject({
  uri: z.string().optional(),
  authority: z.string().optional(),
  uriRegexRewrite: regexRewriteSchema.optional(),
} satisfies ShapeOf<HTTPRewrite>);

const retrySchema: z.ZodType<HTTPRetry> = z.strictObject({
  attempts: int32.optional(),
  perTryTimeout: duration.optional(),
  retryOn: z.string().optional(),
  retryRemoteLocalities: z.boolean().optional(),
  retryIgnorePreviousHosts: z.boolean().optional(),
  backoff: duration.optional(),
} satisfies ShapeOf<HTTPRetry>);

const corsSchema: z.ZodType<CorsPolicy> = z.strictObject({
  allowOrigin: stringList.optional(),
  allowOrigins: z.array(stringMatchSchema).optional(),
  allowMethods: stringList.optional(),
  allowHeaders: stringList.optional(),
  exposeHeaders: stringList.optional(),
  maxAge: duration.optional(),
  allowCredentials: z.boolean().optional(),
  unmatchedPreflights: z.enum(['UNSPECIFIED', 'FORWARD', 'IGNORE']).optional(),
} satisfies ShapeOf<CorsPolicy>);

const delaySchema: z.ZodType<FaultDelay> = z
  .strictObject({
    fixedDelay: duration.optional(),
    exponentialDelay: duration.optional(),
    percent: int32.optional(),
    percentage: percentSchema.optional(),
  } satisfies ShapeOf<FaultDelay>)
  .refine((x) => x.fixedDelay === undefined || x.exponentialDelay === undefined, { message: 'only one of fixedDelay or exponentialDelay may be set' });

const abortSchema: z.ZodType<FaultAbort> = z
  .strictObject({
    httpStatus: int32.optional(),
    grpcStatus: z.string().optional(),
    http2Error: z.string().optional(),
    percent: int32.optional(),
    percentage: percentSchema.optional(),
  } satisfies ShapeOf<FaultAbort>)
  .refine((a) => [a.httpStatus, a.grpcStatus, a.http2Error].filter((v) => v !== undefined).length <= 1, {
    message: 'only one of httpStatus, grpcStatus or http2Error may be set',
  });

const faultSchema: z.ZodType<HTTPFaultInjection> = z.strictObject({
  delay: delaySchema.optional(),
  abort: abortSchema.optional(),
} satisfies ShapeOf<HTTPFaultInjection>);

const mirrorPolicySchema: z.ZodType<HTTPMirrorPolicy> = z.strictObject({
  destination: destinationSchema,
  percentage: percentSchema.optional(),
} satisfies ShapeOf<HTTPMirrorPolicy>);

/** Istio's CRD also accepts the proto name `mirror_percent`; it is read as `mirrorPercent`. */
function aliasMirrorPercent(v: unknown): unknown {
  if (!isPlainObject(v) || !('mirror_percent' in v) || 'mirrorPercent' in v) return v;
  const { mirror_percent: mirrorPercent, ...rest } = v;
  return { ...rest, mirrorPercent };
}

const httpRouteSchema: z.ZodType<HTTPRoute> = z.preprocess(
  aliasMirrorPercent,
  z.strictObject({
    name: z.string().optional(),
    match: z.array(matchRequestSchema).optional(),
    route: z.array(httpRouteDestinationSchema).optional(),
    redirect: redirectSchema.optional(),
    directResponse: directResponseSchema.optional(),
    delegate: delegateSchema.optional(),
    rewrite: rewriteSchema.optional(),
    timeout: duration.optional(),
    retries: retrySchema.optional(),
    fault: faultSchema.optional(),
    mirror: destinationSchema.optional(),
    mirrors: z.array(mirrorPolicySchema).optional(),
    mirrorPercent: uint32.optional(),
    mirrorPercentage: percentSchema.optional(),
    corsPolicy: corsSchema.optional(),
    headers: headersSchema.optional(),
  } satisfies ShapeOf<HTTPRoute>),
);

const l4MatchSchema: z.ZodType<L4MatchAttributes> = z.strictObject({
  destinationSubnets: stringList.optional(),
  port: uint32.optional(),
  sourceSubnet: z.string().optional(),
  sourceLabels: stringMap.optional(),
  gateways: stringList.optional(),
  sourceNamespace: z.string().optional(),
} satisfies ShapeOf<L4MatchAttributes>);

const tlsMatchSchema: z.ZodType<TLSMatchAttributes> = z.strictObject({
  sniHosts: stringList,
  destinationSubnets: stringList.optional(),
  port: uint32.optional(),
  sourceLabels: stringMap.optional(),
  gateways: stringList.optional(),
  sourceNamespace: z.string().optional(),
} satisfies ShapeOf<TLSMatchAttributes>);

const tlsRouteSchema: z.ZodType<TLSRoute> = z.strictObject({
  match: z.array(tlsMatchSchema),
  route: z.array(routeDestinationSchema).optional(),
} satisfies ShapeOf<TLSRoute>);

const tcpRouteSchema: z.ZodType<TCPRoute> = z.strictObject({
  match: z.array(l4MatchSchema).optional(),
  route: z.array(routeDestinationSchema).optional(),
} satisfies ShapeOf<TCPRoute>);

export const virtualServiceSpecSchema: z.ZodType<VirtualServiceSpec> = z.strictObject({
  hosts: stringList.optional(),
  gateways: stringList.optional(),
  http: z.array(httpRouteSchema).optional(),
  tls: z.array(tlsRouteSchema).optional(),
  tcp: z.array(tcpRouteSchema).optional(),
  exportTo: stringList.optional(),
} satisfies ShapeOf<VirtualServiceSpec>);
