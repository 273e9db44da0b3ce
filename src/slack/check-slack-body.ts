import { parse as parseQueryString } from 'node:querystring';
import { z } from 'zod';
import { controlCharacterPath, nestsDeeperThan } from './json-limits.js';
import {
  appId,
  buttonValue,
  channelId,
  elementId,
  enterpriseId,
  plainText,
  teamId,
  teamOrEnterpriseId,
  triggerId,
  userId,
} from './slack-ids.js';

/** What a signed body asks for, when it is something the bot handles. */
export type SlackBodyKind = 'ssl_check' | 'slash_command' | 'block_actions';

/** A body the bot handles carries what it parsed to, as Bolt would parse it: the form, or its JSON payload. */
export type SlackBodyCheck =
  | { readonly ok: true; readonly kind: SlackBodyKind; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

/**
 * How deep an interaction payload may nest. The deepest Block Kit message Slack carries back (rich text
 * in an attachment's block, inside the payload) is about a dozen levels; 64 is far above that and far
 * below what would strain a parser or a recursive walk.
 */
export const MAX_PAYLOAD_DEPTH = 64;

// Slack never repeats a form field; a repeated one parses as an array that no listener expects.
const formFields = z.record(z.string(), z.string(), { error: 'a form field was sent more than once' });
// Every answer goes to this address; one that does not parse would only fail later, after the ack.
const responseUrl = z.url({ protocol: /^https?$/ });
// Slack leaves enterprise_id out, or (some installs) blank, outside an Enterprise Grid.
const optionalEnterprise = enterpriseId.or(z.literal('')).optional();

const slashCommand = z.looseObject({
  command: plainText.min(1).max(64),
  // What the person typed: parsed into a command whose every kept part is checked by its own parser, and
  // answered with the usage when it does not parse, which says more than a refusal here would.
  text: z.string(),
  user_id: userId,
  team_id: teamId,
  enterprise_id: optionalEnterprise,
  channel_id: channelId,
  api_app_id: appId,
  response_url: responseUrl,
  trigger_id: triggerId,
});

// The only interaction the bot registers: buttons in its own messages, which always carry a response_url.
// `channel` may be null (Slack's shape for a click outside a channel): the middleware answers it.
const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({
    id: userId,
    team_id: teamOrEnterpriseId.optional(),
    enterprise_id: enterpriseId.optional(),
  }),
  team: z.looseObject({ id: teamId, enterprise_id: enterpriseId.optional() }).nullish(),
  enterprise: z.looseObject({ id: enterpriseId }).nullish(),
  channel: z.looseObject({ id: channelId }).nullish(),
  container: z.looseObject({ channel_id: channelId.optional() }).nullish(),
  api_app_id: appId,
  actions: z
    .array(
      z.looseObject({
        action_id: elementId,
        block_id: elementId.optional(),
        type: z.string(),
        value: buttonValue.optional(),
      }),
    )
    .min(1),
  trigger_id: triggerId,
  response_url: responseUrl,
});

function firstProblem(error: z.ZodError, what: string): string {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  return `${what}: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}`;
}

// The clicked message is the bot's own drawing, carried back: it is redrawn, never stored or logged.
const CLICKED_MESSAGE = new Set(['message']);
// What a person typed is answered, not kept (see slashCommand).
const TYPED_TEXT = new Set(['text']);

const controlCharacterIn = (value: unknown, skip: ReadonlySet<string>, what: string) => {
  const path = controlCharacterPath(value, skip);
  return path === undefined ? undefined : `${what}: ${path}: holds a control character`;
};

function checkPayload(payload: string): SlackBodyCheck {
  if (nestsDeeperThan(payload, MAX_PAYLOAD_DEPTH))
    return { ok: false, reason: `the interaction payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'the interaction payload is not JSON' };
  }
  const result = blockActions.safeParse(parsed);
  if (!result.success)
    return { ok: false, reason: firstProblem(result.error, 'not a block_actions payload') };
  const control = controlCharacterIn(parsed, CLICKED_MESSAGE, 'a block_actions payload');
  if (control !== undefined) return { ok: false, reason: control };
  // Bolt reads `channel.id` whenever `channel` is not undefined, so a null one would throw inside Bolt.
  const { channel, ...rest } = parsed as Record<string, unknown>;
  return {
    ok: true,
    kind: 'block_actions',
    body: channel === null ? rest : (parsed as Record<string, unknown>),
  };
}

/**
 * Whether a signed body (already verified, not yet parsed by Bolt) is a slash command, a block_actions
 * payload or an ssl_check: the only requests the bot handles. Anything else would reach Bolt's dispatch,
 * where odd shapes crash it, answer 500, or wait 3 s for a listener that never comes. Every id must have
 * Slack's shape, no field the bot keeps or logs may hold a control character, and a payload may nest at
 * most MAX_PAYLOAD_DEPTH levels. What it parsed is what the app is given, so a body is parsed once.
 * Never throws.
 */
export function checkSlackBody(contentType: string | undefined, text: string): SlackBodyCheck {
  // Bolt parses a body as a form only for exactly this type, and as JSON otherwise; the bot handles no JSON
  // body (no Events API subscription), so anything else is refused here.
  if (contentType !== 'application/x-www-form-urlencoded')
    return { ok: false, reason: `content type ${contentType ?? 'none'} is not a form` };
  const fields = formFields.safeParse({ ...parseQueryString(text) });
  if (!fields.success) return { ok: false, reason: firstProblem(fields.error, 'not a Slack form') };
  const { ssl_check: sslCheck, payload } = fields.data;
  if (sslCheck !== undefined)
    return sslCheck === '1'
      ? { ok: true, kind: 'ssl_check', body: fields.data }
      : { ok: false, reason: 'ssl_check is not 1' };
  if (payload !== undefined) return checkPayload(payload);
  const command = slashCommand.safeParse(fields.data);
  if (!command.success) return { ok: false, reason: firstProblem(command.error, 'not a slash command') };
  const control = controlCharacterIn(fields.data, TYPED_TEXT, 'a slash command');
  return control === undefined
    ? { ok: true, kind: 'slash_command', body: fields.data }
    : { ok: false, reason: control };
}
