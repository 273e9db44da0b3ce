import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AckFn,
  type App,
  type CustomRoute,
  HTTPModuleFunctions,
  HTTPReceiver,
  type Logger,
  type ReceiverEvent,
  ReceiverMultipleAckError,
} from '@slack/bolt';
import { checkSlackBody } from './check-slack-body.js';
import { readSignedBody, signingKey } from './read-signed-body.js';

const SLACK_EVENTS_PATH = '/slack/events';

/**
 * The most bytes a request from Slack may have. A button click carries the whole message back, so the
 * largest message the bot can draw decides it: every field at its cap, filled with the characters that grow
 * most once escaped, JSON-encoded and form-encoded, comes to about 380 KB (test/slack/largest-message.ts);
 * a slash command is a few KB. 512 KiB leaves a third for what Slack adds to a stored message.
 */
export const SLACK_BODY_LIMIT = 512 * 1024;

export interface SlackHttpReceiverOptions {
  readonly signingSecret: string;
  readonly logger: Logger;
  readonly customRoutes: CustomRoute[];
}

function answer(res: ServerResponse, status: number, close: boolean): void {
  // A body left unread (too large, or unsigned) must not be drained on a kept-alive connection.
  res.writeHead(status, close ? { Connection: 'close' } : {});
  res.end();
}

/**
 * The ack of one request: answers it once, and from then on holds neither the request nor the response.
 * Bolt's own ack keeps both (and Bolt's handler keeps them while the event is processed) until the work
 * after the ack has finished, so every command's HTTP objects lived as long as its QFlowHub read and reply:
 * long enough to be promoted to V8's old space (`npm run bench`, open loop: the largest share of the bytes
 * promoted), and every major GC is a pause the next acks wait for.
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
 * Bolt's HTTP receiver with a gate in front of /slack/events: the body is streamed under SLACK_BODY_LIMIT,
 * its signature checked on the raw bytes (timestamps more than five minutes off either way refused), and
 * only a slash command, a block_actions payload or an ssl_check is handed to Bolt, already buffered. Every
 * other request is answered at once (400, 401, 408 or 413) with one warning line. What passes is handed to
 * the app as Bolt's handler would, but with an ack that lets go of the request once it has answered.
 */
export class SlackHttpReceiver extends HTTPReceiver {
  #app: App | undefined;

  override init(app: App): void {
    super.init(app);
    this.#app = app;
  }

  constructor({ signingSecret, logger, customRoutes }: SlackHttpReceiverOptions) {
    // Every request to the endpoint passes the gate below, which checks the signature (more strictly);
    // Bolt checking it again would be a second HMAC over the same bytes per request.
    super({
      signingSecret,
      logger,
      customRoutes,
      endpoints: SLACK_EVENTS_PATH,
      bodyLimit: SLACK_BODY_LIMIT,
      signatureVerification: false,
    });
    const dispatch = this.requestListener;
    const signed = { signingKey: signingKey(signingSecret), limit: SLACK_BODY_LIMIT };
    const refuse = (res: ServerResponse, status: 400 | 401 | 408 | 413, reason: string) => {
      logger.warn({ status, reason }, `refused a request to ${SLACK_EVENTS_PATH}: ${reason}`);
      answer(res, status, status !== 400);
    };
    const screen = async (req: IncomingMessage, res: ServerResponse) => {
      const read = await readSignedBody(req, signed);
      if (!read.ok) {
        if (read.status !== 'aborted') refuse(res, read.status, read.reason);
        return;
      }
      const check = checkSlackBody(req.headers['content-type'], read.body.toString('utf8'));
      if (check.ok && check.kind === 'ssl_check') return answer(res, 200, false);
      if (!read.signed) return refuse(res, 401, 'the request is not signed');
      if (!check.ok) return refuse(res, 400, check.reason);
      // The body as checked above (parsed as Bolt parses it); the request is not needed after this.
      const reply = answerOnce(res);
      const retryNum = HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req);
      const retryReason = HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req);
      const event: ReceiverEvent = {
        body: check.body,
        ack: reply.ack,
        ...(retryNum !== undefined && { retryNum }),
        ...(retryReason !== undefined && { retryReason }),
      };
      const app = this.#app;
      // Bolt's App gives itself to its receiver as it is built, so this is a wiring mistake, said loudly.
      if (app === undefined) throw new Error('SlackHttpReceiver was not given to a Bolt App');
      app.processEvent(event).catch((error: unknown) => {
        logger.error({ err: error }, 'a Slack request failed in the app');
        reply.fail();
      });
    };
    this.requestListener = (req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'POST' || path !== SLACK_EVENTS_PATH) return dispatch(req, res);
      screen(req, res).catch((error: unknown) => {
        logger.error({ err: error }, `could not read a request to ${SLACK_EVENTS_PATH}`);
        if (!res.headersSent) answer(res, 400, true);
      });
    };
  }
}
