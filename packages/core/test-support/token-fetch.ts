// A scripted token endpoint as a `fetch`, for the OAuth2 tests: records each request (as a Request, its form body
// read) and answers with the script.

export interface TokenCall {
  request: Request;
  form: URLSearchParams;
}

export interface ScriptedFetch {
  fetch: typeof fetch;
  calls: TokenCall[];
}

/** A fetch answering each call with `answer(call, index)`. */
export function scriptedFetch(
  answer: (call: TokenCall, index: number) => Response | Promise<Response>,
): ScriptedFetch {
  const calls: TokenCall[] = [];
  const fetchStub = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const form = new URLSearchParams(await request.clone().text());
    const call = { request, form };
    calls.push(call);
    return answer(call, calls.length - 1);
  }) as typeof fetch;
  return { fetch: fetchStub, calls };
}

/** A JSON response. */
export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A token response body. */
export const tokenBody = (
  accessToken: string,
  extra: { refresh_token?: string; expires_in?: number | string; scope?: string; token_type?: string } = {},
) => ({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600, ...extra });
