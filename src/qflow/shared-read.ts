/** One read shared by its callers: concurrent calls join one request, and a recent answer is reused. */
export interface SharedRead<T> {
  /** The answer of the read in flight, or of one answered within the reuse window, or a new read. */
  get(): Promise<T>;
  /** Always a new read (others may join it). */
  fresh(): Promise<T>;
  /** Forgets every answer so far, and the read in flight: a change has made them stale. */
  invalidate(): void;
}

/** Shares `read` among callers for `reuseMs` after each answer; failures are shared but never reused. */
export function createSharedRead<T>(
  read: () => Promise<T>,
  reuseMs: number,
  now: () => number = Date.now,
): SharedRead<T> {
  // Bumped by every change: a read that began before a change may answer with the old state, so it is
  // neither joined nor kept once the change has started.
  let generation = 0;
  let pending: { readonly generation: number; readonly answer: Promise<T> } | undefined;
  let answered: { readonly at: number; readonly value: T } | undefined;

  function start(): Promise<T> {
    const started = generation;
    const answer = read().then((value) => {
      if (generation === started) answered = { at: now(), value };
      return value;
    });
    pending = { generation: started, answer };
    const forget = () => {
      if (pending?.answer === answer) pending = undefined;
    };
    answer.then(forget, forget);
    return answer;
  }

  return {
    get() {
      if (answered !== undefined && now() - answered.at <= reuseMs) return Promise.resolve(answered.value);
      if (pending !== undefined && pending.generation === generation) return pending.answer;
      return start();
    },
    fresh: start,
    invalidate() {
      generation += 1;
      answered = undefined;
    },
  };
}
