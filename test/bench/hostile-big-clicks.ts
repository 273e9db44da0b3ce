import { buttonClickBody, signRequest } from '../helpers/slack-requests.js';
import type { Backends } from './backends.js';
import type { HostileRow } from './hostile-attacks.js';
import { rawPost, statuses } from './hostile-probes.js';
import { BENCH_SIGNING_SECRET } from './server-environments.js';
import type { SpawnedServer } from './spawn-server.js';

export interface BigClicksPlan {
  readonly count: number;
  /** Each click's body, at least this many bytes. */
  readonly bytes: number;
  /** The response_url host answers each post this long after it arrived. */
  readonly replyDelayMs: number;
}

// Slack sends the clicked message's blocks back with a click: a big message (DNS records, a check) makes a
// big click. Characters that URL-encoding grows, as real record text has.
const RECORD_LINE = 'em1234.mail.example.com → u1234567.wl123.sendgrid.net: not published; ';
const SECTION = {
  type: 'section',
  text: { type: 'mrkdwn', text: RECORD_LINE.repeat(Math.ceil(3_000 / RECORD_LINE.length)).slice(0, 3_000) },
};

const refreshOn = (responseUrl: string, sections: number) =>
  buttonClickBody('domain_refresh', '1', responseUrl, {}, { blocks: Array(sections).fill(SECTION) });

/** How many record sections make a Refresh click at least `bytes` long. */
function sectionsFor(bytes: number, responseUrl: string): number {
  let sections = 1;
  while (refreshOn(responseUrl, sections).length < bytes) sections += 1;
  return sections;
}

/**
 * Big signed clicks, all at once, while the response_url host is slow (issue 20): the process stays up and
 * every click gets its reply, or the busy note, at its response_url.
 */
export async function bigClicksSlowReplies(
  bot: SpawnedServer,
  backends: Backends,
  plan: BigClicksPlan,
): Promise<HostileRow> {
  const ids = Array.from({ length: plan.count }, (_, index) => `hostile-big-${index + 1}`);
  const sections = sectionsFor(plan.bytes, backends.responseUrl(ids.at(-1) ?? ''));
  const bodies = ids.map((id) => refreshOn(backends.responseUrl(id), sections));
  await backends.clearReplies();
  await backends.delayReplies(plan.replyDelayMs);
  try {
    const acks = await Promise.all(
      bodies.map((body) => {
        const signed = signRequest(body, BENCH_SIGNING_SECRET);
        return rawPost(`${bot.url}/slack/events`, signed.headers, signed.body, 30_000);
      }),
    );
    // Replies are counted as they arrive; the host's late answers do not hold the count.
    await backends.waitFor(ids, 30_000);
    const { replies } = await backends.stats();
    const busy = ids.filter((id) => replies[id]?.kind === 'busy').length;
    const delivered = ids.filter((id) => replies[id] !== undefined).length;
    const up = bot.isAlive();
    return {
      attempt: `${plan.count} concurrent ${Math.round((bodies[0]?.length ?? 0) / 1024)} KB signed clicks, response_url answering after ${plan.replyDelayMs / 1000} s (issue 20)`,
      expected: 'up; every click a reply or busy note',
      observed: `${up ? 'up' : 'EXITED'}, acks ${statuses(acks)}; ${delivered}/${plan.count} delivered: ${delivered - busy} replies, ${busy} busy notes`,
      pass: up && delivered === plan.count,
    };
  } finally {
    await backends.delayReplies(0);
  }
}
