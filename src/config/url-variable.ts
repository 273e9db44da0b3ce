import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A URL variable: https anywhere, plain http only on a loopback host (local simulators and tests),
 * so a typo can never send tokens over the open network unencrypted.
 */
export function urlVariable(example: string) {
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a URL such as ${example}` });
      return;
    }
    const loopback = LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      ctx.addIssue({
        code: 'custom',
        message: `must use https:// (http:// is accepted only for localhost), e.g. ${example}`,
      });
    }
  });
}

/** Drops trailing slashes so paths can be appended with a single '/'. */
export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
