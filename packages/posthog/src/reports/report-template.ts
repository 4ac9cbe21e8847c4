import type { ResolvedRange } from './report-range.ts';

/** The placeholders of a file name or an email subject: `{id}`, `{date}`, `{time}`, `{from}`, `{to}`, `{ext}`. */
export const TEMPLATE_PLACEHOLDERS = ['id', 'date', 'time', 'from', 'to', 'ext'] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The placeholders in `template` that are not known, so a typo is a configuration error, not a file name. */
export function unknownPlaceholders(template: string): string[] {
  const known: readonly string[] = TEMPLATE_PLACEHOLDERS;
  return [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[1] ?? '')
    .filter((name) => !known.includes(name));
}

/** What a run fills a template with. */
export interface TemplateValues {
  id: string;
  now: Date;
  range: ResolvedRange | undefined;
  ext: string;
}

/**
 * `template` with its placeholders filled: `{date}` the run's date and `{time}` its time (`HHmmss`), both UTC;
 * `{from}` and `{to}` the range's dates (empty without a range); `{id}` the report's id, `{ext}` the format's
 * extension.
 */
export function fillTemplate(template: string, values: TemplateValues): string {
  const iso = values.now.toISOString();
  const filled: Record<string, string> = {
    id: values.id,
    date: iso.slice(0, 10),
    time: iso.slice(11, 19).replaceAll(':', ''),
    from: values.range?.from.slice(0, 10) ?? '',
    to: values.range?.to.slice(0, 10) ?? '',
    ext: values.ext,
  };
  return template.replace(PLACEHOLDER, (whole, name: string) => filled[name] ?? whole);
}
