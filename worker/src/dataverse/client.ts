/**
 * A Dataverse Web API v9.2 client for one connection: a bearer token from `token.ts`, JSON in and out, a timeout on
 * every call, answers parsed with zod, refusals as `DataverseError`s.
 *  - headers (OData-MaxVersion/OData-Version 4.0, Accept JSON):
 *    https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 *  - service protection: a 429 carries `Retry-After` in seconds; wait that long and retry:
 *    https://learn.microsoft.com/power-apps/developer/data-platform/api-limits#retry-operations
 * A 429 whose `Retry-After` is longer than the caller is willing to wait is not slept through: it is thrown with
 * `retryAfterSeconds`, so the caller can report "throttled, try again in N seconds" truthfully.
 */
import type { z } from 'zod';
import { DataverseError, webApiError } from './errors';
import { accessToken, forgetToken, networkError, type TokenRequest } from './token';

export const WEB_API_PATH = '/api/data/v9.2/';

export interface DataverseClientOptions {
  /** Per-request timeout (token requests included). */
  timeoutMs?: number;
  /** Longest single `Retry-After` the client sleeps through before retrying; longer ones are thrown. */
  maxRetryWaitMs?: number;
  /** How many 429s in a row it retries. */
  maxThrottleRetries?: number;
}

export interface RequestOptions<T extends z.ZodType> {
  body?: unknown;
  schema?: T;
  headers?: Record<string, string>;
}

export class DataverseClient {
  readonly timeoutMs: number;
  private readonly maxRetryWaitMs: number;
  private readonly maxThrottleRetries: number;

  constructor(
    private readonly token: Omit<TokenRequest, 'timeoutMs'>,
    options: DataverseClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 10_000;
    this.maxThrottleRetries = options.maxThrottleRetries ?? 3;
  }

  get environmentUrl(): string {
    return this.token.endpoints.environmentUrl;
  }

  /**
   * A fresh token now, not a cached one: Test connection uses it to prove the credential still works (a secret that
   * expired after the last token was issued) and to tell sign-in failures from Web API ones.
   */
  async signIn(): Promise<void> {
    forgetToken(this.token.cacheKey);
    await accessToken({ ...this.token, timeoutMs: this.timeoutMs });
  }

  /** GET/POST/PATCH/DELETE `path` (relative to /api/data/v9.2/, or an absolute link Dataverse handed out). */
  async request<T extends z.ZodType>(method: string, path: string, options: RequestOptions<T> = {}): Promise<z.output<T>> {
    let throttled = 0;
    let reauthenticated = false;
    for (;;) {
      const response = await this.send(method, path, options);
      if (response.status === 429) {
        const retryAfterSeconds = retryAfter(response.headers.get('Retry-After'));
        const error = webApiError(429, await this.bodyOf(response), retryAfterSeconds);
        if (throttled >= this.maxThrottleRetries || retryAfterSeconds * 1000 > this.maxRetryWaitMs) throw error;
        throttled += 1;
        await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000));
        continue;
      }
      if (response.status === 401 && !reauthenticated) {
        // The cached token may have been revoked or expired early: sign in again once.
        forgetToken(this.token.cacheKey);
        reauthenticated = true;
        await response.body?.cancel();
        continue;
      }
      const text = await this.bodyOf(response);
      if (!response.ok) throw webApiError(response.status, text);
      if (!options.schema) return undefined as z.output<T>;
      const parsed = options.schema.safeParse(parseJson(text));
      if (!parsed.success) {
        throw new DataverseError('dataverse', 502, 'unexpected_response', `Dataverse answered ${method} ${path.split('?')[0]} with a body Forcebridge does not understand: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
      }
      return parsed.data;
    }
  }

  /**
   * A request whose body is already text (a `$batch`), answered as it came: signed in (once more on a 401), but a 429
   * or another refusal is the caller's to read — a batch's answer has its own parts to check.
   */
  async raw(method: string, path: string, body: string, headers: Record<string, string>): Promise<Response> {
    let response = await this.send(method, path, { headers }, body);
    if (response.status === 401) {
      forgetToken(this.token.cacheKey);
      await response.body?.cancel();
      response = await this.send(method, path, { headers }, body);
    }
    return response;
  }

  /** A `multipart/mixed` answer's text, read as UTF-8 bytes (a network failure mid-body as in bodyOf). */
  async textOf(response: Response): Promise<string> {
    try {
      return new TextDecoder().decode(await response.arrayBuffer());
    } catch (error) {
      throw networkError(error, `The Dataverse environment ${this.environmentUrl}`, this.timeoutMs);
    }
  }

  private async send<T extends z.ZodType>(method: string, path: string, options: RequestOptions<T>, text?: string): Promise<Response> {
    const token = await accessToken({ ...this.token, timeoutMs: this.timeoutMs });
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...options.headers,
    };
    try {
      return await fetch(this.urlOf(path), {
        method,
        headers,
        body: text ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw networkError(error, `The Dataverse environment ${this.environmentUrl}`, this.timeoutMs);
    }
  }

  /** The body, read within the timeout; a connection cut mid-body is a network failure, not a bug. */
  private async bodyOf(response: Response): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw networkError(error, `The Dataverse environment ${this.environmentUrl}`, this.timeoutMs);
    }
  }

  /** Links Dataverse hands out (`@odata.nextLink`) name the environment's origin: send them to its address. */
  private urlOf(path: string): string {
    const { environmentUrl, address } = this.token.endpoints;
    if (/^https?:\/\//.test(path)) {
      const url = new URL(path);
      if (url.origin !== environmentUrl && url.origin !== address) throw new Error(`refusing to follow a link outside the environment: ${url.origin}`);
      return `${address}${url.pathname}${url.search}`;
    }
    return `${address}${WEB_API_PATH}${path}`;
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function retryAfter(value: string | null): number {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : 1;
}
