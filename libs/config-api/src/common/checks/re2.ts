/**
 * RE2 syntax check, approximated with JavaScript's RegExp. Istio compiles match regexes with Go's
 * `regexp` (RE2 syntax) and Envoy runs them with RE2: https://github.com/google/re2/wiki/Syntax.
 * The pattern is translated to JS syntax (leading `(?i)` flags, `(?P<name>`, `\A`, `\z`, `\Q...\E`,
 * `\pL`) and compiled; constructs RE2 lacks (lookarounds, backreferences) are rejected up front.
 */
export function checkRE2(pattern: string): string | undefined {
  if (pattern.length > 1024) return 'regex is too large, max length allowed is 1024';
  const translated = translate(pattern);
  if ('error' in translated) return translated.error;
  try {
    new RegExp(translated.source, translated.flags);
    return undefined;
  } catch (e) {
    return `invalid regex ${JSON.stringify(pattern)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

interface Translation {
  source: string;
  flags: string;
}

const SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

function translate(re: string): Translation | { error: string } {
  let out = '';
  const flags = new Set<string>();
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const ch = re[i];
    if (ch === '\\') {
      const next = re[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return { error: 'backreferences (\\1) are not supported by RE2' };
      if (next === 'k' && re[i + 2] === '<') return { error: 'named backreferences (\\k<name>) are not supported by RE2' };
      if (next === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        const literal = re.slice(i + 2, end < 0 ? re.length : end);
        out += literal.replace(SPECIAL, '\\$&');
        i = end < 0 ? re.length : end + 1;
        continue;
      }
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'z') out += '$';
      else if ((next === 'p' || next === 'P') && re[i + 2] !== '{') {
        out += `\\${next}{${re[i + 2] ?? ''}}`;
        flags.add('u');
        i++;
      } else {
        if (next === 'p' || next === 'P') flags.add('u');
        out += ch + next;
      }
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      if (re[i + 1] === '^') out += re[++i];
      if (re[i + 1] === ']') out += `\\${re[++i]}`;
      continue;
    }
    if (ch === '{') {
      const rep = /^\{(\d+)(?:,(\d*))?\}/.exec(re.slice(i));
      if (rep && (Number(rep[1]) > 1000 || (rep[2] !== undefined && rep[2] !== '' && Number(rep[2]) > 1000))) {
        return { error: `bad repetition operator ${rep[0]}: RE2 allows at most 1000 repetitions` };
      }
    }
    if (ch === '(' && re[i + 1] === '?') {
      const group = translateGroup(re.slice(i), flags);
      if ('error' in group) return group;
      out += group.text;
      i += group.consumed - 1;
      continue;
    }
    out += ch;
  }
  return { source: out, flags: [...flags].filter((f) => 'imsu'.includes(f)).join('') };
}

function translateGroup(rest: string, flags: Set<string>): { text: string; consumed: number } | { error: string } {
  if (/^\(\?<?[=!]/.test(rest)) return { error: 'lookaround assertions ((?=, (?!, (?<=, (?<!) are not supported by RE2' };
  const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
  if (named) return { text: `(?<${named[1]}>`, consumed: named[0].length };
  if (rest.startsWith('(?:')) return { text: '(?:', consumed: 3 };
  // Flag groups: `(?i)` applies from here on, `(?i:re)` to a sub-expression. JS (Node 20) has no
  // inline modifiers, so the flags are applied to the whole pattern: good enough for a syntax check.
  const flagGroup = /^\(\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
  if (flagGroup && (flagGroup[1] || flagGroup[2])) {
    for (const f of flagGroup[1]) flags.add(f);
    return { text: flagGroup[3] === ':' ? '(?:' : '', consumed: flagGroup[0].length };
  }
  return { error: `invalid or unsupported Perl syntax ${JSON.stringify(rest.slice(0, 4))}` };
}
