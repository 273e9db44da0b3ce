import type { DnsCheckBlocks } from '../blocks/dns-check-blocks.js';
import { buildDomainMessage, type DomainView } from '../blocks/domain-message.js';
import { domainState } from '../blocks/domain-state.js';
import { buildHelpMessage } from '../blocks/help-message.js';
import {
  buildHistoryMessage,
  buildHistoryUnavailableMessage,
  HISTORY_LENGTH,
} from '../blocks/history-message.js';
import { readinessStatusLine } from '../blocks/readiness-blocks.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { DnsCheckReport } from '../dns-doctor/dns-check-report.js';
import type { Domain } from '../qflow/schemas.js';
import { StoreError } from '../store/store-error.js';
import { cardOf, historyOf } from './change-domain.js';
import type { ActionInput, DomainInput, OperationContext, Outcome } from './outcome.js';
import { publishOfferFromReport, publishOfferWithoutDns } from './publish-offer.js';
import { watchedMark, watchStatus } from './watch-lookup.js';

// A burst of statuses shares one read of the domain (src/qflow/shared-read.ts), and draws the same message
// from it: it is drawn once per answer and kept with it (weakly: it goes when the answer does), so its block
// lists are also serialized once for all the replies (src/listeners/scrubbed-json.ts). The latest view
// only: a status carries no history line, a Refresh carries its message's.
const drawn = new WeakMap<Domain, { readonly key: string; readonly message: SlackMessage }>();

function drawStatus(
  view: Pick<DomainView, 'domain' | 'notice' | 'watched' | 'history' | 'publishTo'>,
): SlackMessage {
  const key = JSON.stringify([view.notice, view.watched, view.history, view.publishTo]);
  const known = drawn.get(view.domain);
  if (known?.key === key) return known.message;
  const message = buildDomainMessage({ ...view, readiness: readinessStatusLine(view.domain) });
  drawn.set(view.domain, { key, message });
  return message;
}

/** The current domain, its state and its records (the dispatcher has read it: nothing more is called). */
export async function showStatus(context: OperationContext, { domain }: DomainInput): Promise<Outcome> {
  const watching = await watchStatus(context, domain);
  return {
    kind: 'redrawn',
    message: drawStatus({
      domain,
      ...(watching && { notice: watching, watched: true }),
      ...historyOf(context),
      ...publishOfferWithoutDns(context, domain),
    }),
    result: 'shown',
    domain: domain.domain,
    card: cardOf(domain),
  };
}

/**
 * Runs the DNS doctor on the domain's records (at public resolvers and the zone's own name servers),
 * and checks the domain is ready to send (SPF, DMARC, alignment).
 */
export async function runDnsCheck(
  context: OperationContext,
  domain: Domain,
): Promise<{ report: DnsCheckReport; dnsCheck: DnsCheckBlocks }> {
  // The DNS doctor (and the public suffix list it carries) loads on first use, not at every start-up.
  const [{ checkDnsRecords }, { buildDnsCheckBlocks }] = await Promise.all([
    import('../dns-doctor/check-dns-records.js'),
    import('../blocks/dns-check-blocks.js'),
  ]);
  const report = await checkDnsRecords(domain.dnsRecords, context.dns, domain.domain);
  return { report, dnsCheck: buildDnsCheckBlocks(report, domainState(domain)) };
}

/**
 * Looks each of the domain's records up in DNS and shows the verdicts under the records, with Publish
 * when a record is not right and the bot can write to the zone's provider.
 */
export async function checkDns(context: OperationContext, { domain }: DomainInput): Promise<Outcome> {
  const { report, dnsCheck } = await runDnsCheck(context, domain);
  const offer = await publishOfferFromReport(context, report);
  const result = dnsCheck.unreachable ? 'dns_unreachable' : report.allOk ? 'dns_all_ok' : 'dns_problems';
  const outcome: Outcome = {
    kind: 'info',
    message: buildDomainMessage({
      domain,
      dnsCheck,
      ...historyOf(context),
      ...offer,
      ...(await watchedMark(context, domain)),
    }),
    result,
    domain: domain.domain,
    card: cardOf(domain),
  };
  return outcome;
}

/** `/domain help`: every verb's usage, from the action table. */
export async function showHelp(_context: OperationContext, _input: ActionInput): Promise<Outcome> {
  return { kind: 'info', message: buildHelpMessage(), result: 'help' };
}

/** `/domain history`: the last events from the store, newest first; a store that is away says so. */
export async function showHistory(context: OperationContext, _input: ActionInput): Promise<Outcome> {
  try {
    const events = await (await context.store).recentEvents(HISTORY_LENGTH);
    return { kind: 'info', message: buildHistoryMessage(events), result: 'history' };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return { kind: 'refused', message: buildHistoryUnavailableMessage(), result: 'store_unavailable' };
  }
}
