import { buildConfirmPrompt } from '../blocks/confirm-prompt.js';
import { buildNoDomainMessage } from '../blocks/no-domain-message.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import { catchQflowError } from './catch-qflow-error.js';
import type { Outcome } from './outcome.js';

/** For `/domain deactivate|delete`: reads the domain and asks with a button instead of acting at once. */
export function askToConfirm(qflow: QflowClient, change: 'deactivate' | 'delete'): Promise<Outcome> {
  return catchQflowError(async () => {
    const domain = await qflow.getDomain();
    if (domain === undefined) return { kind: 'info', message: buildNoDomainMessage(), result: 'no_domain' };
    return { kind: 'info', message: buildConfirmPrompt(domain, change), result: 'asked_to_confirm' };
  });
}
