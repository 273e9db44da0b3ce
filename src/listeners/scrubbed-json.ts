import { scrubSecrets } from '../logging/scrub-secrets.js';

/** Messages for Slack with every secret the bot holds blanked out: as objects, or as the JSON to post. */
export interface ScrubbedJson {
  /** A copy of `message` with every string scrubbed. */
  scrub<T extends object>(message: T): T;
  /** `message` as JSON, every string scrubbed. */
  json(message: object): string;
}

function scrubStrings(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubStrings(item, scrub));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubStrings(item, scrub)]));
  return value;
}

interface Scrubbing {
  /** The secrets it blanks, joined: a new list (a token renewed) starts a new scrubbing. */
  readonly key: string;
  readonly scrub: (text: string) => string;
  /** The scrubbed JSON of each block list (or other object field) already serialized. */
  readonly parts: WeakMap<object, string>;
}

/**
 * Scrubs with `secrets()` as it stands at each call (tokens change while the bot runs), and serializes each
 * message's object fields (blocks, attachments) once. Why: in a burst one status message, drawn once per
 * shared QFlowHub read, leaves for hundreds of response_urls, each in an envelope of its own
 * (`{ ...message, response_type }`) around the same block lists; scrubbing and serializing those again for
 * each post was most of a reply's cost. Messages are never changed once built (block builders are pure),
 * so a list's JSON stays right for as long as the list exists, and goes with it (a WeakMap).
 */
export function createScrubbedJson(secrets: () => readonly string[]): ScrubbedJson {
  let current: Scrubbing | undefined;
  const scrubbing = (): Scrubbing => {
    const list = secrets();
    const key = list.join('\u0000');
    if (current?.key !== key) current = { key, scrub: scrubSecrets(list), parts: new WeakMap() };
    return current;
  };
  return {
    scrub: (message) => scrubStrings(message, scrubbing().scrub) as typeof message,
    json(message) {
      const { scrub, parts } = scrubbing();
      const fields: string[] = [];
      for (const [name, value] of Object.entries(message)) {
        if (value === undefined) continue;
        const shared = typeof value === 'object' && value !== null ? value : undefined;
        let text = shared && parts.get(shared);
        if (text === undefined) {
          text = JSON.stringify(scrubStrings(value, scrub));
          if (shared !== undefined) parts.set(shared, text);
        }
        fields.push(`${JSON.stringify(name)}:${text}`);
      }
      return `{${fields.join(',')}}`;
    },
  };
}
