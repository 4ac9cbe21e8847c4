// Every value on the status page comes from somewhere an attacker may reach: integration names from config, error
// messages from remote APIs, job data from webhooks. Each is escaped for text and quoted attributes alike.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes a value for HTML text or a double- or single-quoted attribute. Non-strings are turned into text first
 * (`null`/`undefined` become empty); lone surrogates and control characters other than tab and newline are dropped.
 * @example `<td>${escapeHtml(error.message)}</td>`
 */
export function escapeHtml(value: unknown): string {
  let text: string;
  try {
    text = value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value);
  } catch {
    text = '';
  }
  return text
    .toWellFormed()
    .replace(/(?![\t\n\r])\p{Cc}/gu, '')
    .replace(/[&<>"'`]/g, (character) => ENTITIES[character] ?? '');
}
