import { describe, expect, it } from 'vitest';
import type { OperationContext } from '../../src/operations/outcome.js';
import { showStatus } from '../../src/operations/read-domain.js';
import { domainBody } from '../helpers/qflow-nock.js';

// No watches, no publishers: the status is drawn from the domain read and the clicked message's history.
const context = (history?: string) => ({ ...(history !== undefined && { history }) }) as OperationContext;
const input = (domain = domainBody()) => ({ via: 'command', argument: '', domain }) as const;

describe('showStatus', () => {
  it('draws one message per read of the domain, shared by every status that read it', async () => {
    const read = input();
    const first = await showStatus(context(), read);
    const second = await showStatus(context(), read);
    expect(second.message).toBe(first.message);
    expect(JSON.stringify(first.message)).toContain('Sending domain mail.yourcompany.com');
  });

  it('draws again for a new read, and for a Refresh carrying its own history line', async () => {
    const read = input();
    const first = await showStatus(context(), read);
    const renamed = await showStatus(context(), input(domainBody({ domain: 'news.yourcompany.com' })));
    expect(JSON.stringify(renamed.message)).toContain('Sending domain news.yourcompany.com');
    const history = 'Started by <@U0ALICE> <!date^1700000000^{date_short_pretty}|today>';
    const refreshed = await showStatus(context(history), read);
    expect(refreshed.message).not.toBe(first.message);
    expect(JSON.stringify(refreshed.message)).toContain('Started by <@U0ALICE>');
    expect(JSON.stringify(first.message)).not.toContain('Started by <@U0ALICE>');
  });
});
