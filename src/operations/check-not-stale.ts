import { domainIdOf } from '../blocks/button-value.js';
import { buildDomainMessage } from '../blocks/domain-message.js';
import { buildNoDomainMessage } from '../blocks/no-domain-message.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import type { Outcome } from './outcome.js';

const NOTICE =
  '⚠️ This message was out of date: the domain has changed since it was posted, so nothing was done. Below is the current state.';

/**
 * For a click on a button drawn for the domain named in `buttonValue`: undefined when that domain is still the
 * current one, else an Outcome that shows the current state instead of acting on the wrong domain.
 */
export async function checkNotStale(qflow: QflowClient, buttonValue: string): Promise<Outcome | undefined> {
  const current = await qflow.getDomain();
  if (current !== undefined && String(current.id) === domainIdOf(buttonValue)) return undefined;
  if (current === undefined) {
    const lead = '⚠️ This message is out of date: there is no sending domain anymore, so nothing was done.';
    return { kind: 'info', message: buildNoDomainMessage(lead), result: 'stale_message', qflowStatus: 404 };
  }
  return {
    kind: 'info',
    message: buildDomainMessage({ domain: current, notice: NOTICE }),
    result: 'stale_message',
    domain: current.domain,
  };
}
