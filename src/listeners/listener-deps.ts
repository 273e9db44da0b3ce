import type { LiveCards } from '../cards/live-cards.js';
import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import type { HandoffSlack } from '../handoff/handoff-slack.js';
import type { AfterPublish, OperationContext } from '../operations/outcome.js';
import type { Publishers } from '../publish/create-publishers.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import type { Store } from '../store/store.js';
import type { Watches } from '../watch/watch-schedule.js';
import type { DomainRequest } from './middleware/domain-request.js';

/** What the listeners need from the outside world, injected so tests can supply their own. */
export interface ListenerDeps {
  readonly qflow: QflowClient;
  /** True when QFlowHub is the embedded simulator: every message then says so. */
  readonly sandbox: boolean;
  readonly now: () => Date;
  /** The bot's memory, possibly still opening: a request that needs it waits (after its ack). */
  readonly store: Promise<Store>;
  /** A channel that receives a copy of every change (AUDIT_CHANNEL). */
  readonly auditChannel?: string;
  /** Where the DNS doctor looks records up (DNS_RESOLVERS); the system's resolvers by default. */
  readonly dns?: DnsCheckOptions;
  /** Every value that must never reach Slack: the configured secrets and the tokens held right now. */
  readonly secrets: () => readonly string[];
  /** The DNS providers the bot may publish records at (CLOUDFLARE_API_TOKEN, ROUTE53_ENABLED, DNS_UPDATE_*). */
  readonly publishers?: Publishers;
  /** Called after records were published: starts a watch. */
  readonly afterPublish?: AfterPublish;
  /** The watches (pg-boss jobs): started by `/domain start`, `watch` and Watch, shown by status. */
  readonly watches?: Watches;
  /** The domain's cards in the channels, posted by the changes announced and redrawn by every change. */
  readonly cards?: LiveCards;
}

/** The context an operation runs in, built once per request: who asks, now, and what it may use. */
export function operationContext(
  deps: ListenerDeps,
  request: DomainRequest,
  slack: HandoffSlack,
): OperationContext {
  return {
    slack,
    qflow: deps.qflow,
    store: deps.store,
    actor: { userId: request.userId, teamId: request.teamId, channelId: request.channelId },
    at: deps.now(),
    ...(deps.dns && { dns: deps.dns }),
    ...(deps.publishers && { publishers: deps.publishers }),
    ...(deps.afterPublish && { afterPublish: deps.afterPublish }),
    ...(deps.watches && { watches: deps.watches }),
    ...(request.history !== undefined && { history: request.history }),
  };
}
