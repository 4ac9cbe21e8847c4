import { describe, expect, it } from 'vitest';
import { hostileValues, thrownBy } from '../../test-support/hostile-values.ts';
import { matchesRoute, methodAndPath, readRoutePattern } from './route-key.ts';

describe('matchesRoute', () => {
  it('matches every route with undefined or "*"', () => {
    expect(matchesRoute(undefined, 'GET /rest/people')).toBe(true);
    expect(matchesRoute('*', 'DELETE /rest/companies/1')).toBe(true);
  });

  it('compares a plain string exactly', () => {
    expect(matchesRoute('POST /rest/people', 'POST /rest/people')).toBe(true);
    expect(matchesRoute('POST /rest/people', 'POST /rest/people/1')).toBe(false);
    expect(matchesRoute('POST /rest/people', 'GET /rest/people')).toBe(false);
  });

  it('treats * inside a string as a glob over any characters', () => {
    expect(matchesRoute('* /rest/people', 'PATCH /rest/people')).toBe(true);
    expect(matchesRoute('GET /rest/*', 'GET /rest/people/1')).toBe(true);
    expect(matchesRoute('GET /rest/*', 'POST /rest/people')).toBe(false);
    expect(matchesRoute('POST /rest/batch/*', 'POST /rest/batch/people')).toBe(true);
  });

  it('keeps the other characters of a glob literal', () => {
    expect(matchesRoute('GET /rest/(people)?*', 'GET /rest/(people)?x')).toBe(true);
    expect(matchesRoute('GET /rest/people.*', 'GET /rest/peopleXjson')).toBe(false);
  });

  it('searches a RegExp, even one with the global flag used twice', () => {
    const pattern = /\/rest\/batch\//g;
    expect(matchesRoute(pattern, 'POST /rest/batch/people')).toBe(true);
    expect(matchesRoute(pattern, 'POST /rest/batch/people')).toBe(true);
    expect(matchesRoute(/^GET /, 'POST /rest/people')).toBe(false);
  });
});

describe('methodAndPath', () => {
  it('keys a request by method and path, without the query', () => {
    expect(methodAndPath(new Request('http://h.test/rest/people?limit=5'))).toBe('GET /rest/people');
    expect(methodAndPath(new Request('http://h.test/rest/batch/people', { method: 'POST' }))).toBe(
      'POST /rest/batch/people',
    );
  });
});

describe('route keys with hostile input', () => {
  it.each(hostileValues().filter(([, value]) => value !== undefined && typeof value !== 'string'))(
    'matchesRoute(%s, key) throws an EmulatorConfigError naming route',
    (_, value) => {
      expect(thrownBy(() => matchesRoute(value as string, 'GET /x'))).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'route',
      });
    },
  );

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))(
    'matchesRoute(pattern, %s) throws an EmulatorConfigError naming routeKey',
    (_, value) => {
      expect(thrownBy(() => matchesRoute('*', value as string))).toMatchObject({ field: 'routeKey' });
    },
  );

  it('matches through a RegExp subclass whose search throws, using a plain copy', () => {
    class Hostile extends RegExp {
      override [Symbol.search](): number {
        throw new Error('hostile');
      }
    }
    expect(matchesRoute(new Hostile('people'), 'GET /rest/people')).toBe(true);
  });

  it.each([...hostileValues(), ['a look-alike', { method: 'GET', url: 'http://h/x' }]])(
    'methodAndPath(%s) throws an EmulatorConfigError naming request',
    (_, value) => {
      expect(thrownBy(() => methodAndPath(value as Request))).toMatchObject({ field: 'request' });
    },
  );

  // Node 22's Request brand check sees through a Proxy, Node 24's does not: it is read as the Request it wraps,
  // or refused by name; never anything else.
  it('methodAndPath(a Proxy of a Request) reads it as that Request or throws an EmulatorConfigError naming request', () => {
    const proxied = new Proxy(new Request('http://h/x'), {});
    let read: unknown;
    const thrown = thrownBy(() => {
      read = methodAndPath(proxied);
    });
    if (thrown === undefined) expect(read).toEqual(methodAndPath(new Request('http://h/x')));
    else expect(thrown).toMatchObject({ field: 'request' });
  });

  it('readRoutePattern keeps strings and copies RegExps', () => {
    const pattern = /a/g;
    const copy = readRoutePattern(pattern, 'route');
    expect(copy).not.toBe(pattern);
    expect(copy).toEqual(/a/g);
    expect(readRoutePattern('GET /x', 'route')).toBe('GET /x');
  });
});
