import { describe, expect, it } from 'vitest';
import { run, runMessages } from '../testing/fixtures';
import { unreachableRulesAnalyzer } from './unreachable-rules';

describe('unreachable rules (IST0130, IST0131)', () => {
  it('reports duplicate and covered matches, rules after a catch-all, and rules all of whose matches are taken', () => {
    expect(run(unreachableRulesAnalyzer, 'unreachable-rules.bad.yaml')).toEqual([
      'Warning [IST0130] (VirtualService default/mongo) VirtualService rule #1 not used (all matches used by prior rules).',
      'Warning [IST0130] (VirtualService default/reviews) VirtualService rule "dup" not used (all matches used by prior rules).',
      'Warning [IST0130] (VirtualService default/reviews) VirtualService rule #3 not used (all matches used by prior rules).',
      'Warning [IST0130] (VirtualService default/reviews) VirtualService rule #5 not used (only the last rule can have no matches).',
      'Warning [IST0130] (VirtualService default/reviews) VirtualService rule #6 not used (route without matches defined before).',
      'Info [IST0131] (VirtualService default/mongo) VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0).',
      'Info [IST0131] (VirtualService default/reviews) VirtualService rule "dup" match "again" is not used (duplicate/overlapping match in rule #0).',
      'Info [IST0131] (VirtualService default/reviews) VirtualService rule #3 match #0 of prefix /api/v1 is not used (duplicate/overlapping match in rule #0 of prefix /api on #2).',
      'Info [IST0131] (VirtualService default/reviews) VirtualService rule #3 match #1 of exact /api/health is not used (duplicate/overlapping match in rule #0 of prefix /api on #2).',
    ]);
  });

  it('points at the rule or the match', () => {
    const paths = runMessages(unreachableRulesAnalyzer, 'unreachable-rules.bad.yaml').map((m) => `${m.code} ${m.path}`);
    expect(paths).toContain('IST0130 spec.tcp[1]');
    expect(paths).toContain('IST0131 spec.http[3].match[1]');
  });

  it('accepts specific-before-general rules and matches that differ in port, method, headers, regex or source', () => {
    expect(run(unreachableRulesAnalyzer, 'unreachable-rules.good.yaml')).toEqual([]);
  });
});
