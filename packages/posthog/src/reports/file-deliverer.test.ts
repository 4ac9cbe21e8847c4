import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrationError } from '@patchbay/core';
import { hostileValues } from '@patchbay/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileDeliverer } from './file-deliverer.ts';
import type { ReportDelivery } from './report-delivery.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'posthog-file-deliverer-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const bodyOf = (parts: string[], error?: IntegrationError) => {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[index++];
      if (part !== undefined) controller.enqueue(new TextEncoder().encode(part));
      else if (error) controller.error(error);
      else controller.close();
    },
  });
};

const delivery = (body: ReadableStream<Uint8Array>): ReportDelivery => ({
  reportId: 'weekly',
  format: 'csv',
  contentType: 'text/csv',
  filename: 'weekly-2026-03-31.csv',
  body,
  now: new Date('2026-03-31T09:05:07Z'),
  range: { from: '2026-03-24T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z' },
  signal: undefined,
});

describe('fileDeliverer', () => {
  it('streams the body to the path, with Node fs/promises as it is', async () => {
    const path = join(dir, 'report.csv');
    const result = await fileDeliverer({ fs, path }).deliver(delivery(bodyOf(['a,b\r\n', '1,2\r\n'])));
    expect(result).toEqual({ success: true, data: { deliveredTo: path } });
    expect(await fs.readFile(path, 'utf8')).toBe('a,b\r\n1,2\r\n');
  });

  it('names the file in a directory by its pattern', async () => {
    const result = await fileDeliverer({
      fs,
      directory: `${dir}/`,
      filename: '{id}_{from}_{to}_{time}.{ext}',
    }).deliver(delivery(bodyOf(['x'])));
    const expected = join(dir, 'weekly_2026-03-24_2026-03-31_090507.csv');
    expect(result).toEqual({ success: true, data: { deliveredTo: expected } });
    expect(await fs.readFile(expected, 'utf8')).toBe('x');
    expect(await fileDeliverer({ fs, directory: dir }).deliver(delivery(bodyOf(['y'])))).toEqual({
      success: true,
      data: { deliveredTo: join(dir, 'weekly-2026-03-31.csv') },
    });
  });

  it('a failed export leaves the previous file and no partial one, and answers the export error', async () => {
    const path = join(dir, 'kept.csv');
    await fs.writeFile(path, 'previous');
    const failure = new IntegrationError('SERVER_ERROR', 'page 3 failed');
    const result = await fileDeliverer({ fs, path }).deliver(delivery(bodyOf(['new', 'er'], failure)));
    expect(result).toEqual({ success: false, error: failure });
    expect(await fs.readFile(path, 'utf8')).toBe('previous');
    expect((await fs.readdir(dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('a missing directory is OPERATION_FAILED with the error code, the body cancelled', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      cancel() {
        cancelled = true;
      },
    });
    const result = await fileDeliverer({ fs, path: join(dir, 'missing', 'x.csv') }).deliver(delivery(body));
    expect(result).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED', field: 'path' } });
    if (!result.success) expect(result.error.message).toContain('ENOENT');
    expect(cancelled).toBe(true);
  });

  it.each<[() => unknown, string]>([
    [() => ({ fs: undefined, path: 'x' }), 'fs'],
    [() => ({ fs: { writeFile() {} }, path: 'x' }), 'fs'],
    [() => ({ fs }), 'path'],
    [() => ({ fs, path: 'a', directory: 'b' }), 'path'],
    [() => ({ fs, path: 'a', filename: 'b' }), 'filename'],
    [() => ({ fs, path: '' }), 'path'],
    [() => ({ fs, path: 'a\0b' }), 'path'],
    [() => ({ fs, directory: dir, filename: '../escape.csv' }), 'filename'],
    [() => ({ fs, directory: dir, filename: 'a\\b.csv' }), 'filename'],
    [() => ({ fs, directory: dir, filename: '..' }), 'filename'],
    [() => ({ fs, directory: dir, filename: '{id}-{dat}.csv' }), 'filename'],
  ])('refuses options %# with CONFIG_ERROR naming %s', (options, field) => {
    expect(() => fileDeliverer(options() as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field }),
    );
  });

  it.each(hostileValues())('refuses options that are %s with CONFIG_ERROR', (_, options) => {
    expect(() => fileDeliverer(options as never)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});
