// A recursive-descent parser for the part of HogQL the emulator runs. Precedence and node shapes follow PostHog's
// grammar (`posthog/hogql/grammar/HogQLParser.g4`, columnExpr alternatives from tightest to loosest: postfix access,
// unary minus, * / %, + - ||, comparisons, IS [NOT] NULL, [NOT] BETWEEN, NOT, AND, OR, `? :`, alias) and its
// parse-tree conversion (`posthog/hogql/parser.py`): `x IS NULL` is a comparison with NULL, `CASE` becomes
// if/multiIf/transform, `INTERVAL 7 DAY` becomes toIntervalDay(7), unary minus is `0 - x`.
// Joins, subqueries, CTEs, set operations, lambdas and window functions are real HogQL the emulator does not run:
// they are refused here with a 400 that says so, not misread.
import {
  type CompareOp,
  type ConstantValue,
  EMULATOR_LIMIT,
  type Expr,
  mapExpr,
  type OrderExpr,
  queryError,
  type SelectQuery,
  type Span,
  syntaxError,
  type TableRef,
} from './hogql-ast.ts';
import { type Token, tokenize } from './hogql-lexer.ts';

// Words that end an expression or a select item, so they can never be read as a field or an implicit alias.
const RESERVED = new Set([
  'ALL',
  'AND',
  'ANTI',
  'ANY',
  'ARRAY',
  'AS',
  'ASC',
  'ASCENDING',
  'ASOF',
  'BETWEEN',
  'BY',
  'CASE',
  'CROSS',
  'DESC',
  'DESCENDING',
  'DISTINCT',
  'ELSE',
  'END',
  'EXCEPT',
  'FINAL',
  'FORMAT',
  'FROM',
  'FULL',
  'GLOBAL',
  'GROUP',
  'HAVING',
  'ILIKE',
  'IN',
  'INNER',
  'INTERSECT',
  'INTERVAL',
  'INTO',
  'IS',
  'JOIN',
  'LEFT',
  'LIKE',
  'LIMIT',
  'NOT',
  'NULLS',
  'OFFSET',
  'ON',
  'OR',
  'ORDER',
  'OUTER',
  'OVER',
  'PREWHERE',
  'QUALIFY',
  'RIGHT',
  'SAMPLE',
  'SELECT',
  'SEMI',
  'SETTINGS',
  'THEN',
  'UNION',
  'USING',
  'WHEN',
  'WHERE',
  'WINDOW',
  'WITH',
]);

// posthog/hogql/constants.py RESERVED_KEYWORDS: keywords you can't alias to.
const RESERVED_ALIASES = new Set(['true', 'false', 'null', 'team_id']);

const INTERVAL_UNITS: Record<string, string> = {
  SECOND: 'toIntervalSecond',
  MINUTE: 'toIntervalMinute',
  HOUR: 'toIntervalHour',
  DAY: 'toIntervalDay',
  WEEK: 'toIntervalWeek',
  MONTH: 'toIntervalMonth',
  QUARTER: 'toIntervalQuarter',
  YEAR: 'toIntervalYear',
};

const SYMBOL_COMPARE: Record<string, CompareOp> = {
  '=': 'eq',
  '==': 'eq',
  '!=': 'notEq',
  '<>': 'notEq',
  '<': 'lt',
  '<=': 'ltEq',
  '>': 'gt',
  '>=': 'gtEq',
  '=~': 'regex',
  '~': 'regex',
  '!~': 'notRegex',
  '=~*': 'iregex',
  '~*': 'iregex',
  '!~*': 'notIRegex',
};

interface State {
  tokens: Token[];
  pos: number;
  depth: number;
}

/**
 * The deepest expression nesting parsed. PostHog's parser has its own limits; the emulator stops here so a hostile
 * query costs a 400 at once, not a stack overflow.
 */
export const MAX_EXPRESSION_DEPTH = 200;

function nested<T>(s: State, at: Token, parse: () => T): T {
  if (++s.depth > MAX_EXPRESSION_DEPTH) {
    throw syntaxError(`Expression nested too deeply (more than ${MAX_EXPRESSION_DEPTH} levels)`, span(at));
  }
  try {
    return parse();
  } finally {
    s.depth--;
  }
}

const peek = (s: State, ahead = 0): Token => s.tokens[Math.min(s.pos + ahead, s.tokens.length - 1)]!;
const next = (s: State): Token => {
  const token = peek(s);
  if (token.kind !== 'eof') s.pos++;
  return token;
};
const span = (token: Token): Span => ({ start: token.start, end: token.end });
const isOp = (token: Token, op: string): boolean => token.kind === 'op' && token.text === op;
const isKeyword = (token: Token, word: string): boolean =>
  token.kind === 'identifier' && token.text.toUpperCase() === word;

function acceptOp(s: State, op: string): boolean {
  if (!isOp(peek(s), op)) return false;
  s.pos++;
  return true;
}

function acceptKeyword(s: State, word: string): boolean {
  if (!isKeyword(peek(s), word)) return false;
  s.pos++;
  return true;
}

const shown = (token: Token): string => (token.kind === 'string' ? `'${token.text}'` : token.text);

function mismatched(token: Token, expecting: string): never {
  throw syntaxError(`mismatched input '${shown(token)}' expecting ${expecting}`, span(token));
}

function expectOp(s: State, op: string): Token {
  const token = peek(s);
  if (!isOp(token, op)) mismatched(token, `'${op}'`);
  s.pos++;
  return token;
}

function expectKeyword(s: State, word: string): Token {
  const token = peek(s);
  if (!isKeyword(token, word)) mismatched(token, word);
  s.pos++;
  return token;
}

const unsupported = (what: string, token: Token): never => {
  throw queryError(`${what} are not supported. ${EMULATOR_LIMIT}.`, span(token));
};

function checkAlias(alias: string, token: Token): string {
  if (RESERVED_ALIASES.has(alias.toLowerCase())) {
    throw queryError(`"${alias}" cannot be an alias or identifier, as it's a reserved keyword`, span(token));
  }
  if (alias.includes('%')) {
    throw queryError(
      `The HogQL identifier "${alias}" is not permitted as it contains the "%" character`,
      span(token),
    );
  }
  return alias;
}

function parseAliasName(s: State): string {
  const token = next(s);
  if (token.kind === 'identifier' || token.kind === 'quotedIdentifier' || token.kind === 'string') {
    return checkAlias(token.text, token);
  }
  return mismatched(token, 'identifier');
}

/** `expr [AS alias]…`: the loosest level of PostHog's columnExpr. */
function parseExpr(s: State): Expr {
  return nested(s, peek(s), () => parseAliased(s));
}

function parseAliased(s: State): Expr {
  let expr = parseTernary(s);
  while (isKeyword(peek(s), 'AS')) {
    s.pos++;
    const alias = parseAliasName(s);
    expr = { kind: 'alias', alias, expr, start: expr.start, end: peek(s).start };
  }
  return expr;
}

function parseTernary(s: State): Expr {
  const condition = parseOr(s);
  if (!acceptOp(s, '?')) return condition;
  const then = parseTernary(s);
  expectOp(s, ':');
  const otherwise = parseTernary(s);
  return call('if', [condition, then, otherwise], condition.start);
}

const call = (name: string, args: Expr[], start?: number): Expr => ({
  kind: 'call',
  name,
  args,
  distinct: false,
  params: null,
  start,
});

function parseOr(s: State): Expr {
  const first = parseAnd(s);
  const exprs = [first];
  while (acceptKeyword(s, 'OR')) exprs.push(parseAnd(s));
  return exprs.length === 1 ? first : { kind: 'or', exprs, start: first.start };
}

function parseAnd(s: State): Expr {
  const first = parseNot(s);
  const exprs = [first];
  while (acceptKeyword(s, 'AND')) exprs.push(parseNot(s));
  return exprs.length === 1 ? first : { kind: 'and', exprs, start: first.start };
}

function parseNot(s: State): Expr {
  const token = peek(s);
  if (isKeyword(token, 'NOT')) {
    s.pos++;
    return { kind: 'not', expr: nested(s, token, () => parseNot(s)), start: token.start };
  }
  return parseBetween(s);
}

function parseBetween(s: State): Expr {
  const expr = parseIsNull(s);
  const negated = isKeyword(peek(s), 'NOT') && isKeyword(peek(s, 1), 'BETWEEN');
  if (!negated && !isKeyword(peek(s), 'BETWEEN')) return expr;
  s.pos += negated ? 2 : 1;
  const low = parseIsNull(s);
  expectKeyword(s, 'AND');
  const high = parseIsNull(s);
  return { kind: 'between', expr, low, high, negated, start: expr.start };
}

function parseIsNull(s: State): Expr {
  let expr = parseComparison(s);
  while (isKeyword(peek(s), 'IS')) {
    s.pos++;
    const negated = acceptKeyword(s, 'NOT');
    expectKeyword(s, 'NULL');
    expr = {
      kind: 'compare',
      op: negated ? 'notEq' : 'eq',
      left: expr,
      right: { kind: 'constant', value: null },
      start: expr.start,
    };
  }
  return expr;
}

function compareOperator(s: State): CompareOp | null {
  const token = peek(s);
  if (token.kind === 'op') {
    if (token.text === '<=>')
      return unsupported('The <=> operator and similar ClickHouse-only operators', token);
    const op = SYMBOL_COMPARE[token.text];
    if (op !== undefined) s.pos++;
    return op ?? null;
  }
  if (token.kind !== 'identifier') return null;
  const word = token.text.toUpperCase();
  let negated = false;
  let at = 0;
  if (word === 'NOT') {
    const following = peek(s, 1);
    if (
      !['LIKE', 'ILIKE', 'IN'].includes(following.kind === 'identifier' ? following.text.toUpperCase() : '')
    ) {
      return null;
    }
    negated = true;
    at = 1;
  } else if (word === 'GLOBAL') {
    return unsupported('GLOBAL IN subqueries', token);
  }
  const operator = peek(s, at).text.toUpperCase();
  if (operator !== 'LIKE' && operator !== 'ILIKE' && operator !== 'IN') return null;
  s.pos += at + 1;
  if (operator === 'IN' && isKeyword(peek(s), 'COHORT')) return unsupported('Cohorts (IN COHORT)', peek(s));
  if (operator === 'LIKE') return negated ? 'notLike' : 'like';
  if (operator === 'ILIKE') return negated ? 'notILike' : 'ilike';
  return negated ? 'notIn' : 'in';
}

function parseComparison(s: State): Expr {
  let left = parseAdditive(s);
  for (;;) {
    const op = compareOperator(s);
    if (op === null) return left;
    const right = parseAdditive(s);
    left = { kind: 'compare', op, left, right, start: left.start };
  }
}

function parseAdditive(s: State): Expr {
  let left = parseMultiplicative(s);
  // `a || b || c` is one concat(a, b, c), as posthog/hogql/parser.py builds it.
  let concatArgs: Expr[] | null = null;
  for (;;) {
    const token = peek(s);
    if (isOp(token, '||')) {
      s.pos++;
      concatArgs = [...(concatArgs ?? [left]), parseMultiplicative(s)];
      left = { ...call('concat', concatArgs), start: concatArgs[0]!.start };
      continue;
    }
    concatArgs = null;
    if (!isOp(token, '+') && !isOp(token, '-')) return left;
    s.pos++;
    const right = parseMultiplicative(s);
    left = { kind: 'arithmetic', op: token.text === '+' ? 'plus' : 'minus', left, right, start: left.start };
  }
}

function parseMultiplicative(s: State): Expr {
  let left = parseUnary(s);
  for (;;) {
    const token = peek(s);
    const op = isOp(token, '*')
      ? 'multiply'
      : isOp(token, '/')
        ? 'divide'
        : isOp(token, '%')
          ? 'modulo'
          : null;
    if (op === null) return left;
    s.pos++;
    const right = parseUnary(s);
    left = { kind: 'arithmetic', op, left, right, start: left.start };
  }
}

function parseUnary(s: State): Expr {
  const token = peek(s);
  if (isOp(token, '-')) {
    s.pos++;
    const operand = nested(s, token, () => parseUnary(s));
    if (operand.kind === 'constant' && typeof operand.value === 'number') {
      return { kind: 'constant', value: -operand.value, start: token.start };
    }
    return {
      kind: 'arithmetic',
      op: 'minus',
      left: { kind: 'constant', value: 0 },
      right: operand,
      start: token.start,
    };
  }
  if (isOp(token, '+')) {
    s.pos++;
    return nested(s, token, () => parseUnary(s));
  }
  return parsePostfix(s);
}

function parsePostfix(s: State): Expr {
  let expr = parsePrimary(s);
  for (;;) {
    const token = peek(s);
    if (isOp(token, '.')) {
      s.pos++;
      const part = next(s);
      let key: string | number;
      if (part.kind === 'identifier' || part.kind === 'quotedIdentifier') key = part.text;
      else if (part.kind === 'number' && Number.isInteger(part.value)) key = part.value!;
      else if (isOp(part, '*') && expr.kind === 'field') return { kind: 'asterisk', start: expr.start };
      else return mismatched(part, 'identifier');
      if (key === 0) throw queryError('SQL indexes start from one, not from zero. E.g: array.1', span(part));
      if (expr.kind === 'field') expr = { ...expr, chain: [...expr.chain, key], end: part.end };
      else
        expr = {
          kind: 'arrayAccess',
          array: expr,
          index: { kind: 'constant', value: key },
          start: expr.start,
        };
      if (isOp(peek(s), '(')) {
        throw syntaxError('You can only call simple functions in HogQL, not expressions', span(peek(s)));
      }
    } else if (isOp(token, '[')) {
      s.pos++;
      const index = parseExpr(s);
      const close = expectOp(s, ']');
      if (
        expr.kind === 'field' &&
        index.kind === 'constant' &&
        (typeof index.value === 'string' || typeof index.value === 'number')
      ) {
        if (index.value === 0) {
          throw queryError('SQL indexes start from one, not from zero. E.g: array.1', span(close));
        }
        expr = { ...expr, chain: [...expr.chain, index.value], end: close.end };
      } else {
        expr = { kind: 'arrayAccess', array: expr, index, start: expr.start };
      }
    } else if (isOp(token, '::')) {
      return unsupported('Type casts with ::', token);
    } else {
      return expr;
    }
  }
}

function parseExprList(s: State, close: string): Expr[] {
  const exprs: Expr[] = [];
  if (isOp(peek(s), close)) return exprs;
  for (;;) {
    exprs.push(parseExpr(s));
    if (!acceptOp(s, ',')) return exprs;
    if (isOp(peek(s), close)) return exprs; // a trailing comma, as the grammar allows
  }
}

function parseCall(s: State, name: Token): Expr {
  expectOp(s, '(');
  let distinct = false;
  let args: Expr[];
  if (acceptKeyword(s, 'DISTINCT')) {
    distinct = true;
    args = parseExprList(s, ')');
  } else if (isOp(peek(s), '*') && isOp(peek(s, 1), ')')) {
    args = [{ kind: 'asterisk', ...span(next(s)) }];
  } else {
    args = parseExprList(s, ')');
  }
  const close = expectOp(s, ')');
  let params: Expr[] | null = null;
  if (isOp(peek(s), '(')) {
    // quantile(0.5)(x): the first list holds the parameters.
    s.pos++;
    params = args;
    args = parseExprList(s, ')');
    expectOp(s, ')');
  }
  if (isKeyword(peek(s), 'OVER')) return unsupported('Window functions (OVER)', peek(s));
  if (isOp(peek(s), '->')) return unsupported('Lambda functions', peek(s));
  return { kind: 'call', name: name.text, args, distinct, params, start: name.start, end: close.end };
}

function parseCase(s: State, caseToken: Token): Expr {
  const subject = isKeyword(peek(s), 'WHEN') ? null : parseExpr(s);
  const whens: Expr[] = [];
  const thens: Expr[] = [];
  while (acceptKeyword(s, 'WHEN')) {
    whens.push(parseExpr(s));
    expectKeyword(s, 'THEN');
    thens.push(parseExpr(s));
  }
  if (whens.length === 0) mismatched(peek(s), 'WHEN');
  const otherwise: Expr = acceptKeyword(s, 'ELSE') ? parseExpr(s) : { kind: 'constant', value: null };
  const end = expectKeyword(s, 'END');
  const at = { start: caseToken.start, end: end.end };
  if (subject !== null) {
    return {
      ...call('transform', [
        subject,
        { kind: 'array', exprs: whens },
        { kind: 'array', exprs: thens },
        otherwise,
      ]),
      ...at,
    };
  }
  if (whens.length === 1) return { ...call('if', [whens[0]!, thens[0]!, otherwise]), ...at };
  return { ...call('multiIf', [...whens.flatMap((w, i) => [w, thens[i]!]), otherwise]), ...at };
}

function parseInterval(s: State, intervalToken: Token): Expr {
  const amount = parseUnary(s);
  const unit = next(s);
  const fn = unit.kind === 'identifier' ? INTERVAL_UNITS[unit.text.toUpperCase()] : undefined;
  if (fn === undefined) return mismatched(unit, 'SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER or YEAR');
  return { ...call(fn, [amount]), start: intervalToken.start, end: unit.end };
}

function parsePrimary(s: State): Expr {
  const token = next(s);
  switch (token.kind) {
    case 'number':
      return { kind: 'constant', value: token.value!, ...span(token) };
    case 'string':
      return { kind: 'constant', value: token.text, ...span(token) };
    case 'quotedIdentifier':
      return { kind: 'field', chain: [token.text], ...span(token) };
    case 'eof':
      return mismatched(token, 'an expression');
    case 'op':
      return parseOpPrimary(s, token);
    default:
      return parseWordPrimary(s, token);
  }
}

function parseOpPrimary(s: State, token: Token): Expr {
  if (token.text === '(') {
    if (isKeyword(peek(s), 'SELECT') || isKeyword(peek(s), 'WITH')) return unsupported('Subqueries', peek(s));
    const exprs = parseExprList(s, ')');
    const close = expectOp(s, ')');
    if (isOp(peek(s), '->')) return unsupported('Lambda functions', peek(s));
    if (exprs.length === 1 && !isOp(s.tokens[s.pos - 2]!, ',')) return exprs[0]!;
    return { kind: 'tuple', exprs, start: token.start, end: close.end };
  }
  if (token.text === '[') {
    const exprs = parseExprList(s, ']');
    const close = expectOp(s, ']');
    return { kind: 'array', exprs, start: token.start, end: close.end };
  }
  if (token.text === '{') {
    const parts: string[] = [];
    do {
      const part = next(s);
      if (part.kind !== 'identifier' && part.kind !== 'quotedIdentifier') {
        throw queryError('Placeholder expressions are not yet supported', span(part));
      }
      parts.push(part.text);
    } while (acceptOp(s, '.'));
    const close = peek(s);
    if (!isOp(close, '}')) throw queryError('Placeholder expressions are not yet supported', span(close));
    s.pos++;
    return { kind: 'placeholder', name: parts.join('.'), start: token.start, end: close.end };
  }
  if (token.text === '*') return { kind: 'asterisk', ...span(token) };
  throw syntaxError(`no viable alternative at input '${token.text}'`, span(token));
}

function parseWordPrimary(s: State, token: Token): Expr {
  const word = token.text.toUpperCase();
  if (word === 'NULL') return { kind: 'constant', value: null, ...span(token) };
  if (word === 'TRUE' || word === 'FALSE')
    return { kind: 'constant', value: word === 'TRUE', ...span(token) };
  if (word === 'CASE') return parseCase(s, token);
  if (word === 'INTERVAL') return parseInterval(s, token);
  if (word === 'NOT') return { kind: 'not', expr: parseNot(s), start: token.start };
  if (isOp(peek(s), '(')) return parseCall(s, token);
  if (isOp(peek(s), '->')) return unsupported('Lambda functions', peek(s));
  if (RESERVED.has(word)) throw syntaxError(`no viable alternative at input '${token.text}'`, span(token));
  return { kind: 'field', chain: [token.text], ...span(token) };
}

function parseOrderList(s: State): OrderExpr[] {
  const items: OrderExpr[] = [];
  do {
    const expr = parseExpr(s);
    let order: 'ASC' | 'DESC' = 'ASC';
    if (acceptKeyword(s, 'DESC') || acceptKeyword(s, 'DESCENDING')) order = 'DESC';
    else if (!acceptKeyword(s, 'ASC')) acceptKeyword(s, 'ASCENDING');
    let nulls: 'FIRST' | 'LAST' | null = null;
    if (acceptKeyword(s, 'NULLS')) {
      if (acceptKeyword(s, 'FIRST')) nulls = 'FIRST';
      else if (acceptKeyword(s, 'LAST')) nulls = 'LAST';
      else mismatched(peek(s), 'FIRST or LAST');
    }
    if (isKeyword(peek(s), 'COLLATE')) unsupported('COLLATE clauses', peek(s));
    if (isKeyword(peek(s), 'WITH') && isKeyword(peek(s, 1), 'FILL'))
      unsupported('WITH FILL clauses', peek(s));
    items.push({ expr, order, nulls });
  } while (acceptOp(s, ','));
  return items;
}

function isImplicitAlias(token: Token): boolean {
  if (token.kind === 'quotedIdentifier') return true;
  return token.kind === 'identifier' && !RESERVED.has(token.text.toUpperCase());
}

function parseSelectItem(s: State): Expr {
  let expr = parseExpr(s);
  const token = peek(s);
  if (expr.kind !== 'alias' && isImplicitAlias(token)) {
    s.pos++;
    expr = { kind: 'alias', alias: checkAlias(token.text, token), expr, start: expr.start, end: token.end };
  }
  return expr;
}

const JOIN_WORDS = new Set([
  'JOIN',
  'LEFT',
  'RIGHT',
  'INNER',
  'FULL',
  'CROSS',
  'ANY',
  'ALL',
  'ASOF',
  'SEMI',
  'ANTI',
]);

function parseFrom(s: State): TableRef {
  const token = peek(s);
  if (isOp(token, '(')) return unsupported('Subqueries in FROM', token);
  if (isOp(token, '{')) return unsupported('Placeholders as tables', token);
  const parts: string[] = [];
  do {
    const part = next(s);
    if (part.kind !== 'identifier' && part.kind !== 'quotedIdentifier')
      return mismatched(part, 'a table name');
    parts.push(part.text);
  } while (acceptOp(s, '.'));
  if (isOp(peek(s), '(')) return unsupported('Table functions', peek(s));
  let alias: string | null = null;
  if (acceptKeyword(s, 'AS')) alias = parseAliasName(s);
  else if (isImplicitAlias(peek(s))) alias = checkAlias(next(s).text, s.tokens[s.pos - 1]!);
  if (isKeyword(peek(s), 'FINAL')) unsupported('FINAL', peek(s));
  if (isKeyword(peek(s), 'SAMPLE')) unsupported('SAMPLE clauses', peek(s));
  const after = peek(s);
  if (isOp(after, ',') || (after.kind === 'identifier' && JOIN_WORDS.has(after.text.toUpperCase()))) {
    unsupported('Joins', after);
  }
  if (isKeyword(after, 'ARRAY') || isKeyword(after, 'GLOBAL'))
    unsupported('Joins (including ARRAY JOIN)', after);
  return { table: parts.join('.'), alias, start: token.start };
}

function parseLimit(s: State, query: SelectQuery): void {
  let limit = parseExpr(s);
  if (acceptOp(s, ',')) {
    // LIMIT offset, count
    query.offset = limit;
    limit = parseExpr(s);
  }
  query.limit = limit;
  if (isKeyword(peek(s), 'BY')) unsupported('LIMIT BY clauses', peek(s));
  if (isKeyword(peek(s), 'WITH') && isKeyword(peek(s, 1), 'TIES')) unsupported('LIMIT … WITH TIES', peek(s));
  if (acceptKeyword(s, 'OFFSET')) query.offset = parseExpr(s);
}

function parseSelectStatement(s: State): SelectQuery {
  expectKeyword(s, 'SELECT');
  const query: SelectQuery = {
    kind: 'select',
    distinct: acceptKeyword(s, 'DISTINCT'),
    select: [],
    from: null,
    where: null,
    groupBy: null,
    having: null,
    orderBy: null,
    limit: null,
    offset: null,
  };
  if (isKeyword(peek(s), 'TOP')) unsupported('SELECT TOP', peek(s));
  do query.select.push(parseSelectItem(s));
  while (acceptOp(s, ','));
  if (acceptKeyword(s, 'FROM')) query.from = parseFrom(s);
  let prewhere: Expr | null = null;
  if (acceptKeyword(s, 'PREWHERE')) prewhere = parseExpr(s);
  if (acceptKeyword(s, 'WHERE')) query.where = parseExpr(s);
  if (prewhere !== null) {
    query.where = query.where === null ? prewhere : { kind: 'and', exprs: [prewhere, query.where] };
  }
  if (acceptKeyword(s, 'GROUP')) {
    expectKeyword(s, 'BY');
    query.groupBy = parseExprList(s, '');
    if (isKeyword(peek(s), 'WITH')) unsupported('GROUP BY … WITH ROLLUP/CUBE/TOTALS', peek(s));
  }
  if (acceptKeyword(s, 'HAVING')) query.having = parseExpr(s);
  if (isKeyword(peek(s), 'WINDOW')) unsupported('Window functions (WINDOW)', peek(s));
  if (isKeyword(peek(s), 'QUALIFY')) unsupported('QUALIFY clauses', peek(s));
  if (acceptKeyword(s, 'ORDER')) {
    expectKeyword(s, 'BY');
    query.orderBy = parseOrderList(s);
  }
  if (acceptKeyword(s, 'LIMIT')) parseLimit(s, query);
  else if (acceptKeyword(s, 'OFFSET')) query.offset = parseExpr(s);
  if (isKeyword(peek(s), 'SETTINGS')) unsupported('SETTINGS clauses', peek(s));
  return query;
}

/**
 * Parses one HogQL `SELECT`. Throws a `HogQLError`: a syntax error for text that is not HogQL, a query error for
 * HogQL the emulator does not run (joins, subqueries, CTEs, UNION, lambdas, window functions, …).
 */
export function parseHogQLSelect(text: string): SelectQuery {
  const s: State = { tokens: tokenize(text), pos: 0, depth: 0 };
  const first = peek(s);
  if (first.kind === 'eof') throw syntaxError('Empty query', span(first));
  if (isKeyword(first, 'WITH')) unsupported('CTEs (WITH … AS)', first);
  if (isOp(first, '(')) unsupported('Parenthesised or nested SELECTs', first);
  if (!isKeyword(first, 'SELECT')) mismatched(first, "{SELECT, WITH, '('}");
  const query = parseSelectStatement(s);
  const after = peek(s);
  for (const word of ['UNION', 'EXCEPT', 'INTERSECT']) {
    if (isKeyword(after, word)) unsupported(`Set operations (${word})`, after);
  }
  acceptOp(s, ';');
  if (peek(s).kind !== 'eof') mismatched(peek(s), '<EOF>');
  return query;
}

/** Parses one HogQL expression (an EventsQuery `select` or `where` entry, a HogQL property filter's key). */
export function parseHogQLExpr(text: string): Expr {
  const s: State = { tokens: tokenize(text), pos: 0, depth: 0 };
  if (peek(s).kind === 'eof') throw syntaxError('Empty query', span(peek(s)));
  const expr = parseExpr(s);
  if (peek(s).kind !== 'eof') mismatched(peek(s), '<EOF>');
  return expr;
}

/** Parses one `ORDER BY` item (`timestamp DESC`), as `parse_order_expr` does for EventsQuery's `orderBy`. */
export function parseHogQLOrderExpr(text: string): OrderExpr {
  const s: State = { tokens: tokenize(text), pos: 0, depth: 0 };
  if (peek(s).kind === 'eof') throw syntaxError('Empty query', span(peek(s)));
  const [item] = parseOrderList(s);
  if (peek(s).kind !== 'eof') mismatched(peek(s), '<EOF>');
  return item!;
}

/** Placeholder values as PostHog binds them: each becomes a constant node, never spliced into the text. */
export function constantFromValue(value: unknown, name: string): ConstantValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw queryError(`Placeholder {${name}} holds a number that is not finite`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => constantFromValue(item, name));
  throw queryError(
    `Placeholder {${name}} holds a value of an unsupported type (an object): use a string, a number, a boolean, null or a list`,
  );
}

/**
 * Replaces every `{name}` in the query by `lookup(name)`, as `posthog/hogql/placeholders.py` `ReplacePlaceholders`
 * does. The replacement is a node of the tree, so a value can never change the query's structure.
 */
export function replacePlaceholders(
  query: SelectQuery,
  lookup: (name: string, at: Span) => Expr,
): SelectQuery {
  const replace = (expr: Expr): Expr =>
    mapExpr(expr, (node) =>
      node.kind === 'placeholder' ? { ...lookup(node.name, node), start: node.start, end: node.end } : node,
    );
  const maybe = (expr: Expr | null) => (expr === null ? null : replace(expr));
  return {
    ...query,
    select: query.select.map(replace),
    where: maybe(query.where),
    groupBy: query.groupBy?.map(replace) ?? null,
    having: maybe(query.having),
    orderBy: query.orderBy?.map((item) => ({ ...item, expr: replace(item.expr) })) ?? null,
    limit: maybe(query.limit),
    offset: maybe(query.offset),
  };
}

/** Placeholders of the query, in order of appearance. */
export function findPlaceholders(query: SelectQuery): string[] {
  const found: string[] = [];
  const visit = (expr: Expr | null) => {
    if (expr === null) return;
    mapExpr(expr, (node) => {
      if (node.kind === 'placeholder' && !found.includes(node.name)) found.push(node.name);
      return node;
    });
  };
  for (const expr of query.select) visit(expr);
  visit(query.where);
  for (const expr of query.groupBy ?? []) visit(expr);
  visit(query.having);
  for (const item of query.orderBy ?? []) visit(item.expr);
  visit(query.limit);
  visit(query.offset);
  return found;
}
