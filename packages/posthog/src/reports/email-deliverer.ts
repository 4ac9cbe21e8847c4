import {
  type ApiResult,
  err,
  IntegrationError,
  isIntegrationError,
  ok,
  optionsObject,
  parseOptions,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { collectBody } from './collect-body.ts';
import type { ReportDeliverer, ReportDelivery } from './report-delivery.ts';
import { fillTemplate, TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from './report-template.ts';

/** One file attached to a report email. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** The email a report sends. */
export interface EmailMessage {
  to: string[];
  from: string;
  subject: string;
  text: string;
  attachments: EmailAttachment[];
}

/**
 * Sends an email: your mail library or API behind one function (nodemailer: `send: (message) =>
 * transporter.sendMail({ ...message, attachments: message.attachments.map((file) => ({ ...file, content:
 * Buffer.from(file.content) })) })`). It may answer anything (an `ApiResult` failure is kept as the run's error)
 * or throw (the run's `OPERATION_FAILED`, field `transport`).
 */
export interface EmailTransport {
  send(message: EmailMessage): Promise<unknown>;
}

/** Options of {@link emailDeliverer}. */
export interface EmailDelivererOptions {
  transport: EmailTransport;
  /** One address or several (`team@example.com`, `Team <team@example.com>`), at most 50. */
  to: string | string[];
  from: string;
  /** With placeholders `{id}`, `{date}`, `{time}`, `{from}`, `{to}` (UTC dates). */
  subject: string;
  /** The body text, with the same placeholders. Default: the report id, its range and the attachment's name. */
  text?: string;
  /** Largest export attached, in bytes (it is held in memory); a larger one is `VALIDATION_ERROR`. Default 10 MiB. */
  maxBytes?: number;
}

const LABEL = 'email deliverer options';
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
// A line break in a header field would let the text add headers of its own (header injection, RFC 5322 §2.2).
const oneLine = (what: string) =>
  z.refine<string>((value) => !/[\r\n\0]/.test(value), `must be one line: ${what} without CR, LF or NUL`);
const placeholders = z.refine<string>(
  (value) => unknownPlaceholders(value).length === 0,
  `may hold only the placeholders ${TEMPLATE_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}`,
);
const address = z.string().check(
  z.minLength(3, 'must be an email address'),
  z.maxLength(320, 'must be at most 320 characters'),
  oneLine('an address'),
  z.refine(
    (value) => /^[^@\s<>]+@[^@\s<>]+$|^[^<>]*<[^@\s<>]+@[^@\s<>]+>$/.test(value.trim()),
    'must be an email address',
  ),
);

const schema = z.object({
  transport: z.custom<EmailTransport>(
    (value) =>
      typeof value === 'object' && value !== null && typeof (value as { send?: unknown }).send === 'function',
    'must be an email transport: an object with send(message)',
  ),
  to: z.union(
    [
      address,
      z
        .array(address)
        .check(z.minLength(1, 'must name a recipient'), z.maxLength(50, 'must name at most 50 recipients')),
    ],
    {
      error: 'must be an email address or a list of them',
    },
  ),
  from: address,
  subject: z
    .string({ error: 'is required' })
    .check(z.minLength(1, 'must not be empty'), z.maxLength(998), oneLine('a subject'), placeholders),
  text: z.optional(z.string().check(z.maxLength(100_000), placeholders)),
  maxBytes: z.optional(
    z.int().check(z.minimum(1, 'must be 1 or more'), z.maximum(2 ** 31, 'must be at most 2 GiB')),
  ),
});

/**
 * Delivers each run as an email attachment through the transport you bring (no mail library here): the export
 * read whole (up to `maxBytes`), attached under the run's file name with the format's content type.
 * @example emailDeliverer({ transport: { send: (message) => transporter.sendMail(message) }, from: 'reports@example.com', to: ['a@example.com'], subject: 'Signups {date}' })
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`to`, `subject`…), never its value.
 */
export function emailDeliverer(options: EmailDelivererOptions): ReportDeliverer {
  const parsed = parseOptions(schema, optionsObject(options, { label: LABEL }), { label: LABEL });
  const { transport, from, subject } = parsed;
  const to = (typeof parsed.to === 'string' ? [parsed.to] : [...parsed.to]).map((value) => value.trim());
  const { text } = parsed;
  const maxBytes = parsed.maxBytes ?? DEFAULT_MAX_BYTES;

  return {
    async deliver(delivery: ReportDelivery): Promise<ApiResult<{ deliveredTo: string }>> {
      const content = await collectBody(delivery.body, maxBytes);
      if (!content.success) return content;
      const values = { id: delivery.reportId, now: delivery.now, range: delivery.range, ext: '' };
      const message: EmailMessage = {
        to: [...to],
        from: from.trim(),
        subject: fillTemplate(subject, values),
        text: text === undefined ? defaultText(delivery) : fillTemplate(text, values),
        attachments: [
          { filename: delivery.filename, contentType: delivery.contentType, content: content.data },
        ],
      };
      let answer: unknown;
      try {
        answer = await transport.send(message);
      } catch (error) {
        return err(transportError(error));
      }
      const failure = failureOf(answer);
      if (failure) return err(failure);
      return ok({ deliveredTo: to.join(', ') });
    },
  };
}

function defaultText(delivery: ReportDelivery): string {
  const range = delivery.range ? ` from ${delivery.range.from} to ${delivery.range.to}` : '';
  return `Report ${delivery.reportId}${range}: attached as ${delivery.filename}.`;
}

function transportError(error: unknown): IntegrationError {
  if (isIntegrationError(error)) return error;
  return new IntegrationError('OPERATION_FAILED', 'The email transport failed to send the report', {
    field: 'transport',
    retryable: false,
    cause: error instanceof Error ? error : undefined,
  });
}

// A transport built on Patchbay may answer an ApiResult: its failure is the run's.
function failureOf(answer: unknown): IntegrationError | undefined {
  try {
    if (typeof answer !== 'object' || answer === null) return undefined;
    const { success, error } = answer as { success?: unknown; error?: unknown };
    if (success !== false) return undefined;
    return transportError(error);
  } catch {
    return undefined;
  }
}
