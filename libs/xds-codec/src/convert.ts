/**
 * Walkers between Mizzen's plain object form of Envoy messages and protobufjs: to-wire.ts
 * (strict encode preparation) and from-wire.ts (decode post-processing), over reflect.ts.
 */
export { encodeMessage, toWire } from './to-wire';
export { anyFromWire, decodeMessage, fromWire, TO_OBJECT_OPTIONS } from './from-wire';
export { readAny, XdsCodecError } from './reflect';
