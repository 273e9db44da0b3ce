import { parse as parseQueryString } from 'node:querystring';
import { z } from 'zod';

/** What a signed body asks for, when it is something the bot handles. */
export type SlackBodyKind = 'ssl_check' | 'slash_command' | 'block_actions';

/** A body the bot handles carries what it parsed to, as Bolt would parse it: the form, or its JSON payload. */
export type SlackBodyCheck =
  | { readonly ok: true; readonly kind: SlackBodyKind; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

// Slack never repeats a form field; a repeated one parses as an array that no listener expects.
const formFields = z.record(z.string(), z.string(), { error: 'a form field was sent more than once' });
// Every answer goes to this address; one that does not parse would only fail later, after the ack.
const responseUrl = z.url({ protocol: /^https?$/ });
// Before the ack, Bolt looks up its Web API client in a plain object keyed by the request's team id (with
// none, its enterprise id): an id naming an Object.prototype member (constructor, __proto__, toString…)
// finds a function there instead, Bolt throws, and Slack is answered 500.
const workspaceId = z.string().refine((id) => !(id in Object.prototype), 'not a workspace id');

const slashCommand = z.looseObject({
  command: z.string().min(1),
  text: z.string(),
  user_id: z.string().min(1),
  team_id: workspaceId.min(1),
  response_url: responseUrl,
  trigger_id: z.string().min(1),
});

// The only interaction the bot registers: buttons in its own messages, which always carry a response_url.
const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: z.string().min(1), team_id: workspaceId.optional() }),
  team: z.looseObject({ id: workspaceId }).nullish(),
  enterprise: z.looseObject({ id: workspaceId }).nullish(),
  actions: z
    .array(z.looseObject({ action_id: z.string(), type: z.string(), value: z.string().optional() }))
    .min(1),
  response_url: responseUrl,
});

function firstProblem(error: z.ZodError, what: string): string {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  return `${what}: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}`;
}

function checkPayload(payload: string): SlackBodyCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'the interaction payload is not JSON' };
  }
  const result = blockActions.safeParse(parsed);
  return result.success
    ? { ok: true, kind: 'block_actions', body: parsed as Record<string, unknown> }
    : { ok: false, reason: firstProblem(result.error, 'not a block_actions payload') };
}

/**
 * Whether a signed body (already verified, not yet parsed by Bolt) is a slash command, a block_actions
 * payload or an ssl_check: the only requests the bot handles. Anything else would reach Bolt's dispatch,
 * where odd shapes crash it, answer 500, or wait 3 s for a listener that never comes. What it parsed is
 * what the app is given, so a body is parsed once. Never throws.
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
  return command.success
    ? { ok: true, kind: 'slash_command', body: fields.data }
    : { ok: false, reason: firstProblem(command.error, 'not a slash command') };
}
