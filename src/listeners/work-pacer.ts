/**
 * Hands out turns on the event loop to the bot's own work (a request's ack and handling, a reply), so a
 * burst never runs as one long event-loop turn.
 *
 * Why: Node runs everything that became ready together in one turn, without looking at the clock. In a
 * burst (5,000 statuses at concurrency 100) a hundred requests arrived in one poll of the sockets, one shared
 * QFlowHub read woke every request waiting on it, and each built its reply and posted it before the loop
 * polled again: turns of 200–400 ms, and a /healthz on a fresh connection (accepted in one turn, read in the
 * next) waited about a second. Here each piece of work waits for its turn, and one loop iteration runs pieces
 * for at most `budgetMs` (always at least one, so work goes on), each in its own `setImmediate` callback:
 * Node drains a callback's promise continuations before the next callback, so a piece runs whole (up to its
 * next real I/O wait) and the clock is read between pieces. The rest waits for the next iteration, after the
 * sockets were polled again: answers from QFlowHub and Slack, and in Socket Mode new requests, get in
 * between. (In HTTP mode requests and health checks are taken by the front door's own thread.)
 *
 * Work is served first come, first served. An ack goes ahead of the work while the bot keeps up (fewer than
 * KEEPING_UP_PIECES pieces waiting), so at ordinary load an ack never waits behind the replies of a shared
 * read that woke together. When the work falls further behind, an ack takes its turn behind it: a client
 * that sends as fast as it is answered is then slowed down to the rate the work is done (acking at once
 * would only fill the admission limit, and then say "busy").
 */
export interface WorkPacer {
  /** Resolves on the caller's turn; what the caller then does (until it waits on I/O) runs in that turn. */
  turn(): Promise<void>;
  /** The same for an ack (Socket Mode's): its turn comes before the waiting work's, unless the bot is behind. */
  ackTurn(): Promise<void>;
}

export interface WorkPacerOptions {
  /** How long the pieces of one loop iteration may run before the loop polls again (PACED_TURN_MS). */
  readonly budgetMs?: number;
  /** A monotonic clock in ms; tests pass their own. */
  readonly now?: () => number;
}

// Short against the 100 ms a health check may wait (it needs two or three iterations, each also doing the
// socket work of the poll), long against one piece (a status's ack or reply is a fraction of a millisecond),
// so the loop's own cost per iteration (one poll, a batch of immediates) stays a small share.
export const PACED_TURN_MS = 2;
// Slots prepared for each iteration, before it is known how many pieces will be waiting when it comes
// (requests read in the poll just before get in too). More pieces than this never fit in PACED_TURN_MS; an
// unused slot costs a fraction of a microsecond.
const PIECES_PER_TURN = 32;
// About 8 ms of work at a status's cost after its ack (`npm run bench`): more than a shared read wakes at
// ordinary load, far less than a burst that sends as fast as it is answered keeps waiting.
export const KEEPING_UP_PIECES = 32;

/** Creates a pacer; one per bot, shared by both doors and every reply. */
export function createWorkPacer({
  budgetMs = PACED_TURN_MS,
  now = () => performance.now(),
}: WorkPacerOptions = {}): WorkPacer {
  const waiting: Array<() => void> = [];
  const acks: Array<() => void> = [];
  let planned = false;

  // Prepares the next iteration: one immediate per piece that may run, then one that ends the turn.
  function plan(): void {
    if (planned || (waiting.length === 0 && acks.length === 0)) return;
    planned = true;
    let started = 0;
    let ran = 0;
    const runOne = () => {
      if (waiting.length === 0 && acks.length === 0) return;
      if (ran === 0) started = now();
      else if (now() - started >= budgetMs) return;
      ran += 1;
      (acks.shift() ?? waiting.shift())?.();
    };
    for (let piece = 0; piece < PIECES_PER_TURN; piece += 1) setImmediate(runOne);
    setImmediate(() => {
      planned = false;
      plan();
    });
  }

  const queueIn = (queue: Array<() => void>) =>
    new Promise<void>((resolve) => {
      queue.push(resolve);
      plan();
    });
  return {
    turn: () => queueIn(waiting),
    ackTurn: () => queueIn(waiting.length < KEEPING_UP_PIECES ? acks : waiting),
  };
}
