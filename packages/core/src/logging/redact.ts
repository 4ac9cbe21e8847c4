import { Secret } from '../secrets/secret.ts';

/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]';

// Names that carry credentials in headers, query strings and objects (api_token is a common query key).
const SENSITIVE_KEY =
  /(authori[sz]ation|api[-_]?key|apikey|api[-_]?token|access[-_]?token|refresh[-_]?token|id[-_]?token|client[-_]?secret|secret|password|passwd|cookie|signature|token|credential|private[-_]?key|session)/i;

/** True when a header, query or property name usually holds a credential. */
export const isSensitiveKey = (key: string): boolean => SENSITIVE_KEY.test(key);

/**
 * Deep copy of `value` with credential-looking keys, Secrets and the given known secret values replaced
 * by `[REDACTED]`. Safe on cycles, and on getters or Proxies that throw (what cannot be read is redacted).
 * @example logger.info('config', redact(config));
 */
export function redact<T>(value: T, options: { secrets?: readonly string[] } = {}): T {
  const secrets = stringsOf(options?.secrets);
  const seen = new WeakMap<object, unknown>();
  const walk = (input: unknown, key?: string): unknown => {
    if (key !== undefined && isSensitiveKey(key) && input !== null && input !== undefined) return REDACTED;
    if (input instanceof Secret) return REDACTED;
    if (typeof input === 'string') return scrubSecrets(input, secrets);
    if (typeof input !== 'object' || input === null) return input;
    if (seen.has(input)) return seen.get(input);
    if (input instanceof Headers) return redactHeaders(input, options);
    try {
      if (Array.isArray(input)) {
        const out: unknown[] = [];
        seen.set(input, out);
        for (const item of input) out.push(walk(item));
        return out;
      }
      if (input instanceof Date) return input;
      const out: Record<string, unknown> = {};
      seen.set(input, out);
      for (const key of Object.keys(input)) {
        let item: unknown;
        try {
          item = (input as Record<string, unknown>)[key];
        } catch {
          out[key] = REDACTED;
          continue;
        }
        out[key] = walk(item, key);
      }
      return out;
    } catch {
      // A Proxy whose traps throw: nothing of it can be shown safely.
      return REDACTED;
    }
  };
  return walk(value) as T;
}

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string' && item.length > 0)
    : [];

/** Headers as a plain object with credential headers redacted. */
export function redactHeaders(
  headers: Headers | Record<string, string>,
  options: { secrets?: readonly string[] } = {},
): Record<string, string> {
  const secrets = stringsOf(options?.secrets);
  let entries: [string, unknown][];
  try {
    entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers ?? {});
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    out[name] = isSensitiveKey(name) || typeof value !== 'string' ? REDACTED : scrubSecrets(value, secrets);
  }
  return out;
}

/**
 * A URL or path with credential-looking query values redacted, for logs.
 * @example redactUrl('https://x/api?api_token=abc&limit=5') // 'https://x/api?api_token=[REDACTED]&limit=5'
 */
export function redactUrl(url: string): string {
  // Not a URL at all: nothing of it is printed.
  if (typeof url !== 'string') return REDACTED;
  const q = url.indexOf('?');
  if (q === -1) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash === -1 ? undefined : hash);
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = decodeURIComponentSafe(eq === -1 ? pair : pair.slice(0, eq));
    return eq !== -1 && isSensitiveKey(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
  });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

/**
 * Replaces every occurrence of each known secret value in `text`, also in the forms a server echoes it in:
 * percent-encoded (a URL), form-encoded (a query) and JSON-escaped (a JSON string).
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  if (typeof text !== 'string') return REDACTED;
  return replaceForms(text, scrubbedForms(stringsOf(secrets)));
}

/**
 * The forms of `secrets` that {@link scrubSecrets} looks for, longest first, for a caller that scrubs many
 * texts with the same secrets (compute once, then `replaceForms`).
 */
export function scrubbedForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  // Short values would turn ordinary words into redactions; credentials are longer than this.
  for (const secret of secrets) for (const form of echoedForms(secret)) if (form.length >= 4) forms.add(form);
  // Longest first: a secret that contains a shorter one must not be left half-visible.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each of `forms` (as {@link scrubbedForms} returns them) in `text`. */
export function replaceForms(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

function echoedForms(secret: string): string[] {
  const forms = [secret];
  try {
    forms.push(encodeURIComponent(secret));
  } catch {
    // A lone surrogate cannot be percent-encoded, so it cannot appear that way either.
  }
  forms.push(new URLSearchParams([['', secret]]).toString().slice(1), JSON.stringify(secret).slice(1, -1));
  return forms;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
