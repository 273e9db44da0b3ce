import { Worker } from 'node:worker_threads';
import type { AckFn, App, Logger, Receiver, ReceiverEvent } from '@slack/bolt';
import { lowerOtherThreads, threadIds } from '../threads/thread-priority.js';
import { threadScript } from '../threads/thread-script.js';
import type {
  FromFrontDoor,
  FrontDoorData,
  HealthAnswer,
  SlackRetry,
  ToFrontDoor,
} from './front-door-protocol.js';

/**
 * The nice value of every thread but the door's, when the bot asks for it (start-bot.ts): a thread at nice
 * 10 gets about a tenth of the CPU's time against one at 0, so when the work keeps the CPU busy (a reply
 * being built, a garbage collection and V8's helper threads for it), a request that comes in is read and
 * acknowledged first instead of waiting its turn behind them (`npm run bench`: ack p99 at half capacity
 * 6–17 ms → about 4 ms). In a container the priority counts among the container's own threads only.
 */
export const WORK_NICE = 10;

/** What the front door did with a request before the bot's thread sees it (on Bolt's context). */
export type AtTheDoor = 'acknowledged' | 'refused_busy';

export interface FrontDoorOptions {
  readonly signingSecret: string;
  readonly port: number;
  readonly logger: Logger;
  /** Requests in the bot at once (held acks included) before new ones are told it is busy. */
  readonly maxInFlight: number;
  /** Requests in the bot at once from which acks wait for the work to catch up. */
  readonly holdAcksFrom: number;
  /** The ack's body that tells a slash command the bot is busy, as JSON. */
  readonly busyAck: string;
  /** What /healthz answers until `answerHealth` says otherwise. */
  readonly health: HealthAnswer;
  /** The nice value for every other thread of the process (WORK_NICE), set as the door's thread starts; none if absent. */
  readonly workNice?: number;
}

// The door has answered Slack already; the listeners' middleware finds nothing left to acknowledge.
const answeredAtTheDoor: AckFn<unknown> = async () => undefined;

/**
 * Bolt's receiver in HTTP mode: the HTTP server runs in a thread of its own (front-door-thread.ts), which
 * checks, acknowledges and hands over each request; this side gives them to the Bolt app, counts them out
 * when their work ends, and logs what the door reports. The door's thread never runs the bot's work, so no
 * ack waits for it or for its garbage collections.
 */
export class FrontDoorReceiver implements Receiver {
  readonly #options: FrontDoorOptions;
  readonly #inFlight = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  #app: App | undefined;
  // Requests the door handed over before the app was given to this receiver (start-bot.ts starts the door
  // while the app is still being built).
  readonly #beforeTheApp: Array<() => void> = [];
  #starting: Promise<{ port: number }> | undefined;
  #thread: Worker | undefined;
  #stopping = false;
  #health: HealthAnswer;
  #nextPing = 1;
  readonly #pongs = new Map<number, () => void>();
  #closed: (() => void) | undefined;
  #lose: (error: Error) => void = () => undefined;
  /** Settles with why, if the door's thread stopped while the bot was running (the bot cannot take requests). */
  readonly lost = new Promise<Error>((resolve) => {
    this.#lose = resolve;
  });

  constructor(options: FrontDoorOptions) {
    this.#options = options;
    this.#health = options.health;
  }

  init(app: App): void {
    this.#app = app;
    for (const handOver of this.#beforeTheApp.splice(0)) handOver();
  }

  /**
   * Starts the door's thread, listening on `host` if given (else every interface); resolves with the port.
   * Called again, resolves as the first call does.
   */
  start(host?: string): Promise<{ port: number }> {
    this.#starting ??= this.#startThread(host);
    return this.#starting;
  }

  #startThread(host: string | undefined): Promise<{ port: number }> {
    const { signingSecret, port, maxInFlight, holdAcksFrom, busyAck, logger } = this.#options;
    const data: FrontDoorData = {
      signingSecret,
      port,
      ...(host !== undefined && { host }),
      busyAck,
      maxInFlight,
      holdAcksFrom,
      inFlight: this.#inFlight.buffer as SharedArrayBuffer,
      health: this.#health,
    };
    // Built as CommonJS: it listens sooner (rolldown.config.ts).
    const script = threadScript(import.meta.url, 'front-door-thread', '.cjs');
    const before = this.#options.workNice === undefined ? undefined : threadIds();
    const thread = new Worker(script.url, { ...script.options, workerData: data });
    this.#thread = thread;
    // At once, so that the door's own start (its thread's Node.js, its modules) goes ahead of the rest of
    // the bot's start-up: /healthz answers sooner.
    if (before !== undefined) this.#favourTheDoor(before);
    return new Promise((resolve, reject) => {
      let listening = false;
      thread.on('message', (message: FromFrontDoor) => {
        switch (message.kind) {
          case 'listening':
            listening = true;
            return resolve({ port: message.port });
          case 'listen_failed': {
            const error = Object.assign(new Error(message.message), message.code && { code: message.code });
            if (listening) logger.error({ err: error }, 'the HTTP server failed');
            else reject(error);
            return;
          }
          case 'acknowledged':
            return void this.#process(message.body, 'acknowledged', message).finally(() => this.#workDone());
          case 'refused_busy':
            return void this.#process(message.body, 'refused_busy', {});
          case 'log':
            return logger[message.level](message.fields, message.message);
          case 'pong':
            this.#pongs.get(message.id)?.();
            this.#pongs.delete(message.id);
            return;
          case 'closed':
            return this.#closed?.();
        }
      });
      thread.on('error', (error) => {
        logger.error({ err: error }, 'the HTTP front door stopped');
        if (!listening) reject(error);
      });
      thread.on('exit', (code) => {
        for (const pong of this.#pongs.values()) pong();
        this.#closed?.();
        if (!this.#stopping) this.#lose(new Error(`the HTTP front door stopped (exit code ${code})`));
        if (!listening)
          reject(new Error(`the HTTP front door stopped before it listened (exit code ${code})`));
      });
    });
  }

  /** Stops taking requests; resolves when every connection has closed and the door's thread has ended. */
  async stop(): Promise<void> {
    const thread = this.#thread;
    if (thread === undefined || this.#stopping) return;
    // The thread stays until every connection has closed: acks it still holds go as the work drains.
    this.#stopping = true;
    await new Promise<void>((resolve) => {
      this.#closed = resolve;
      this.#send(thread, { kind: 'close' });
    });
    await thread.terminate();
  }

  /** What /healthz answers from now on. */
  answerHealth(answer: HealthAnswer): void {
    this.#health = answer;
    if (this.#thread) this.#send(this.#thread, { kind: 'health', answer });
  }

  /**
   * Resolves once the door has dealt with everything it was sent before this call, and this side has had
   * every message it sent before its answer: the log lines of a request already answered are in by then.
   */
  roundTrip(): Promise<void> {
    const thread = this.#thread;
    if (thread === undefined) return Promise.resolve();
    const id = this.#nextPing++;
    return new Promise((resolve) => {
      this.#pongs.set(id, resolve);
      this.#send(thread, { kind: 'ping', id });
    });
  }

  #send(thread: Worker, message: ToFrontDoor): void {
    thread.postMessage(message);
  }

  #process(body: Record<string, unknown>, atTheDoor: AtTheDoor, retry: SlackRetry): Promise<void> {
    const app = this.#app;
    if (app === undefined)
      return new Promise((resolve) => {
        this.#beforeTheApp.push(() => void this.#process(body, atTheDoor, retry).then(resolve));
      });
    const event: ReceiverEvent = {
      body,
      ack: answeredAtTheDoor,
      customProperties: { atTheDoor },
      ...(retry.retryNum !== undefined && { retryNum: retry.retryNum }),
      ...(retry.retryReason !== undefined && { retryReason: retry.retryReason }),
    };
    return app.processEvent(event).catch((error: unknown) => {
      this.#options.logger.error({ err: error }, 'a Slack request failed in the app');
    });
  }

  // The door's thread is the one `new Worker` started (it starts its thread before it returns). Threads
  // started after this (the store's) inherit the bot thread's new priority.
  #favourTheDoor(before: number[]): void {
    const { workNice, logger } = this.#options;
    if (workNice === undefined) return;
    const started = threadIds()?.filter((tid) => !before.includes(tid)) ?? [];
    const [door] = started;
    const lowered =
      door === undefined || started.length > 1
        ? { ok: false as const, reason: 'could not tell which thread is the front door’s' }
        : lowerOtherThreads(door, workNice);
    if (lowered.ok)
      logger.debug(
        { threads: lowered.lowered, nice: workNice, door_thread: door },
        'the work runs behind the front door',
      );
    else logger.info({ reason: lowered.reason }, 'the work runs at the front door’s priority');
  }

  #workDone(): void {
    Atomics.sub(this.#inFlight, 0, 1);
    if (this.#thread) this.#send(this.#thread, { kind: 'work_done' });
  }
}
