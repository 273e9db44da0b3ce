import ky, { HTTPError, type Options } from 'ky';
import type { QflowConnection } from '../config/load-config.js';
import { QflowError } from './qflow-error.js';
import { createRateLimitGate, type RateLimitGate } from './rate-limit-gate.js';
import { type Domain, domainSchema } from './schemas.js';
import { createSharedRead } from './shared-read.js';
import { toQflowError } from './to-qflow-error.js';
import type { TokenSource } from './token-source.js';

/** One method per domain endpoint; every method throws QflowError and nothing else. */
export interface QflowClient {
  /**
   * The configured domain, or undefined when QFlowHub answers 404 (none configured). Concurrent reads share
   * one GET and an answer is reused for READ_REUSE_MS, never across a change; `fresh` always asks QFlowHub
   * (for the read that guards a change).
   */
  getDomain(options?: { readonly fresh?: boolean }): Promise<Domain | undefined>;
  /** Starts authentication for `domain` (already validated, ASCII). Never retried blindly. */
  createDomain(domain: string): Promise<Domain>;
  /** Verify's answer is not documented, so only its status is kept; the caller reads the domain back. */
  verifyDomain(): Promise<DomainAction>;
  /** Activate and deactivate answer with the DomainResponse (documented), when the body matches it. */
  activateDomain(): Promise<DomainAction>;
  deactivateDomain(): Promise<DomainAction>;
  deleteDomain(): Promise<DomainAction>;
}

/** What a domain action answered: its HTTP status (for the audit log) and, where documented, the new state. */
export interface DomainAction {
  readonly status: number;
  readonly domain?: Domain;
}

type Connection = Pick<QflowConnection, 'apiUrl' | 'subscriptionKey' | 'timeoutMs'>;

// GET, verify, activate and deactivate are safe to repeat: a lost answer is worth asking again (twice).
// Create (409 on a second try) and delete (404 on a second try) are never repeated.
const IDEMPOTENT_RETRY = {
  limit: 2,
  methods: ['get', 'post'],
  statusCodes: [500, 502, 503, 504],
  afterStatusCodes: [],
  backoffLimit: 2_000,
} satisfies Options['retry'];

type Repeat = 'idempotent' | 'once';

// Any member may ask for the status and QFlowHub's edge allows about 1,000 requests a minute per IP: a burst of
// reads costs one GET per 1.5 s at most, and the answer shown is never more than 1.5 s older than the click.
export const READ_REUSE_MS = 1_500;

export interface QflowClientOptions {
  readonly gate?: RateLimitGate;
  /** How long a read's answer is reused (READ_REUSE_MS); tests of QFlowHub changing between reads use 0. */
  readonly readReuseMs?: number;
  readonly now?: () => number;
}

/** Creates the QFlowHub domain client over ky, authenticated by `tokens`. */
export function createQflowClient(
  connection: Connection,
  tokens: TokenSource,
  { gate = createRateLimitGate(), readReuseMs = READ_REUSE_MS, now = Date.now }: QflowClientOptions = {},
): QflowClient {
  const api = ky.create({
    baseUrl: `${connection.apiUrl}/comms/v1/api/comms/`,
    timeout: connection.timeoutMs,
    headers: { 'Ocp-Apim-Subscription-Key': connection.subscriptionKey, Accept: 'application/json' },
  });
  // ky's timeout stops at the response headers and restarts on every retry; a person waits in Slack,
  // so the whole call, body included, gets one budget of two timeouts plus the backoff allowance: fast
  // failures are retried twice within it, slow ones are cut short.
  const budgetMs = connection.timeoutMs * 2 + IDEMPOTENT_RETRY.backoffLimit;

  async function send(path: string, options: Options, repeat: Repeat): Promise<Response> {
    const signal = AbortSignal.timeout(budgetMs);
    const retry = repeat === 'idempotent' ? IDEMPOTENT_RETRY : 0;
    // Anything QFlowHub echoes back in an error text is shown in Slack: strip what we sent it.
    const sent = [connection.subscriptionKey];
    const attempt = async (token: string) => {
      sent.push(token);
      return api(path, { ...options, retry, signal, headers: { Authorization: `Bearer ${token}` } });
    };
    gate.check();
    try {
      const token = await tokens.getToken();
      try {
        return await attempt(token);
      } catch (error) {
        if (!(error instanceof HTTPError && error.response.status === 401)) throw error;
        // The token may have been revoked or expired early: renew once, then let a second 401 stand.
        tokens.invalidate(token);
        return await attempt(await tokens.getToken());
      }
    } catch (error) {
      const failure = await toQflowError(error, sent);
      gate.record(failure);
      throw failure;
    }
  }

  async function readDomain(response: Response): Promise<Domain> {
    try {
      return domainSchema.parse(await response.json());
    } catch (error) {
      throw await toQflowError(error);
    }
  }

  const domainRead = createSharedRead(
    async () => {
      try {
        return await readDomain(await send('domain', { method: 'get' }, 'idempotent'));
      } catch (error) {
        if (error instanceof QflowError && error.code === 'not_found') return undefined;
        throw error;
      }
    },
    readReuseMs,
    now,
  );

  // A change makes every earlier read stale, and so does any read that overlapped it.
  async function change(path: string, options: Options, repeat: Repeat): Promise<Response> {
    domainRead.invalidate();
    try {
      return await send(path, options, repeat);
    } finally {
      domainRead.invalidate();
    }
  }

  const postAction = async (
    path: string,
    repeat: Repeat,
    answersWithDomain = false,
  ): Promise<DomainAction> => {
    const response = await change(path, { method: 'post' }, repeat);
    if (!answersWithDomain) {
      // Nothing in it is used: releasing the body frees the connection at once.
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    }
    // Lenient: a body that is empty or of another shape only means the caller reads the domain back.
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = domainSchema.safeParse(body);
    return parsed.success ? { status: response.status, domain: parsed.data } : { status: response.status };
  };

  return {
    getDomain: (options) => (options?.fresh === true ? domainRead.fresh() : domainRead.get()),
    async createDomain(domain) {
      return readDomain(await change('domain', { method: 'post', json: { domain } }, 'once'));
    },
    verifyDomain: () => postAction('domain/verify', 'idempotent'),
    activateDomain: () => postAction('domain/activate', 'idempotent', true),
    deactivateDomain: () => postAction('domain/deactivate', 'idempotent', true),
    deleteDomain: () => postAction('domain/delete', 'once'),
  };
}
