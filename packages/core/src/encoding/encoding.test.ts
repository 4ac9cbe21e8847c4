import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { hostileValues, throwingProxy } from '../testing/hostile-values.ts';
import { thrownBy } from '../testing/outcomes.ts';
import { fromBase64, fromHex, toBase64, toBase64Url, toHex, utf8 } from './encoding.ts';

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('utf8', () => {
  it('encodes ASCII as one byte per character', () => {
    expect([...utf8('Hi!')]).toEqual([0x48, 0x69, 0x21]);
  });

  it('encodes non-ASCII characters as multi-byte UTF-8', () => {
    expect([...utf8('é')]).toEqual([0xc3, 0xa9]);
    expect([...utf8('€')]).toEqual([0xe2, 0x82, 0xac]);
    expect([...utf8('😀')]).toEqual([0xf0, 0x9f, 0x98, 0x80]);
    expect(new TextDecoder().decode(utf8('Grüße, 世界'))).toBe('Grüße, 世界');
  });

  it('encodes the empty string as no bytes', () => {
    expect(utf8('')).toHaveLength(0);
  });
});

describe('hex', () => {
  it('encodes lower-case, two digits per byte', () => {
    expect(toHex(Uint8Array.of(0, 1, 15, 16, 171, 255))).toBe('00010f10abff');
  });

  it('round-trips all 256 byte values', () => {
    const hex = toHex(ALL_BYTES);
    expect(hex).toHaveLength(512);
    expect(fromHex(hex)).toEqual(ALL_BYTES);
  });

  it('encodes inputs longer than one internal chunk without losing or reordering bytes', () => {
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) % 256);
    const hex = toHex(bytes);
    expect(hex).toHaveLength(20_000);
    expect(hex.slice(8_190, 8_194)).toBe(
      [4_095, 4_096].map((i) => ((i * 7) % 256).toString(16).padStart(2, '0')).join(''),
    );
    expect(fromHex(hex)).toEqual(bytes);
  });

  it('round-trips the empty array', () => {
    expect(toHex(new Uint8Array())).toBe('');
    expect(fromHex('')).toEqual(new Uint8Array());
  });

  it('accepts upper-case hex', () => {
    expect(fromHex('ABFF0a')).toEqual(Uint8Array.of(0xab, 0xff, 0x0a));
  });

  it.each(['abc', 'zz', '0x00', 'ab cd', '12g4', '-1'])('returns undefined for %j', (text) => {
    expect(fromHex(text)).toBeUndefined();
  });
});

describe('base64', () => {
  it('encodes standard base64 with padding', () => {
    expect(toBase64(utf8('Man'))).toBe('TWFu');
    expect(toBase64(utf8('Ma'))).toBe('TWE=');
    expect(toBase64(utf8('M'))).toBe('TQ==');
    expect(toBase64(Uint8Array.of(0xfb, 0xff))).toBe('+/8=');
  });

  it('round-trips all 256 byte values', () => {
    expect(fromBase64(toBase64(ALL_BYTES))).toEqual(ALL_BYTES);
  });

  it('round-trips the empty array', () => {
    expect(toBase64(new Uint8Array())).toBe('');
    expect(fromBase64('')).toEqual(new Uint8Array());
  });

  it('round-trips UTF-8 text', () => {
    const bytes = utf8('Grüße 😀');
    expect(new TextDecoder().decode(fromBase64(toBase64(bytes)))).toBe('Grüße 😀');
  });

  it('accepts base64url, with or without padding', () => {
    expect(fromBase64('-_8')).toEqual(Uint8Array.of(0xfb, 0xff));
    expect(fromBase64('-_8=')).toEqual(Uint8Array.of(0xfb, 0xff));
    expect(fromBase64('TQ')).toEqual(utf8('M'));
    const url = toBase64(ALL_BYTES).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(fromBase64(url)).toEqual(ALL_BYTES);
  });

  it.each(['T', 'TWFu!', 'TW Fu', 'TW=u', 'TQ===', 'TQ==TQ==', '====', 'ä'])(
    'returns undefined for %j',
    (text) => {
      expect(fromBase64(text)).toBeUndefined();
    },
  );
});

describe('toBase64Url', () => {
  it('uses - and _ instead of + and /, without padding', () => {
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
    expect(toBase64(Uint8Array.of(0xfb, 0xff))).toBe('+/8=');
  });

  it('round-trips all 256 byte values through fromBase64', () => {
    const text = toBase64Url(ALL_BYTES);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64(text)).toEqual(ALL_BYTES);
  });

  it('round-trips every length modulo 3 (no padding needed to decode)', () => {
    for (const length of [0, 1, 2, 3, 4, 5]) {
      const bytes = ALL_BYTES.slice(0, length);
      expect(fromBase64(toBase64Url(bytes))).toEqual(bytes);
    }
  });
});

describe('hostile input', () => {
  const nonStrings = hostileValues().filter(([, value]) => typeof value !== 'string');

  it.each(nonStrings)('utf8(%s) throws only a VALIDATION_ERROR naming text', (_, value) => {
    const thrown = thrownBy(() => utf8(value as string));
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', field: 'text' });
  });

  it.each([...hostileValues(), ['an array of numbers', [1, 2]], ['an ArrayBuffer', new ArrayBuffer(2)]])(
    'toHex, toBase64 and toBase64Url of %s throw only a VALIDATION_ERROR naming bytes',
    (_, value) => {
      for (const encode of [toHex, toBase64, toBase64Url]) {
        const thrown = thrownBy(() => encode(value as Uint8Array));
        expect(thrown).toBeInstanceOf(IntegrationError);
        expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', field: 'bytes' });
      }
    },
  );

  it.each(nonStrings)('fromHex and fromBase64 of %s answer undefined', (_, value) => {
    expect(fromHex(value as string)).toBeUndefined();
    expect(fromBase64(value as string)).toBeUndefined();
  });

  it('takes a Buffer, and a Uint8Array whose prototype was swapped for a throwing Proxy', () => {
    expect(toHex(Buffer.from([1, 255]))).toBe('01ff');
    const bytes = Uint8Array.from([1, 255]);
    Object.setPrototypeOf(bytes, throwingProxy());
    expect(toHex(bytes)).toBe('01ff');
    expect(toBase64(bytes)).toBe('Af8=');
  });
});
