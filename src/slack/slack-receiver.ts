import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  type AckFn,
  type App,
  type CustomRoute,
  HTTPModuleFunctions,
  type Logger,
  type Receiver,
  type ReceiverEvent,
  ReceiverMultipleAckError,
} from '@slack/bolt';
import { checkSlackBody } from './check-slack-body.js';
import { readSignedBody, type SignedBodyOptions, signingKey } from './read-signed-body.js';
import { createSlackHttpServer, type HttpLimits, SLACK_HTTP_LIMITS } from './slack-http-server.js';

const SLACK_EVENTS_PATH = '/slack/events';

/**
 * The most bytes a request from Slack may have. A button click carries the whole message back, so the
 * largest message the bot can draw decides it: every field at its cap, filled with the characters that grow
 * most once escaped, JSON-encoded and form-encoded, comes to about 380 KB (test/slack/largest-message.ts);
 * a slash command is a few KB. 512 KiB leaves a third for what Slack adds to a stored message.
 */
export const SLACK_BODY_LIMIT = 512 * 1024;

export interface SlackReceiverOptions {
  readonly signingSecret: string;
  readonly port: number;
  readonly logger: Logger;
  /** Answers GET /healthz. */
  readonly health: CustomRoute['handler'];
  readonly limits?: HttpLimits;
}

function answer(res: ServerResponse, status: number, close: boolean): void {
  if (!close) {
    res.writeHead(status);
    res.end();
    return;
  }
  // A body left unread (too large, or unsigned) is never read: once the answer is written the connection
  // goes, rather than Node reading the rest of the upload to throw it away.
  res.writeHead(status, { Connection: 'close' });
  res.end(() => res.socket?.destroy());
}

/**
 * The ack of one request: answers it once, and from then on holds neither the request nor the response, so
 * neither lives on for as long as the work after the ack.
 */
function answerOnce(res: ServerResponse) {
  let response: ServerResponse | undefined = res;
  const take = () => {
    const taken = response;
    response = undefined;
    return taken;
  };
  const ack: AckFn<unknown> = async (body) => {
    const taken = take();
    // As Bolt's own ack does: a second ack is a programming error, not a second answer.
    if (taken === undefined) throw new ReceiverMultipleAckError();
    HTTPModuleFunctions.buildContentResponse(taken, body);
  };
  /** Answers 500 when the request failed before its ack; nothing once it was acknowledged. */
  const fail = () => {
    const taken = take();
    if (taken !== undefined) answer(taken, 500, false);
  };
  return { ack, fail };
}

/**
 * Bolt's receiver in HTTP mode, on the event loop that does the work: Bolt's own HTTPReceiver buffers a
 * whole body with no size limit before it checks anything. Here the body of a POST to /slack/events is
 * streamed under SLACK_BODY_LIMIT, its signature checked on the raw bytes (timestamps more than five minutes
 * off either way refused), and only a slash command, a block_actions payload or an ssl_check reaches the
 * app, already parsed; every other request is answered at once (400, 401, 408 or 413) with one warning
 * line. The app's ack-first middleware answers what passes. GET /healthz is answered by `health`.
 */
export class SlackReceiver implements Receiver {
  readonly #options: SlackReceiverOptions;
  readonly #signed: SignedBodyOptions;
  readonly #server: Server;
  #app: App | undefined;

  constructor(options: SlackReceiverOptions) {
    this.#options = options;
    this.#signed = { signingKey: signingKey(options.signingSecret), limit: SLACK_BODY_LIMIT };
    this.#server = createSlackHttpServer(options.limits ?? SLACK_HTTP_LIMITS, options.logger, (req, res) =>
      this.#route(req, res),
    );
  }

  init(app: App): void {
    this.#app = app;
  }

  /** Listens on `host` if given (else every interface); resolves with the port bound (PORT=0 picks one). */
  start(host?: string): Promise<{ port: number }> {
    const server = this.#server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.#options.port, ...(host !== undefined && { host }) }, () => {
        server.off('error', reject);
        server.on('error', (error) => this.#options.logger.error({ err: error }, 'the HTTP server failed'));
        const address = server.address();
        resolve({
          port: typeof address === 'object' && address !== null ? address.port : this.#options.port,
        });
      });
    });
  }

  /** Stops taking connections; resolves once every open one has closed (each after its answer is sent). */
  stop(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.close((error) => (error ? reject(error) : resolve()));
    });
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'POST' && path === SLACK_EVENTS_PATH) {
      this.#screen(req, res).catch((error: unknown) => {
        this.#options.logger.error({ err: error }, `could not read a request to ${SLACK_EVENTS_PATH}`);
        if (!res.headersSent) answer(res, 400, true);
      });
    } else if (req.method === 'GET' && path === '/healthz') this.#options.health(req, res);
    else answer(res, 404, false);
  }

  #refuse(res: ServerResponse, status: 400 | 401 | 408 | 413, reason: string): void {
    this.#options.logger.warn({ status, reason }, `refused a request to ${SLACK_EVENTS_PATH}: ${reason}`);
    answer(res, status, status !== 400);
  }

  async #screen(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readSignedBody(req, this.#signed);
    if (!read.ok) {
      if (read.status !== 'aborted') this.#refuse(res, read.status, read.reason);
      return;
    }
    const check = checkSlackBody(req.headers['content-type'], read.body.toString('utf8'));
    if (check.ok && check.kind === 'ssl_check') return answer(res, 200, false);
    if (!read.signed) return this.#refuse(res, 401, 'the request is not signed');
    if (!check.ok) return this.#refuse(res, 400, check.reason);
    const app = this.#app;
    // Bolt's App gives itself to its receiver as it is built, so this is a wiring mistake, said loudly.
    if (app === undefined) throw new Error('SlackReceiver was not given to a Bolt App');
    const reply = answerOnce(res);
    const retryNum = HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req);
    const retryReason = HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req);
    const event: ReceiverEvent = {
      // As checked above (parsed as Bolt parses it): the request is not needed after this.
      body: check.body,
      ack: reply.ack,
      ...(retryNum !== undefined && { retryNum }),
      ...(retryReason !== undefined && { retryReason }),
    };
    app.processEvent(event).catch((error: unknown) => {
      this.#options.logger.error({ err: error }, 'a Slack request failed in the app');
      reply.fail();
    });
  }
}
