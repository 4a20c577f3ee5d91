import { describe, expect, it } from 'vitest';
import type { HttpConnectionManager } from './http-connection-manager';
import { TypeUrl } from './type-urls';
import { toAny } from './wkt';

describe('toAny', () => {
  it('adds @type to a typed body without changing it', () => {
    const hcm: HttpConnectionManager = { statPrefix: 'outbound_0.0.0.0_8080', httpFilters: [] };
    const any = toAny(TypeUrl.HttpConnectionManager, hcm);
    expect(any).toEqual({ '@type': TypeUrl.HttpConnectionManager, statPrefix: 'outbound_0.0.0.0_8080', httpFilters: [] });
    expect(hcm).not.toHaveProperty('@type');
  });
});
