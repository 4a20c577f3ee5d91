import { describe, expect, it } from 'vitest';
import { forwardableHeaders } from './headers';

describe('forwardableHeaders', () => {
  it('drops hop-by-hop headers, pseudo-headers and undefined values; numbers become strings', () => {
    expect(forwardableHeaders({ ':path': '/', host: 'a', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', 'content-length': 3, 'x-u': undefined, 'x-a': ['1', '2'] })).toEqual({
      host: 'a',
      'content-length': '3',
      'x-a': ['1', '2'],
    });
  });

  it('drops the headers Connection names, one or several, in any case', () => {
    expect(forwardableHeaders({ connection: 'X-Hop', 'x-hop': '1', 'x-keep': '2' })).toEqual({ 'x-keep': '2' });
    expect(forwardableHeaders({ connection: 'keep-alive, X-Hop ,x-other', 'x-hop': '1', 'x-other': '1', 'x-keep': '2' })).toEqual({ 'x-keep': '2' });
  });

  it('keeps te only as trailers', () => {
    expect(forwardableHeaders({ te: 'gzip, trailers' })).toEqual({ te: 'trailers' });
    expect(forwardableHeaders({ te: 'gzip' })).toEqual({});
  });
});
