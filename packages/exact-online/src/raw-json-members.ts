// Exact signs a webhook's `Content` as the exact text it sent, not as a re-serialisation of it (picqer's
// Webhook/Authenticatable.php cuts it out of the body with a regular expression). This reads the members of a JSON
// object text with each value's raw text, so the signature is checked over the bytes as sent, whatever spacing or
// key order the sender used. Duplicate keys are refused: JSON.parse keeps the last one, a scanner could keep the
// first, and the checked text and the read value must be one.

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * The top-level members of a JSON object text, each value as its raw text exactly as sent; undefined when the text
 * is not one well-formed JSON object or repeats a key.
 * @example rawJsonMembers('{"Content":{"Key":"…"},"HashCode":"AB"}')?.get('Content') // '{"Key":"…"}'
 */
export function rawJsonMembers(text: string): Map<string, string> | undefined {
  try {
    // Well-formed JSON first: the scanner below then only has to find boundaries, not judge syntax.
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  } catch {
    return undefined;
  }
  const members = new Map<string, string>();
  let i = skip(text, 0);
  if (text[i] !== '{') return undefined;
  i = skip(text, i + 1);
  if (text[i] === '}') return skip(text, i + 1) === text.length ? members : undefined;
  for (;;) {
    if (text[i] !== '"') return undefined;
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    if (members.has(key)) return undefined;
    i = skip(text, keyEnd);
    if (text[i] !== ':') return undefined;
    const start = skip(text, i + 1);
    const end = valueEnd(text, start);
    members.set(key, text.slice(start, end));
    i = skip(text, end);
    if (text[i] === ',') {
      i = skip(text, i + 1);
      continue;
    }
    if (text[i] !== '}') return undefined;
    return skip(text, i + 1) === text.length ? members : undefined;
  }
}

function skip(text: string, from: number): number {
  let i = from;
  while (i < text.length && WHITESPACE.has(text[i] as string)) i++;
  return i;
}

// The index after the string starting at `from` (a `"`).
function stringEnd(text: string, from: number): number {
  let i = from + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '\\') i += 2;
    else if (char === '"') return i + 1;
    else i++;
  }
  return text.length;
}

// The index after the value starting at `from`.
function valueEnd(text: string, from: number): number {
  const first = text[from];
  if (first === '"') return stringEnd(text, from);
  if (first === '{' || first === '[') {
    let depth = 0;
    let i = from;
    while (i < text.length) {
      const char = text[i];
      if (char === '"') {
        i = stringEnd(text, i);
        continue;
      }
      if (char === '{' || char === '[') depth++;
      else if (char === '}' || char === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return text.length;
  }
  let i = from;
  while (i < text.length && !WHITESPACE.has(text[i] as string) && text[i] !== ',' && text[i] !== '}') i++;
  return i;
}
