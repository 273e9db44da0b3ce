import ky, { HTTPError, type Options, type ResponsePromise } from 'ky';
import type { QflowConnection } from '../config/load-config.js';
import { QflowError } from './qflow-error.js';
import type { RateLimitGate } from './rate-limit-gate.js';
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
  /** The 429 window, shared by every replica on the store. */
  readonly gate: RateLimitGate;
  /** How long a read's answer is reused (READ_REUSE_MS); tests of QFlowHub changing between reads use 0. */
  readonly readReuseMs?: number;
  readonly now?: () => number;
}

/** Creates the QFlowHub domain client over ky, authenticated by `tokens`. */
export function createQflowClient(
  connection: Connection,
  tokens: TokenSource,
  { gate, readReuseMs = READ_REUSE_MS, now = Date.now }: QflowClientOptions,
): QflowClient {
  // ky's timeout bounds each attempt, and (through .json()) reading its body; a person waits in Slack, so
  // the whole call, retries and body included, gets one budget of two timeouts plus the backoff allowance:
  // fast failures are retried twice within it, slow ones are cut short.
  const api = ky.create({
    baseUrl: `${connection.apiUrl}/comms/v1/api/comms/`,
    timeout: connection.timeoutMs,
    totalTimeout: connection.timeoutMs * 2 + IDEMPOTENT_RETRY.backoffLimit,
    headers: { 'Ocp-Apim-Subscription-Key': connection.subscriptionKey, Accept: 'application/json' },
  });

  /** Sends one call (renewing the token once on a 401) and reads its answer with `read`, inside the budget. */
  async function send<T>(
    path: string,
    options: Options,
    repeat: Repeat,
    read: (reply: ResponsePromise) => Promise<T>,
  ): Promise<T> {
    const retry = repeat === 'idempotent' ? IDEMPOTENT_RETRY : 0;
    // Anything QFlowHub echoes back in an error text is shown in Slack: strip what we sent it.
    const sent = [connection.subscriptionKey];
    const attempt = (token: string) => {
      sent.push(token);
      return read(api(path, { ...options, retry, headers: { Authorization: `Bearer ${token}` } }));
    };
    await gate.check();
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
      await gate.record(failure);
      throw failure;
    }
  }

  async function readDomain(body: Promise<unknown>): Promise<Domain> {
    const json = await body;
    try {
      return domainSchema.parse(json);
    } catch (error) {
      throw await toQflowError(error);
    }
  }

  const domainRead = createSharedRead(
    async () => {
      try {
        return await readDomain(send('domain', { method: 'get' }, 'idempotent', (reply) => reply.json()));
      } catch (error) {
        if (error instanceof QflowError && error.code === 'not_found') return undefined;
        throw error;
      }
    },
    readReuseMs,
    now,
  );

  // A change makes every earlier read stale, and so does any read that overlapped it.
  async function change<T>(
    path: string,
    options: Options,
    repeat: Repeat,
    read: (reply: ResponsePromise) => Promise<T>,
  ): Promise<T> {
    domainRead.invalidate();
    try {
      return await send(path, options, repeat, read);
    } finally {
      domainRead.invalidate();
    }
  }

  const postAction = (path: string, repeat: Repeat, answersWithDomain = false): Promise<DomainAction> =>
    change(path, { method: 'post' }, repeat, async (reply) => {
      const response = await reply;
      if (!answersWithDomain) {
        // Nothing in it is used: releasing the body frees the connection at once.
        await response.body?.cancel().catch(() => undefined);
        return { status: response.status };
      }
      // Lenient: a body that is empty or of another shape only means the caller reads the domain back.
      const body: unknown = await reply.json().catch(() => undefined);
      const parsed = domainSchema.safeParse(body);
      return parsed.success ? { status: response.status, domain: parsed.data } : { status: response.status };
    });

  return {
    getDomain: (options) => (options?.fresh === true ? domainRead.fresh() : domainRead.get()),
    async createDomain(domain) {
      return readDomain(
        change('domain', { method: 'post', json: { domain } }, 'once', (reply) => reply.json()),
      );
    },
    verifyDomain: () => postAction('domain/verify', 'idempotent'),
    activateDomain: () => postAction('domain/activate', 'idempotent', true),
    deactivateDomain: () => postAction('domain/deactivate', 'idempotent', true),
    deleteDomain: () => postAction('domain/delete', 'once'),
  };
}
