import type { DnsCheckReport } from '../dns-doctor/dns-check-report.js';
import type { PublisherId } from '../publish/dns-publisher.js';
import type { Domain } from '../qflow/schemas.js';
import type { OperationContext } from './outcome.js';

/** A domain message's Publish button, when it offers one; spread into buildDomainMessage's view. */
type Offer = { publishTo?: PublisherId };

/**
 * The offer on a message drawn without a DNS check (start, status, a Verify that did not pass): the one
 * configured publisher, while QFlowHub still sees a record missing. It asks no DNS, so status stays
 * free of lookups; the click finds the zone, and says so when that publisher does not host it.
 */
export function publishOfferWithoutDns(context: Pick<OperationContext, 'publishers'>, domain: Domain): Offer {
  const { cloudflare, route53, dnsUpdate } = context.publishers ?? {};
  const configured = [
    cloudflare && ('cloudflare' as const),
    route53 && ('route53' as const),
    dnsUpdate && ('dns-update' as const),
  ].filter((id) => id !== undefined);
  const [only] = configured;
  if (only === undefined || configured.length > 1 || domain.dnsRecords.every((r) => r.valid)) return {};
  return { publishTo: only };
}

/**
 * The offer on a DNS check's message: the publisher for the zone whose name servers the report found,
 * while a record is not right or DMARC is missing. Costs at most one SOA lookup (DNS UPDATE beside another publisher).
 */
export async function publishOfferFromReport(
  context: OperationContext,
  report: DnsCheckReport,
): Promise<Offer> {
  const publishers = context.publishers ?? {};
  // A missing DMARC record is one the bot can publish too.
  const dmarcMissing = report.readiness?.dmarc.finding.status === 'missing';
  if ((report.allOk && !dmarcMissing) || report.zone === undefined || Object.keys(publishers).length === 0)
    return {};
  const { choosePublisher, readZonePrimary } = await import('../publish/choose-publisher.js');
  const soleDnsUpdate = publishers.cloudflare === undefined && publishers.route53 === undefined;
  const primary =
    publishers.dnsUpdate && !soleDnsUpdate
      ? await readZonePrimary(report.zone, context.dns?.resolvers ?? [])
      : undefined;
  const publisher = choosePublisher(publishers, { nameServers: report.nameServers, primary });
  return publisher === undefined ? {} : { publishTo: publisher.id };
}
