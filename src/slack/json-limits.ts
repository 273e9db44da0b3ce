import { hasControlCharacter } from './slack-ids.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/**
 * Whether JSON text nests arrays and objects more than `max` levels deep, found in one pass over the
 * text before anything parses it: a body within SLACK_BODY_LIMIT can nest 250,000 levels, which
 * JSON.parse takes a sixth of a second to build, and which overflows the stack of anything that walks
 * the result recursively (a schema, a logger, structuredClone).
 */
export function nestsDeeperThan(json: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < json.length; at++) {
    const char = json.charCodeAt(at);
    if (inString) {
      if (char === BACKSLASH) at++;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) inString = true;
    else if (OPEN.has(char)) {
      if (++depth > max) return true;
    } else if (CLOSE.has(char)) depth--;
  }
  return false;
}

/**
 * The path of the first string (or key) in `value` that holds a control character, skipping the
 * top-level keys in `skip`; undefined when there is none. Recursive: only for values whose nesting was
 * bounded first (`nestsDeeperThan`).
 */
export function controlCharacterPath(
  value: unknown,
  skip: ReadonlySet<string> = new Set(),
): string | undefined {
  const walk = (node: unknown, path: string): string | undefined => {
    if (typeof node === 'string') return hasControlCharacter(node) ? path : undefined;
    if (node === null || typeof node !== 'object') return undefined;
    for (const [key, child] of Object.entries(node)) {
      if (path === '' && skip.has(key)) continue;
      const at = path === '' ? key : `${path}.${key}`;
      if (hasControlCharacter(key)) return at;
      const found = walk(child, at);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(value, '');
}
