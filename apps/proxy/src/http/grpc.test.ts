import { describe, expect, it } from 'vitest';
import { encodeGrpcMessage, grpcLocalReplyHeaders, httpToGrpcStatus, isGrpcRequest } from './grpc';

describe('gRPC local replies', () => {
  it.each([
    [400, 13],
    [401, 16],
    [403, 7],
    [404, 12],
    [429, 14],
    [502, 14],
    [503, 14],
    [504, 14],
    [500, 2],
    [418, 2],
  ])('HTTP %i -> gRPC %i (http-grpc-status-mapping.md)', (http, grpc) => {
    expect(httpToGrpcStatus(http)).toBe(grpc);
  });

  it('recognises gRPC content types only', () => {
    expect(isGrpcRequest({ 'content-type': 'application/grpc' })).toBe(true);
    expect(isGrpcRequest({ 'content-type': 'application/grpc+proto' })).toBe(true);
    expect(isGrpcRequest({ 'content-type': 'application/grpc; charset=utf-8' })).toBe(true);
    expect(isGrpcRequest({ 'content-type': 'application/grpc-web' })).toBe(false);
    expect(isGrpcRequest({ 'content-type': 'application/json' })).toBe(false);
    expect(isGrpcRequest({})).toBe(false);
  });

  it('percent-encodes grpc-message', () => {
    expect(encodeGrpcMessage('no healthy upstream')).toBe('no healthy upstream');
    expect(encodeGrpcMessage('100% ünïcode\n')).toBe('100%25 %C3%BCn%C3%AFcode%0A');
  });

  it('an explicit gRPC status wins over the mapped one; an empty text sends no message', () => {
    expect(grpcLocalReplyHeaders(200, 'fault filter abort', 7)).toEqual({ 'content-type': 'application/grpc', 'grpc-status': '7', 'grpc-message': 'fault filter abort' });
    expect(grpcLocalReplyHeaders(404, '')).toEqual({ 'content-type': 'application/grpc', 'grpc-status': '12' });
  });
});
