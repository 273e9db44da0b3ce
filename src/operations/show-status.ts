import { buildDomainMessage } from '../blocks/domain-message.js';
import { buildNoDomainMessage } from '../blocks/no-domain-message.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import { catchQflowError } from './catch-qflow-error.js';
import type { Outcome } from './outcome.js';

/** The current domain, its state and its records: one GET, nothing changed. */
export function showStatus(qflow: QflowClient): Promise<Outcome> {
  return catchQflowError(async () => {
    const domain = await qflow.getDomain();
    if (domain === undefined) return { kind: 'info', message: buildNoDomainMessage(), result: 'no_domain' };
    return { kind: 'info', message: buildDomainMessage({ domain }), result: 'shown' };
  });
}
