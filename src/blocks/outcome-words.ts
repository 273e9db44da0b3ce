import type { AccessDecision } from '../access/access-policy.js';
import { HANDOFF_WORDS } from '../handoff/handoff-words.js';
import type { OutcomeResult, UsageErrorResult } from '../operations/outcome.js';
import type { DomainState } from './domain-state.js';

/** A change refused before it ran: the user may not change the domain (or it could not be checked). */
export type AccessRefusal = `access_${Exclude<AccessDecision, { allowed: true }>['reason']}`;

/** Every way a change can end, as the audit log stores it (usage errors are not kept). */
export type RecordedOutcome =
  | Exclude<OutcomeResult, UsageErrorResult>
  | AccessRefusal
  // The watch's own verify, which no request's outcome carries.
  | 'verified_automatically';

/**
 * How `/domain history` words each outcome: a few plain words a newcomer reads without the code. The
 * compiler checks that every outcome has its words; a code the record does not know (an older bot's,
 * a newer bot's) is shown as it was stored.
 */
export const OUTCOME_WORDS = {
  help: 'showed help',
  shown: 'showed the domain',
  history: 'showed the history',
  no_domain: 'nothing done: there was no domain',
  started: 'started: DNS records to publish',
  already_started: 'nothing done: already started',
  verified: 'verified: now sending',
  not_yet_verified: 'not verified yet',
  activated: 'activated',
  deactivated: 'deactivated',
  deleted: 'deleted',
  changed_unconfirmed: 'done; the new state could not be read back',
  asked_to_confirm: 'asked to confirm',
  stale_message: 'nothing done: the message was out of date',
  not_in_this_state: 'nothing done: not possible in that state',
  dns_all_ok: 'DNS records all published',
  dns_problems: 'DNS records need attention',
  dns_unreachable: 'DNS could not be checked',
  publish_planned: 'showed the publish plan',
  published: 'published the DNS records',
  publish_unchanged: 'nothing to publish: the records were already right',
  publish_plan_changed: 'nothing published: the plan was out of date',
  publish_unavailable: 'not published: no DNS provider the bot can write to',
  publish_failed: 'publishing failed',
  internal_error: 'failed inside the bot',
  store_unavailable: 'not done: the bot’s database did not answer',
  access_not_listed: 'refused: not an admin',
  access_lookup_failed: 'refused: permission could not be checked',
  access_other_workspace: 'refused: a user of another workspace',
  domain_already_configured: 'refused: a domain is already configured',
  comms_api_not_enabled: 'refused: the account is not enabled for the Comms API',
  trust_required: 'refused: QFlowHub requires sender verification',
  domain_not_verified: 'refused: the domain is not verified',
  sendgrid_create_failed: 'failed: SendGrid could not create the domain',
  rate_limited: 'not done: QFlowHub asked to slow down',
  bad_request: 'refused by QFlowHub: bad request',
  unauthorized: 'failed: QFlowHub did not accept the bot’s sign-in',
  forbidden: 'refused by QFlowHub: not allowed',
  not_found: 'failed: QFlowHub found no domain',
  conflict: 'refused by QFlowHub: conflicts with the current state',
  unprocessable: 'refused by QFlowHub: not a valid request',
  server_error: 'failed: QFlowHub had a server error',
  unexpected_status: 'failed: QFlowHub answered unexpectedly',
  timeout: 'failed: QFlowHub did not answer in time',
  network: 'failed: QFlowHub could not be reached',
  unexpected_response: 'failed: QFlowHub’s answer could not be read',
  identity_rejected: 'failed: the identity server refused the bot’s credentials',
  identity_unavailable: 'failed: the identity server did not answer',
  watching: 'started watching DNS',
  already_watching: 'nothing done: already watched',
  watch_stopped: 'stopped watching',
  not_watching: 'nothing done: it was not watched',
  verified_automatically: 'verified automatically by the watch',
  ...HANDOFF_WORDS,
} as const satisfies Record<RecordedOutcome, string>;

/** What the bot found, at its next start, about a change a restart interrupted. */
export type FoundAfterRestart = DomainState | 'no_domain' | 'unread' | 'published' | 'not_published';

const FOUND_WORDS = {
  // Within the 80 characters a history line gives an outcome, with the words before them.
  pending_dns: 'QFlowHub now says pending DNS',
  sending: 'QFlowHub now says verified and sending',
  switched_off: 'QFlowHub now says verified but switched off',
  no_domain: 'QFlowHub now has no domain',
  unread: 'QFlowHub could not be asked',
  published: 'the DNS provider now has every record',
  not_published: 'the DNS provider does not have every record',
} as const satisfies Record<FoundAfterRestart, string>;

const AFTER_RESTART = 'unknown_after_restart:';

/** The stored outcome of a change a restart interrupted: unknown, and what was found since. */
export const afterRestartOutcome = (found: FoundAfterRestart) => `${AFTER_RESTART}${found}`;

/** "QFlowHub now says verified and sending". */
export const foundWords = (found: FoundAfterRestart): string => FOUND_WORDS[found];

/** "outcome unknown after a restart; QFlowHub now says verified and sending". */
const afterRestartWords = (found: FoundAfterRestart) =>
  `outcome unknown after a restart; ${FOUND_WORDS[found]}`;

/** The words for a stored outcome code; the code itself when the record does not know it. */
export function outcomeWords(outcome: string): string {
  if (Object.hasOwn(OUTCOME_WORDS, outcome)) return OUTCOME_WORDS[outcome as RecordedOutcome];
  const found = outcome.slice(AFTER_RESTART.length);
  if (outcome.startsWith(AFTER_RESTART) && Object.hasOwn(FOUND_WORDS, found))
    return afterRestartWords(found as FoundAfterRestart);
  return outcome;
}
