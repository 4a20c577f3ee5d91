import type { HTTPMatchRequest, VirtualService } from '@mizzen/config-api';
import type { Analyzer } from '../analyzer';
import { refOf } from '../context/names';
import type { Message, ResourceRef } from '../message';
import { msg } from '../message-types';
import { canonical, matchCovers } from './match-cover';

interface RuleLike {
  name?: string;
  match?: readonly object[];
}

type Section = 'http' | 'tcp' | 'tls';

/**
 * Istio's unreachable-rule analysis (`analyzeUnreachable{HTTP,TCP,TLS}Rules`, reported by istioctl
 * as IST0130/IST0131): a rule after a rule without matches is never used; a match equal to an
 * earlier one (ignoring its `name`) is ineffective, and so is an HTTP match an earlier prefix match
 * covers (see `matchCovers`); a rule all of whose matches earlier rules take is never used.
 */
export const unreachableRulesAnalyzer: Analyzer = {
  name: 'virtualservice.UnreachableRulesAnalyzer',
  description: 'Checks for VirtualService rules and matches that earlier ones make unreachable',
  codes: ['IST0130', 'IST0131'],
  analyze: (ctx) =>
    ctx.virtualServices.flatMap((vs) => [...analyzeSection(vs, 'http', vs.spec.http), ...analyzeSection(vs, 'tcp', vs.spec.tcp), ...analyzeSection(vs, 'tls', vs.spec.tls)]),
};

/** Istio's `routeName`: an HTTP rule's quoted name, else `#<index>` (TCP and TLS rules have no names). */
const ruleName = (rule: RuleLike, i: number): string => (rule.name ? JSON.stringify(rule.name) : `#${i}`);
const matchName = (m: object, j: number): string => {
  const name = (m as { name?: unknown }).name;
  return typeof name === 'string' && name ? JSON.stringify(name) : `#${j}`;
};

function analyzeSection(vs: VirtualService, section: Section, rules: readonly RuleLike[] | undefined): Message[] {
  const r = refOf(vs);
  const out: Message[] = [];
  const seen = new Map<string, number>();
  const earlier: Array<{ rule: number; match: number }> = [];
  let catchAll = -1;
  const list = rules ?? [];
  list.forEach((rule, i) => {
    const at = `spec.${section}[${i}]`;
    const matches = rule.match ?? [];
    if (matches.length === 0) {
      if (catchAll >= 0) out.push(msg.virtualServiceUnreachableRule(r, ruleName(rule, i), 'only the last rule can have no matches', at));
      catchAll = i;
      return;
    }
    if (catchAll >= 0) {
      out.push(msg.virtualServiceUnreachableRule(r, ruleName(rule, i), 'route without matches defined before', at));
      return;
    }
    let taken = 0;
    matches.forEach((m, j) => {
      const key = canonical(withoutName(m));
      const dup = seen.get(key);
      if (dup !== undefined) {
        out.push(msg.virtualServiceIneffectiveMatch(r, ruleName(rule, i), matchName(m, j), ruleName(list[dup], dup), `${at}.match[${j}]`));
        if (dup < i) taken++;
        return;
      }
      seen.set(key, i);
      if (section === 'http') {
        const cover = coveringMatch(list as readonly { match?: HTTPMatchRequest[] }[], earlier, m as HTTPMatchRequest);
        if (cover) {
          out.push(overlapMessage(r, list, cover, { rule: i, match: j }, `${at}.match[${j}]`));
          if (cover.rule < i) taken++;
        }
        earlier.push({ rule: i, match: j });
      }
    });
    if (taken === matches.length) out.push(msg.virtualServiceUnreachableRule(r, ruleName(rule, i), 'all matches used by prior rules', at));
  });
  return out;
}

function coveringMatch(rules: readonly { match?: HTTPMatchRequest[] }[], earlier: readonly { rule: number; match: number }[], m: HTTPMatchRequest) {
  return earlier.find((e) => {
    const prior = rules[e.rule].match?.[e.match];
    return prior !== undefined && matchCovers(prior, m);
  });
}

/** Istio's wording for an overlapping prefix: `#1 of prefix /api/v1` ... `#0 of prefix /api on "api"`. */
function overlapMessage(r: ResourceRef, rules: readonly RuleLike[], cover: { rule: number; match: number }, at: { rule: number; match: number }, path: string): Message {
  const describe = (p: { rule: number; match: number }): string => {
    const m = rules[p.rule].match?.[p.match] as HTTPMatchRequest;
    const uri = m.uri?.prefix !== undefined ? `prefix ${m.uri.prefix}` : `exact ${m.uri?.exact ?? ''}`;
    return `${matchName(m, p.match)} of ${uri}`;
  };
  return msg.virtualServiceIneffectiveMatch(r, ruleName(rules[at.rule], at.rule), describe(at), `${describe(cover)} on ${ruleName(rules[cover.rule], cover.rule)}`, path);
}

function withoutName(m: object): object {
  const { name: _name, ...rest } = m as Record<string, unknown>;
  return rest;
}
