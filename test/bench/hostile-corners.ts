import { channelNullClickBody, deeplyNestedClickBody, trickleHeaders } from '../helpers/hostile-corners.js';
import { signRequest } from '../helpers/slack-requests.js';
import type { Backends } from './backends.js';
import type { HostileRow } from './hostile-attacks.js';
import { healthzMs, rawPost } from './hostile-probes.js';
import { BENCH_SIGNING_SECRET } from './server-environments.js';
import type { SpawnedServer } from './spawn-server.js';

// A header trickler is dropped by the server's header limit (5 s) at Node's next check of it (every second).
const TRICKLER_DROPPED_WITHIN_MS = 6_500;
const QUICK_MS = 500;

const signedPost = (bot: SpawnedServer, body: string) => {
  const signed = signRequest(body, BENCH_SIGNING_SECRET);
  return rawPost(`${bot.url}/slack/events`, signed.headers, signed.body);
};

/** The corners of the input a red-team run found open (issue 23): each refused or answered, the bot up. */
export async function inputCorners(bot: SpawnedServer, backends: Backends): Promise<HostileRow[]> {
  await backends.clearReplies();
  const nested = await signedPost(bot, deeplyNestedClickBody(backends.responseUrl('hostile-nested')));
  const nestedUp = (await healthzMs(bot.url)).status === 200;

  const channelNull = await signedPost(
    bot,
    channelNullClickBody(backends.responseUrl('hostile-channel-null'), 'domain_delete'),
  );
  await backends.waitFor(['hostile-channel-null'], 10_000).catch(() => undefined);
  const { replies } = await backends.stats();
  const told = replies['hostile-channel-null'];

  const trickler = await trickleHeaders(bot.url);
  const afterTrickler = await healthzMs(bot.url);
  return [
    {
      attempt: 'signed click nested 30,000 levels deep (issue 23)',
      expected: `400 < ${QUICK_MS} ms, no reply, /healthz 200`,
      observed: `${nested.status} in ${nested.ms.toFixed(0)} ms, ${replies['hostile-nested'] === undefined ? 'no reply' : 'a reply'}, ${nestedUp ? 'up' : 'DOWN'}`,
      pass:
        nested.status === 400 && nested.ms < QUICK_MS && replies['hostile-nested'] === undefined && nestedUp,
    },
    {
      attempt: 'signed click with channel: null (issue 23)',
      expected: `200 < ${QUICK_MS} ms, then one private note`,
      observed: `${channelNull.status} in ${channelNull.ms.toFixed(0)} ms, ${told === undefined ? 'nothing posted' : `a ${told.kind} reply`}`,
      pass:
        channelNull.status === 200 && channelNull.ms < QUICK_MS && told !== undefined && told.kind !== 'busy',
    },
    {
      attempt: 'header trickler (issue 23)',
      expected: `408 and closed < ${TRICKLER_DROPPED_WITHIN_MS} ms, /healthz 200`,
      observed: `${trickler.answer.split('\r\n')[0] || 'closed'} after ${trickler.ms.toFixed(0)} ms, /healthz ${afterTrickler.status}`,
      pass:
        trickler.answer.startsWith('HTTP/1.1 408') &&
        trickler.ms < TRICKLER_DROPPED_WITHIN_MS &&
        afterTrickler.status === 200,
    },
  ];
}
