// A safe parser and evaluator for the subset of OData v2 `$filter` that Exact Online clients send (picqer's
// `filter("Account eq guid'…'")`, the Sync API's `Timestamp gt 123L`, dates as `datetime'2024-01-01T00:00:00'`):
// `eq ne gt ge lt le`, `and or not`, parentheses, `substringof('x', Field)`, `startswith(Field, 'x')`,
// `endswith(Field, 'x')`; literals: strings in single quotes with `''` for a quote, `guid'…'`, `datetime'…'`, integers
// (`123`, Int64 `123L`), decimals (`1.5`, `1.5M`), `true`, `false`, `null` (OData v2 URI conventions §4.5). No
// recursion depth beyond what the text's length allows (capped), no regexes built from input: anything else is a 400.
// String comparisons ignore case: Exact runs on SQL Server with its default case-insensitive collation (a guess from
// behaviour commonly reported, not a documented fact). A field the entity does not have is refused; the wording of
// that 400 is a guess.

import { badRequest } from './errors.ts';
import { parseExactDate } from './values.ts';

/** A literal in a filter. */
export type FilterLiteral =
  | { type: 'string' | 'guid'; value: string }
  | { type: 'datetime' | 'number'; value: number }
  | { type: 'int64'; value: bigint }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' };

/** A parsed filter. */
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'call'; name: 'substringof' | 'startswith' | 'endswith'; args: [Operand, Operand] }
  | { kind: 'operand'; operand: Operand };

type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type Operand = { kind: 'field'; name: string } | { kind: 'literal'; literal: FilterLiteral };

type Token = { t: 'ident'; v: string } | { t: 'literal'; v: FilterLiteral } | { t: '(' | ')' | ',' };

const MAX_FILTER_LENGTH = 8_000;
const MAX_DEPTH = 100;
const COMPARE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['substringof', 'startswith', 'endswith']);

const invalid = (detail: string) => badRequest(`Error parsing filter: ${detail}`);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: c });
      i++;
      continue;
    }
    if (c === "'") {
      const [value, end] = quoted(text, i);
      tokens.push({ t: 'literal', v: { type: 'string', value } });
      i = end;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?[LlMmDd]?/.exec(text.slice(i, i + 40));
    if (number && (c === '-' || /\d/.test(c))) {
      const raw = number[0];
      const suffix = raw.at(-1)!.toLowerCase();
      if (suffix === 'l') {
        if (raw.includes('.')) throw invalid(`bad Int64 literal ${raw}`);
        tokens.push({ t: 'literal', v: { type: 'int64', value: BigInt(raw.slice(0, -1)) } });
      } else {
        const digits = /[md]/.test(suffix) ? raw.slice(0, -1) : raw;
        tokens.push({ t: 'literal', v: { type: 'number', value: Number(digits) } });
      }
      i += raw.length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200));
    if (!word) throw invalid(`unexpected character at position ${i}`);
    const name = word[0];
    i += name.length;
    if ((name === 'guid' || name === 'datetime') && text[i] === "'") {
      const [value, end] = quoted(text, i);
      i = end;
      if (name === 'guid') {
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
          throw invalid(`bad guid literal`);
        }
        tokens.push({ t: 'literal', v: { type: 'guid', value: value.toLowerCase() } });
      } else {
        // Read as UTC: the stored `/Date(ms)/` values hold Dutch wall-clock time as UTC too, so both compare alike.
        const ms = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?$/.test(value)
          ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : `${value.slice(0, 23)}Z`)
          : Number.NaN;
        if (!Number.isFinite(ms)) throw invalid('bad datetime literal');
        tokens.push({ t: 'literal', v: { type: 'datetime', value: ms } });
      }
      continue;
    }
    if (name === 'true' || name === 'false')
      tokens.push({ t: 'literal', v: { type: 'boolean', value: name === 'true' } });
    else if (name === 'null') tokens.push({ t: 'literal', v: { type: 'null' } });
    else tokens.push({ t: 'ident', v: name });
  }
  return tokens;
}

// A quoted literal starting at `start` (the quote): its text with `''` read as one quote, and the index after it.
function quoted(text: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw invalid('unterminated string literal');
    const c = text[i]!;
    if (c === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    value += c;
    i++;
  }
}

/**
 * Parses a `$filter` value; throws an ExactError (400) for anything outside the subset, or for a field not in
 * `fields` (when given).
 * @example parseFilter("Timestamp gt 5L and Name eq 'O''Neil'", new Set(['Timestamp', 'Name']));
 */
export function parseFilter(text: string, fields?: ReadonlySet<string>): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) throw invalid('the filter is too long');
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (word: string) => {
    const token = peek();
    return token?.t === 'ident' && token.v.toLowerCase() === word;
  };
  const expect = (t: '(' | ')' | ',') => {
    if (peek()?.t !== t) throw invalid(`expected '${t}'`);
    pos++;
  };

  function orExpr(depth: number): FilterNode {
    if (depth > MAX_DEPTH) throw invalid('the filter nests too deeply');
    let left = andExpr(depth);
    while (isWord('or')) {
      pos++;
      left = { kind: 'or', left, right: andExpr(depth) };
    }
    return left;
  }
  function andExpr(depth: number): FilterNode {
    let left = unary(depth);
    while (isWord('and')) {
      pos++;
      left = { kind: 'and', left, right: unary(depth) };
    }
    return left;
  }
  function unary(depth: number): FilterNode {
    if (depth > MAX_DEPTH) throw invalid('the filter nests too deeply');
    if (isWord('not')) {
      pos++;
      return { kind: 'not', operand: unary(depth + 1) };
    }
    if (peek()?.t === '(') {
      pos++;
      const inner = orExpr(depth + 1);
      expect(')');
      return inner;
    }
    const left = operandOrCall();
    const op = peek();
    if (op?.t === 'ident' && COMPARE.has(op.v.toLowerCase())) {
      pos++;
      const right = operandOrCall();
      if (left.kind === 'call') {
        // `substringof('x', Name) eq true`, the OData v2 idiom: only against a boolean literal.
        const op2 = op.v.toLowerCase();
        if ((op2 !== 'eq' && op2 !== 'ne') || right.kind !== 'literal' || right.literal.type !== 'boolean') {
          throw invalid('a function result can only be compared with true or false');
        }
        return (op2 === 'eq') === right.literal.value ? left : { kind: 'not', operand: left };
      }
      if (right.kind === 'call') throw invalid('a function result cannot be compared');
      return { kind: 'compare', op: op.v.toLowerCase() as CompareOp, left, right };
    }
    if (left.kind === 'call') return left;
    return { kind: 'operand', operand: left as Operand };
  }
  function operandOrCall(): Operand | Extract<FilterNode, { kind: 'call' }> {
    const token = peek();
    if (!token) throw invalid('unexpected end of the filter');
    if (token.t === 'literal') {
      pos++;
      return { kind: 'literal', literal: token.v };
    }
    if (token.t !== 'ident') throw invalid(`unexpected '${token.t}'`);
    pos++;
    const lower = token.v.toLowerCase();
    if (FUNCTIONS.has(lower) && peek()?.t === '(') {
      pos++;
      const first = operandOrCall();
      expect(',');
      const second = operandOrCall();
      expect(')');
      if (first.kind === 'call' || second.kind === 'call')
        throw invalid('nested function calls are not supported');
      return { kind: 'call', name: lower as 'substringof', args: [first, second] };
    }
    if (COMPARE.has(lower) || lower === 'and' || lower === 'or' || lower === 'not') {
      throw invalid(`unexpected '${token.v}'`);
    }
    if (fields && !fields.has(token.v))
      throw badRequest(`Filtering on these fields is not supported: ${token.v}`);
    return { kind: 'field', name: token.v };
  }

  const node = orExpr(0);
  if (pos !== tokens.length) throw invalid(`unexpected token at ${pos}`);
  return node;
}

type Value = string | number | bigint | boolean | null;

function operandValue(operand: Operand, record: Record<string, unknown>, other: Operand): Value {
  if (operand.kind === 'literal') {
    const literal = operand.literal;
    return literal.type === 'null' ? null : literal.value;
  }
  const raw = record[operand.name];
  const hint = other.kind === 'literal' ? other.literal.type : undefined;
  if (raw === undefined || raw === null) return null;
  if (hint === 'datetime') return parseExactDate(raw) ?? null;
  if (hint === 'int64') {
    try {
      return BigInt(raw as string | number);
    } catch {
      return null;
    }
  }
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return null;
}

function compare(op: CompareOp, a: Value, b: Value): boolean {
  if (a === null || b === null) {
    if (op === 'eq') return a === b;
    if (op === 'ne') return a !== b;
    return false;
  }
  let x: string | number | bigint | boolean = a;
  let y: string | number | bigint | boolean = b;
  if (typeof x === 'string' && typeof y === 'string') {
    x = x.toLowerCase();
    y = y.toLowerCase();
  } else if (typeof x === 'bigint' || typeof y === 'bigint') {
    try {
      x = BigInt(x as never);
      y = BigInt(y as never);
    } catch {
      return op === 'ne';
    }
  } else if (typeof x !== typeof y) {
    return op === 'ne';
  }
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    case 'gt':
      return x > y;
    case 'ge':
      return x >= y;
    case 'lt':
      return x < y;
    case 'le':
      return x <= y;
  }
}

/** Whether `record` (wire values) passes the filter. */
export function matchesFilter(node: FilterNode, record: Record<string, unknown>): boolean {
  switch (node.kind) {
    case 'and':
      return matchesFilter(node.left, record) && matchesFilter(node.right, record);
    case 'or':
      return matchesFilter(node.left, record) || matchesFilter(node.right, record);
    case 'not':
      return !matchesFilter(node.operand, record);
    case 'compare':
      return compare(
        node.op,
        operandValue(node.left, record, node.right),
        operandValue(node.right, record, node.left),
      );
    case 'operand':
      return operandValue(node.operand, record, node.operand) === true;
    case 'call': {
      const [a, b] = node.args;
      const first = operandValue(a, record, b);
      const second = operandValue(b, record, a);
      if (typeof first !== 'string' || typeof second !== 'string') return false;
      const x = first.toLowerCase();
      const y = second.toLowerCase();
      if (node.name === 'substringof') return y.includes(x);
      return node.name === 'startswith' ? x.startsWith(y) : x.endsWith(y);
    }
  }
}
