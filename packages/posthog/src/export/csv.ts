// CSV per RFC 4180 (§2): fields separated by commas, records ended by CRLF, a field holding a comma, a double
// quote, CR or LF enclosed in double quotes with each double quote doubled. A cell is text: JSON values that are
// not already text are written as JSON (objects, arrays) or as their plain spelling (numbers, booleans).

/** How CSV cells are written. */
export interface CsvOptions {
  /**
   * Prefix text cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
   * CR, the OWASP "CSV Injection" list) with a single quote, so that opening the file runs nothing. Only text is
   * prefixed: a number such as `-5` stays a number.
   */
  escapeFormulas: boolean;
}

// OWASP Cheat Sheet "CSV Injection": cells must not begin with = + - @ TAB (0x09) or CR (0x0D).
const FORMULA_START = /^[=+\-@\t\r]/;
// RFC 4180 §2.6: fields containing line breaks, double quotes and commas are enclosed in double quotes.
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/**
 * The text of one cell: empty for null and undefined, ISO 8601 for a date, JSON for an object or an array, the
 * plain spelling of a number, boolean or bigint. Throws when an object cannot be written as JSON (a cycle).
 */
export function cellText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) return '';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
      return JSON.stringify(value) ?? '';
    default:
      // undefined, a function or a symbol: nothing a query answers; written as an empty cell.
      return '';
  }
}

/** One CSV field: the cell's text, formula-escaped when asked, quoted when RFC 4180 requires it. */
export function csvField(value: unknown, options: CsvOptions): string {
  let text = cellText(value);
  if (options.escapeFormulas && typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

/** One CSV record of `cells`, ended by CRLF. */
export function csvRecord(cells: readonly unknown[], options: CsvOptions): string {
  let line = '';
  for (let index = 0; index < cells.length; index++) {
    if (index > 0) line += ',';
    line += csvField(cells[index], options);
  }
  return `${line}\r\n`;
}
