import { buildStoreUnavailableMessage, textMessage } from '../blocks/short-messages.js';
import type { DnsCheckReport } from '../dns-doctor/dns-check-report.js';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import { COPY_FORMATS, isCopyFormat } from '../handoff/copy-as.js';
import { buildHandoffSent, buildNoPersonMessage, handoffRefusal } from '../handoff/handoff-answers.js';
import { buildCopyAnswer, buildHandoffCheck, buildHandoffDm, zoneOf } from '../handoff/handoff-messages.js';
import { type HandoffSlack, HandoffSlackError } from '../handoff/handoff-slack.js';
import type { Domain } from '../qflow/schemas.js';
import type { Handoff, Store } from '../store/store.js';
import { StoreError } from '../store/store-error.js';
import { watchStartFor } from '../watch/watch-model.js';
import type { DomainInput, OperationContext, Outcome } from './outcome.js';

/** The person named: a mention (`<@U123>`, as the command parser leaves it) or a bare user id. */
function parsePerson(argument: string): string | undefined {
  const match = /^(?:<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>|([UW][A-Z0-9]{2,}))$/.exec(argument.trim());
  return match?.[1] ?? match?.[2];
}

/** The DNS doctor on the domain's records: which zone, whose name servers, which provider, what is published. */
async function lookUp(context: OperationContext, domain: Domain): Promise<DnsCheckReport> {
  // The DNS doctor (and the public suffix list it carries) loads on first use.
  const { checkDnsRecords } = await import('../dns-doctor/check-dns-records.js');
  return checkDnsRecords(domain.dnsRecords, context.dns);
}

// Asked again: the DM sent before is redrawn, so the person keeps one; a DM deleted since is sent anew.
async function redrawOrSend(
  slack: HandoffSlack,
  userId: string,
  previous: Handoff | undefined,
  message: Parameters<HandoffSlack['sendDm']>[1],
): Promise<{ channel: string; ts: string; updated: boolean }> {
  if (previous !== undefined) {
    try {
      await slack.update(previous.channel, previous.ts, message);
      return { channel: previous.channel, ts: previous.ts, updated: true };
    } catch (error) {
      if (!(error instanceof HandoffSlackError) || error.code !== 'message_not_found') throw error;
    }
  }
  return { ...(await slack.sendDm(userId, message)), updated: false };
}

// The DM promises to say when the records are published: that is the watch's to see.
async function keepWatching(context: OperationContext, domain: Domain): Promise<boolean> {
  const { watches, actor } = context;
  const start = watchStartFor(domain, actor);
  if (watches === undefined || start === undefined) return false;
  return watches.start(start).then(
    () => true,
    (error: unknown) => {
      if (error instanceof StoreError) return false;
      throw error;
    },
  );
}

const storeAway = (domain: Domain): Outcome => ({
  kind: 'refused',
  message: buildStoreUnavailableMessage(),
  result: 'store_unavailable',
  domain: domain.domain,
});

/**
 * `/domain handoff @dana` and the picker on the card: DMs the person the records to publish with their
 * DNS provider's steps (or redraws the DM sent them before), remembers it for the follow-through, and
 * tells the asker it went out, or why it could not (a deactivated user, a bot, someone the app may not DM).
 */
export async function handOff(
  context: OperationContext,
  { domain, argument }: DomainInput,
): Promise<Outcome> {
  const userId = parsePerson(argument);
  if (userId === undefined)
    return { kind: 'refused', message: buildNoPersonMessage(argument), result: 'handoff_no_person' };
  let store: Store;
  let previous: Handoff | undefined;
  try {
    store = await context.store;
    previous = (await store.handoffsOf(domain.domain)).find(
      (handoff) => handoff.userId === userId && handoff.domainId === domain.id,
    );
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return storeAway(domain);
  }
  const report = await lookUp(context, domain);
  const view = {
    domain,
    askedBy: context.actor.userId,
    askedAt: context.at,
    status: 'asked' as const,
    zone: zoneOf(domain, report.zone),
    nameServers: report.nameServers,
    provider: report.provider,
  };
  let sent: Awaited<ReturnType<typeof redrawOrSend>>;
  try {
    await context.slack.checkPerson(userId);
    sent = await redrawOrSend(context.slack, userId, previous, buildHandoffDm(view));
  } catch (error) {
    if (!(error instanceof HandoffSlackError)) throw error;
    return { kind: 'refused', ...handoffRefusal(error.code, userId), domain: domain.domain };
  }
  const { channel, ts, updated } = sent;
  const handoff: Handoff = {
    domain: domain.domain,
    domainId: domain.id,
    userId,
    askedBy: context.actor.userId,
    channel,
    ts,
    askedAt: context.at,
    status: 'asked',
  };
  // The DM went out: a store that fails now costs only its follow-through, which a new hand-off restores.
  await store.saveHandoff(handoff).catch((error: unknown) => {
    if (!(error instanceof StoreError)) throw error;
  });
  const watched = await keepWatching(context, domain);
  return {
    kind: 'info',
    message: buildHandoffSent(userId, domain.domain, { updated, provider: report.provider?.name, watched }),
    result: updated ? 'handoff_updated' : 'handed_off',
    domain: domain.domain,
    details: { asked: userId },
  };
}

/** The DM's Check DNS, for the colleague (a read): the verdicts and what happens next, without buttons. */
export async function checkForColleague(
  context: OperationContext,
  { domain }: DomainInput,
): Promise<Outcome> {
  const report = await lookUp(context, domain);
  const unreachable =
    report.verdicts.length > 0 && report.verdicts.every((v) => v.status === 'lookup_failed');
  return {
    kind: 'info',
    message: buildHandoffCheck(domain, report),
    result: unreachable ? 'dns_unreachable' : report.allOk ? 'dns_all_ok' : 'dns_problems',
    domain: domain.domain,
  };
}

// The zone the menu option carries, if the records lie in it; else the registrable domain.
function zoneFromOption(domain: Domain, zone: string | undefined): string {
  const name = normalizeDnsName(zone ?? '');
  const within = (host: string) =>
    name !== '' && (normalizeDnsName(host) === name || normalizeDnsName(host).endsWith(`.${name}`));
  return domain.dnsRecords.length > 0 && domain.dnsRecords.every((r) => within(r.host))
    ? name
    : zoneOf(domain, undefined);
}

/** The DM's "Copy as": the records as Terraform, dnscontrol or octoDNS, only to the person who asked for them. */
export async function copyRecordsAs(
  _context: OperationContext,
  { domain, argument }: DomainInput,
): Promise<Outcome> {
  const colon = argument.indexOf(':');
  const id = colon === -1 ? argument : argument.slice(0, colon);
  const zone = colon === -1 ? undefined : argument.slice(colon + 1);
  if (!isCopyFormat(id))
    return {
      kind: 'refused',
      message: textMessage(
        '⚠️ This menu is out of date: it offers no such format. Press *Check DNS* for the records.',
      ),
      result: 'stale_message',
      domain: domain.domain,
    };
  const message = buildCopyAnswer(COPY_FORMATS[id], domain, zoneFromOption(domain, zone));
  return { kind: 'info', message, result: 'shown', domain: domain.domain };
}
