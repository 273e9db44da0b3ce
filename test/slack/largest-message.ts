import { buildDnsCheckBlocks } from '../../src/blocks/dns-check-blocks.js';
import { buildDomainMessage } from '../../src/blocks/domain-message.js';
import type { SlackMessage } from '../../src/blocks/slack-message.js';
import { classifyRecord } from '../../src/dns-doctor/classify-record.js';
import { detectDnsProvider } from '../../src/dns-doctor/dns-providers.js';
import type { Domain } from '../../src/qflow/schemas.js';
import { buttonClickBody } from '../helpers/slack-requests.js';

// The characters that grow most on the way back: escaped for mrkdwn, then JSON, then form-encoded
// ('<' becomes '&lt;' then '%26lt%3B'; '€' is three UTF-8 bytes, nine once percent-encoded).
const FILLERS = ['<', '€', '"', '\u0001', 'a'];

function worstDomain(filler: string): Domain {
  const long = filler.repeat(3000);
  return {
    id: 2 ** 31,
    domain: long,
    verified: false,
    enabled: false,
    dnsRecords: Array.from({ length: 100 }, () => ({ type: long, host: long, data: long, valid: false })),
  };
}

function worstMessage(filler: string): SlackMessage {
  const domain = worstDomain(filler);
  const zone = filler.repeat(250);
  // The report shows ten records and counts the rest, so one more than that is enough.
  const verdicts = domain.dnsRecords
    .slice(0, 11)
    .map((record) =>
      classifyRecord(record, { answer: { status: 'found', values: [filler.repeat(3000)] }, zone }),
    );
  const nameServers = Array.from({ length: 10 }, () => filler.repeat(300));
  const dnsCheck = buildDnsCheckBlocks({
    verdicts,
    allOk: false,
    zone,
    nameServers,
    provider: detectDnsProvider(nameServers),
    nameServerCheck: 'answered',
    resolvers: [],
    checkedAt: new Date(),
  });
  return buildDomainMessage({
    domain,
    notice: filler.repeat(3000),
    change: { userId: 'U0ALICE', did: filler.repeat(300), at: new Date() },
    dnsCheck,
  });
}

/**
 * The size in bytes of the largest block_actions body Slack can send the bot: a button click carries the
 * whole message back, so the biggest message the bot can draw (every field at its cap, filled with the
 * characters that grow most when escaped and encoded) decides it.
 */
export function largestButtonClickBytes(): number {
  return Math.max(
    ...FILLERS.map((filler) => {
      const body = buttonClickBody(
        'refresh',
        '1:pd0',
        'https://hooks.slack.com/actions/T/1/x',
        {},
        worstMessage(filler),
      );
      return Buffer.byteLength(body);
    }),
  );
}
