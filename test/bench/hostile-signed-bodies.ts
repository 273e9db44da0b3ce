import { buttonClickBody, signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import type { Backends } from './backends.js';
import type { HostileRow } from './hostile-attacks.js';
import { type Probe, rawPost, slowest, statuses } from './hostile-probes.js';
import { BENCH_SIGNING_SECRET } from './server-environments.js';
import type { SpawnedServer } from './spawn-server.js';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

function signedPost(bot: SpawnedServer, body: string, headers = FORM, timestamp?: number): Promise<Probe> {
  const signed = signRequest(body, BENCH_SIGNING_SECRET, timestamp);
  return rawPost(`${bot.url}/slack/events`, { ...signed.headers, ...headers }, signed.body);
}

function clickWith(backends: Backends, edit: (payload: Record<string, unknown>) => void): string {
  const body = buttonClickBody('refresh', '1', backends.responseUrl('hostile-click'));
  const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '{}') as Record<string, unknown>;
  edit(payload);
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Odd but signed bodies (items 1 and 8) and a timestamp from tomorrow (item 10). */
export async function oddSignedBodies(bot: SpawnedServer, backends: Backends): Promise<HostileRow[]> {
  const nullPayload = await signedPost(bot, 'payload=null');
  const odd = [];
  for (const body of ['null', '{}', '[]', '123', 'true', '0', ''])
    odd.push(await signedPost(bot, body, JSON_TYPE));
  const command = new URLSearchParams(slashCommandBody('status', backends.responseUrl('hostile-text')));
  command.append('text', 'delete');
  const shapes = [
    await signedPost(bot, command.toString()),
    await signedPost(
      bot,
      clickWith(backends, (p) => {
        p.actions = 'refresh';
      }),
    ),
    await signedPost(
      bot,
      clickWith(backends, (p) => {
        delete p.user;
      }),
    ),
  ];
  const tomorrow = Math.floor(Date.now() / 1000) + 86_400;
  const future = await signedPost(
    bot,
    slashCommandBody('status', backends.responseUrl('hostile-future')),
    FORM,
    tomorrow,
  );
  return [
    {
      attempt: 'signed payload=null (item 1)',
      expected: '400, process up',
      observed: `${nullPayload.status} in ${nullPayload.ms.toFixed(0)} ms, ${bot.isAlive() ? 'up' : 'EXITED'}`,
      pass: nullPayload.status === 400 && bot.isAlive(),
    },
    {
      attempt: 'signed null {} [] 123 true 0 empty (item 8)',
      expected: 'all 400, each < 500 ms',
      observed: `${statuses(odd)}, slowest ${slowest(odd).toFixed(0)} ms`,
      pass: odd.every((probe) => probe.status === 400) && slowest(odd) < 500,
    },
    {
      attempt: 'text twice, actions a string, no user (item 8)',
      expected: 'all 400, each < 500 ms',
      observed: `${statuses(shapes)}, slowest ${slowest(shapes).toFixed(0)} ms`,
      pass: shapes.every((probe) => probe.status === 400) && slowest(shapes) < 500,
    },
    {
      attempt: 'timestamp one day ahead (item 10)',
      expected: '401',
      observed: String(future.status),
      pass: future.status === 401,
    },
  ];
}
