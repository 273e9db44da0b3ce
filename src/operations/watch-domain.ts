import { buildDomainMessage } from '../blocks/domain-message.js';
import { domainState, STATE_NAMES } from '../blocks/domain-state.js';
import { domainCode } from '../blocks/shown-domain.js';
import type { Domain } from '../qflow/schemas.js';
import { StoreError } from '../store/store-error.js';
import { isWatchAgainValue, watchStartedLine } from '../watch/watch-messages.js';
import { historyOf } from './change-domain.js';
import type { DomainInput, OperationContext, Outcome } from './outcome.js';

const STORE_AWAY =
  'the bot’s store did not answer, so no watch could be queued. Run `/domain watch` in a moment.';

/**
 * Starts watching `domain` for the person acting, in the channel they asked in. Resolves with the
 * context line that says so, or why not, and whether a watch runs now (the message then offers no
 * Watch); undefined when the bot runs without watches.
 */
export async function startWatching(context: OperationContext, domain: Domain) {
  const { watches, actor } = context;
  if (watches === undefined) return undefined;
  try {
    const started = await watches.start({
      domain: domain.domain,
      domainId: domain.id,
      startedBy: actor.userId,
      channel: actor.channelId,
    });
    const line = started === 'started' ? watchStartedLine(watches.timing) : alreadyLine(domain);
    return { started, line, watched: true };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return { started: 'failed' as const, line: `⚠️ Not watching: ${STORE_AWAY}`, watched: false };
  }
}

const alreadyLine = (domain: Domain) =>
  `👀 Already watching ${domainCode(domain.domain)}: one watch per domain. \`/domain status\` shows the next check.`;

async function stopWatching(context: OperationContext, domain: Domain): Promise<Outcome> {
  const stopped = await context.watches?.stop(domain.domain, context.actor.userId);
  const notice = stopped
    ? `⏹️ Stopped watching ${domainCode(domain.domain)}: no more DNS checks, automatic verify or drift alerts. \`/domain watch\` starts again.`
    : `ℹ️ ${domainCode(domain.domain)} was not being watched, so nothing was stopped.`;
  return {
    kind: stopped ? 'changed' : 'info',
    message: buildDomainMessage({ domain, notice, ...historyOf(context) }),
    result: stopped ? 'watch_stopped' : 'not_watching',
    domain: domain.domain,
  };
}

/**
 * `/domain watch` and the Watch (again) button start a watch on a pending domain; `/domain watch off`
 * stops a domain's watch and its drift monitoring, in any state.
 */
export async function watchDomain(context: OperationContext, input: DomainInput): Promise<Outcome> {
  const { domain } = input;
  if (context.watches === undefined || context.actor.channelId === '') {
    return {
      kind: 'refused',
      message: buildDomainMessage({
        domain,
        notice: '⚠️ Watching is not available here: nothing was started.',
      }),
      result: 'not_watching',
      domain: domain.domain,
    };
  }
  try {
    if (input.argument === 'off') return await stopWatching(context, domain);
    const state = domainState(domain);
    if (state !== 'pending_dns') {
      const notice = `ℹ️ ${domainCode(domain.domain)} is ${STATE_NAMES[state]}: there is nothing to wait for. Watching starts on a pending domain.`;
      return { kind: 'info', message: buildDomainMessage({ domain, notice }), result: 'not_in_this_state' };
    }
    const watching = await startWatching(context, domain);
    const started = watching?.started === 'started';
    const change = { userId: context.actor.userId, did: 'Watch started', at: context.at };
    // Watch again on a give-up reply: its last DNS report stays, the new watch is announced below it.
    const fromGiveUp = input.via === 'button' && isWatchAgainValue(input.buttonValue ?? '');
    return {
      kind: started ? 'changed' : 'info',
      message: buildDomainMessage({
        domain,
        ...(started ? { change } : historyOf(context)),
        ...(watching && (started ? { watching: watching.line } : { notice: watching.line })),
        watched: watching?.watched ?? false,
      }),
      ...(started && fromGiveUp && { keepClicked: true }),
      result: started
        ? 'watching'
        : watching?.started === 'failed'
          ? 'store_unavailable'
          : 'already_watching',
      domain: domain.domain,
    };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    const notice = `⚠️ The bot’s store did not answer, so nothing was ${input.argument === 'off' ? 'stopped' : 'started'}. Try again in a moment.`;
    return {
      kind: 'refused',
      message: buildDomainMessage({ domain, notice, ...historyOf(context) }),
      result: 'store_unavailable',
      domain: domain.domain,
    };
  }
}
