import { buildDomainMessage } from '../blocks/domain-message.js';
import { domainCode } from '../blocks/shown-domain.js';
import type { Domain } from '../qflow/schemas.js';
import { StoreError } from '../store/store-error.js';
import { isWatchAgainValue, watchModeLine } from '../watch/watch-messages.js';
import { cardOf, historyOf } from './change-domain.js';
import type { DomainInput, OperationContext, Outcome } from './outcome.js';
import { watchLine } from './watch-lookup.js';

const STORE_AWAY =
  'the bot’s store did not answer, so no watch could be queued. Run `/domain watch` in a moment.';

/**
 * Starts watching `domain` for the person acting, in the channel they asked in: until it is verified,
 * or for drift once it is. Resolves with the context line that says so, or why not, and whether a watch
 * runs now (the message then offers Stop watching); undefined when the bot runs without watches.
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
      verified: domain.verified,
    });
    const mode = domain.verified ? 'monitoring' : 'waiting';
    const line = started === 'started' ? watchModeLine(mode, watches.timing) : alreadyLine(domain);
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
  const change = { userId: context.actor.userId, did: 'Watch stopped', at: context.at };
  return {
    kind: stopped ? 'changed' : 'info',
    message: buildDomainMessage({
      domain,
      notice,
      ...(stopped ? { change } : historyOf(context)),
      ...(await watchLine(context, domain)),
    }),
    result: stopped ? 'watch_stopped' : 'not_watching',
    domain: domain.domain,
    card: stopped ? cardOf(domain, change) : cardOf(domain),
  };
}

/**
 * `/domain watch` and the Watch (again) button start a watch: until a pending domain is verified, or for
 * drift on a verified one; `/domain watch off` and Stop watching stop a domain's watch, in any state.
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
      card: cardOf(domain),
    };
  }
  try {
    if (input.argument === 'off') return await stopWatching(context, domain);
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
      card: started ? cardOf(domain, change) : cardOf(domain),
    };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    const notice = `⚠️ The bot’s store did not answer, so nothing was ${input.argument === 'off' ? 'stopped' : 'started'}. Try again in a moment.`;
    return {
      kind: 'refused',
      message: buildDomainMessage({ domain, notice, ...historyOf(context) }),
      result: 'store_unavailable',
      domain: domain.domain,
      card: cardOf(domain),
    };
  }
}
