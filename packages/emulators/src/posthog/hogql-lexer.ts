// Tokens of HogQL text, as PostHog's grammar reads them (`posthog/hogql/grammar/HogQLLexer.g4` and the C++ parser
// built from it): identifiers may hold `$` (`properties.$browser`), backticks and double quotes quote identifiers,
// single quotes delimit strings (backslash escapes and doubled quotes), `--` and `/* */` are comments.
import { syntaxError } from './hogql-ast.ts';

/** A token's kind. */
export type TokenKind = 'identifier' | 'quotedIdentifier' | 'string' | 'number' | 'op' | 'eof';

/** One token: `text` is the identifier, the unescaped string, the operator or the number's source. */
export interface Token {
  kind: TokenKind;
  text: string;
  /** For numbers: the value. */
  value?: number;
  start: number;
  end: number;
}

// Longest first, so `<=` is not read as `<` then `=`.
const OPERATORS = [
  '=~*',
  '!~*',
  '<=>',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '=~',
  '!~',
  '~*',
  '||',
  '->',
  '::',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ';',
  '*',
  '/',
  '%',
  '+',
  '-',
  '=',
  '<',
  '>',
  '~',
  '?',
  ':',
];

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;

// HogQL's string-literal escapes (`posthog/hogql/parse_string.py`): \b \f \r \n \t \0 \a \v \\ \' \" \` and \xHH.
const ESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  r: '\r',
  n: '\n',
  t: '\t',
  '0': '\0',
  a: '\x07',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
};

function readQuoted(text: string, start: number, quote: string): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) break;
      if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
        value += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 4), 16));
        i += 4;
        continue;
      }
      value += ESCAPES[next] ?? next;
      i += 2;
      continue;
    }
    if (c === quote) {
      // A doubled quote stands for itself.
      if (text[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
    i++;
  }
  throw syntaxError(`token recognition error at: '${text.slice(start, Math.min(start + 20, text.length))}'`, {
    start,
    end: text.length,
  });
}

function readNumber(text: string, start: number): Token {
  let i = start;
  if (text.startsWith('0x', i) || text.startsWith('0X', i)) {
    i += 2;
    while (i < text.length && /[0-9a-fA-F]/.test(text[i]!)) i++;
    const source = text.slice(start, i);
    return { kind: 'number', text: source, value: Number.parseInt(source.slice(2), 16), start, end: i };
  }
  while (i < text.length && DIGIT.test(text[i]!)) i++;
  if (text[i] === '.' && DIGIT.test(text[i + 1] ?? '')) {
    i++;
    while (i < text.length && DIGIT.test(text[i]!)) i++;
  }
  if ((text[i] === 'e' || text[i] === 'E') && /[0-9+-]/.test(text[i + 1] ?? '')) {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    if (DIGIT.test(text[j] ?? '')) {
      i = j;
      while (i < text.length && DIGIT.test(text[i]!)) i++;
    }
  }
  const source = text.slice(start, i);
  return { kind: 'number', text: source, value: Number(source), start, end: i };
}

/** The tokens of `text`, ending with one `eof` token. Throws a syntax `HogQLError` on an unclosed quote or a stray character. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
      continue;
    }
    if (c === "'") {
      const { value, end } = readQuoted(text, i, "'");
      tokens.push({ kind: 'string', text: value, start: i, end });
      i = end;
      continue;
    }
    if (c === '`' || c === '"') {
      const { value, end } = readQuoted(text, i, c);
      tokens.push({ kind: 'quotedIdentifier', text: value, start: i, end });
      i = end;
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(text[i + 1] ?? '') && !isChainDot(tokens))) {
      const token = readNumber(text, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT_PART.test(text[j]!)) j++;
      tokens.push({ kind: 'identifier', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (op === undefined) {
      throw syntaxError(`token recognition error at: '${c}'`, { start: i, end: i + 1 });
    }
    tokens.push({ kind: 'op', text: op, start: i, end: i + op.length });
    i += op.length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: text.length, end: text.length });
  return tokens;
}

// `properties.0` is a chain, not the float `.0`: a dot right after an identifier, a `)` or a `]` is a chain dot.
function isChainDot(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  if (last === undefined) return false;
  return (
    last.kind === 'identifier' || last.kind === 'quotedIdentifier' || last.text === ')' || last.text === ']'
  );
}
