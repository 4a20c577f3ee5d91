import { describe, expect, it } from 'vitest';
import { atLeast, countByLevel, formatMessage, formatResource, type Message, sortMessages } from './message';
import { documentationUrl, msg } from './message-types';

const vs = { kind: 'VirtualService', namespace: 'default', name: 'reviews' };

describe('messages', () => {
  it('print as istioctl does, with Go-style quoting and lists', () => {
    expect(formatMessage(msg.referencedResourceNotFound(vs, 'host', 'reviewz'))).toBe('Error [IST0101] (VirtualService default/reviews) Referenced host not found: "reviewz"');
    expect(formatMessage(msg.virtualServiceHostNotFoundInGateway(vs, ['a', 'b'], 'default/reviews', 'default/gw', 'spec.gateways[0]'))).toBe(
      'Warning [IST0132] (VirtualService default/reviews) one or more host [a b] defined in VirtualService default/reviews not found in Gateway default/gw.',
    );
    expect(formatResource({ kind: 'File', namespace: '', name: 'a.yaml' })).toBe('File a.yaml');
    expect(documentationUrl('IST0101')).toBe('https://istio.io/latest/docs/reference/config/analysis/ist0101/');
  });

  it('sort Error before Warning before Info, then by code and resource, without exact duplicates', () => {
    const info = msg.virtualServiceIneffectiveMatch(vs, '#1', '#0', '#0', 'spec.http[1].match[0]');
    const warnB = msg.unknownDestinationRuleHost({ kind: 'DestinationRule', namespace: 'default', name: 'b' }, 'b');
    const warnA = msg.unknownDestinationRuleHost({ kind: 'DestinationRule', namespace: 'default', name: 'a' }, 'a');
    const error = msg.referencedResourceNotFound(vs, 'host', 'x', 'spec.http[0].route[0].destination.host');
    const sorted: Message[] = sortMessages([info, warnB, error, warnA, error]);
    expect(sorted).toEqual([error, warnA, warnB, info]);
    expect(countByLevel(sorted)).toEqual({ Error: 1, Warning: 2, Info: 1 });
  });

  it('compare levels against thresholds', () => {
    expect(atLeast('Error', 'Warning')).toBe(true);
    expect(atLeast('Info', 'Warning')).toBe(false);
    expect(atLeast('Warning', 'Warning')).toBe(true);
  });
});
