import { buildDomainMessage } from '../blocks/domain-message.js';
import { buildNoDomainMessage } from '../blocks/no-domain-message.js';
import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import { catchQflowError } from './catch-qflow-error.js';
import type { Outcome } from './outcome.js';

/** Reads the domain, looks each of its records up in DNS, and shows the verdicts under the records. */
export function checkDns(qflow: QflowClient, options: DnsCheckOptions = {}): Promise<Outcome> {
  return catchQflowError(async () => {
    const domain = await qflow.getDomain();
    if (domain === undefined)
      return { kind: 'info', message: buildNoDomainMessage(), result: 'no_domain', qflowStatus: 404 };
    // The DNS doctor (and the public suffix list it carries) loads on first use, not at every start-up.
    const [{ checkDnsRecords }, { buildDnsCheckBlocks }] = await Promise.all([
      import('../dns-doctor/check-dns-records.js'),
      import('../blocks/dns-check-blocks.js'),
    ]);
    const report = await checkDnsRecords(domain.dnsRecords, options);
    const dnsCheck = buildDnsCheckBlocks(report);
    const result = report.allOk ? 'dns_all_ok' : 'dns_problems';
    return {
      kind: 'info',
      message: buildDomainMessage({ domain, dnsCheck }),
      result,
      domain: domain.domain,
      qflowStatus: 200,
    };
  });
}
