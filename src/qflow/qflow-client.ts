import ky, { HTTPError, type Options } from 'ky';
import type { QflowConnection } from '../config/load-config.js';
import { QflowError } from './qflow-error.js';
import { createRateLimitGate, type RateLimitGate } from './rate-limit-gate.js';
import { type Domain, domainSchema } from './schemas.js';
import { toQflowError } from './to-qflow-error.js';
import type { TokenSource } from './token-source.js';

/** One method per domain endpoint; every method throws QflowError and nothing else. */
export interface QflowClient {
  /** The configured domain, or undefined when QFlowHub answers 404 (none configured). */
  getDomain(): Promise<Domain | undefined>;
  /** Starts authentication for `domain` (already validated, ASCII). Never retried blindly. */
  createDomain(domain: string): Promise<Domain>;
  verifyDomain(): Promise<void>;
  activateDomain(): Promise<void>;
  deactivateDomain(): Promise<void>;
  deleteDomain(): Promise<void>;
}

type Connection = Pick<QflowConnection, 'apiUrl' | 'subscriptionKey' | 'timeoutMs'>;

// Safe to repeat: a lost answer is worth asking again. POST /domain is not (409 on the second try).
const IDEMPOTENT_RETRY = {
  limit: 2,
  methods: ['get', 'post'],
  statusCodes: [500, 502, 503, 504],
  afterStatusCodes: [],
  backoffLimit: 2_000,
} satisfies Options['retry'];

/** Creates the QFlowHub domain client over ky, authenticated by `tokens`. */
export function createQflowClient(
  connection: Connection,
  tokens: TokenSource,
  gate: RateLimitGate = createRateLimitGate(),
): QflowClient {
  const api = ky.create({
    prefixUrl: `${connection.apiUrl}/comms/v1/api/comms/`,
    timeout: connection.timeoutMs,
    retry: IDEMPOTENT_RETRY,
    headers: { 'Ocp-Apim-Subscription-Key': connection.subscriptionKey, Accept: 'application/json' },
  });

  // Retries must not stretch a call without bound: a person is waiting for the answer in Slack.
  // After one timeout plus the backoff allowance, a failure is final (ky never retries a timeout).
  const budgetMs = connection.timeoutMs + IDEMPOTENT_RETRY.backoffLimit;
  const withinBudget = (started: number) => () =>
    performance.now() - started < budgetMs ? undefined : false;

  async function send(path: string, options: Options): Promise<Response> {
    const retry = options.retry ?? { ...IDEMPOTENT_RETRY, shouldRetry: withinBudget(performance.now()) };
    // Anything QFlowHub echoes back in an error text is shown in Slack: strip what we sent it.
    const sent = [connection.subscriptionKey];
    const attempt = async (token: string) => {
      sent.push(token);
      return api(path, { ...options, retry, headers: { Authorization: `Bearer ${token}` } });
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

  const postAction = async (path: string) => {
    await send(path, { method: 'post' });
  };

  return {
    async getDomain() {
      try {
        return await readDomain(await send('domain', { method: 'get' }));
      } catch (error) {
        if (error instanceof QflowError && error.code === 'not_found') return undefined;
        throw error;
      }
    },
    async createDomain(domain) {
      return readDomain(await send('domain', { method: 'post', json: { domain }, retry: 0 }));
    },
    verifyDomain: () => postAction('domain/verify'),
    activateDomain: () => postAction('domain/activate'),
    deactivateDomain: () => postAction('domain/deactivate'),
    deleteDomain: () => postAction('domain/delete'),
  };
}
