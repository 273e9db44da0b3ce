import type { Logger } from '@slack/bolt';
import { mentionUser } from '../blocks/mrkdwn.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { WatchEffect } from './watch-decision.js';
import { buildInviteDm, buildVerifiedDm, buildWatchMessage } from './watch-message.js';
import { buildWatchReply } from './watch-replies.js';
import { type WatchSlack, WatchSlackError } from './watch-slack.js';
import type { WatchState } from './watch-state.js';

/** The audit line of an automatic verify: in the name of the person who started the watch. */
export interface WatchAuditEntry {
  readonly at: Date;
  readonly userId: string;
  readonly action: 'verify';
  readonly domain: string;
  readonly outcome: 'verified';
  /** "verified automatically — watch started by <@U…>", for the audit channel's copy. */
  readonly note: string;
}

/** What applying the effects needs. */
export interface EffectDeps {
  readonly slack: WatchSlack;
  readonly now: () => number;
  /** The bot's own user id, for "/invite @bot" in the invite DM. */
  readonly botUserId: string;
  /** Writes the audit line (store and AUDIT_CHANNEL copy) for an automatic verify. */
  readonly recordAudit: (entry: WatchAuditEntry) => Promise<void>;
  readonly logger: Logger;
}

/** Applies effects to Slack and the audit log, carrying what they teach (message ts, invite asked) into the state. */
export function createEffectApplier(deps: EffectDeps, initial: WatchState) {
  let state = initial;
  const { slack, logger } = deps;

  async function cannotPost(error: unknown, what: string): Promise<void> {
    if (!(error instanceof WatchSlackError)) throw error;
    logger.warn(
      { watch: state.phase, domain: state.domain, slack_error: error.code, what },
      'watch: Slack refused a post',
    );
    if (error.code === 'failed' || state.inviteAsked) return;
    try {
      await slack.dm(state.startedBy, buildInviteDm(state.domain, state.channel, deps.botUserId));
      state = { ...state, inviteAsked: true };
    } catch (dmError) {
      if (!(dmError instanceof WatchSlackError)) throw dmError;
      logger.warn({ domain: state.domain, slack_error: dmError.code }, 'watch: the invite DM failed too');
    }
  }

  // A DM that fails is logged, never retried: the job must not fail after verify ran.
  async function dmQuietly(message: SlackMessage, what: string): Promise<void> {
    try {
      await slack.dm(state.startedBy, message);
    } catch (error) {
      if (!(error instanceof WatchSlackError)) throw error;
      logger.warn(
        { domain: state.domain, slack_error: error.code, what },
        'watch: a DM to the starter failed',
      );
    }
  }

  async function applyOne(effect: WatchEffect): Promise<void> {
    switch (effect.type) {
      case 'show': {
        const message = buildWatchMessage(effect.view);
        try {
          if (state.messageTs === undefined) {
            state = { ...state, messageTs: await slack.post(state.channel, message) };
          } else {
            await slack.update(state.channel, state.messageTs, message);
          }
        } catch (error) {
          // Not shown: draw it again at the next check.
          const { shown: _notShown, ...rest } = state;
          state = rest;
          await cannotPost(error, 'watch message');
        }
        return;
      }
      case 'reply': {
        const reply = buildWatchReply(effect.reply, state);
        try {
          await slack.post(state.channel, reply, state.messageTs);
        } catch (error) {
          await cannotPost(error, effect.reply.kind);
          // What the channel cannot hear, the starter still does (verification has its own DM).
          if (effect.reply.kind !== 'verified') await dmQuietly(reply, effect.reply.kind);
        }
        return;
      }
      case 'dm_verified':
        await dmQuietly(buildVerifiedDm(state.domain, state.channel), 'verified');
        return;
      case 'audit_verified':
        // The verify happened: an audit store that is down must not fail the job (a retry would verify again).
        await deps
          .recordAudit({
            at: new Date(deps.now()),
            userId: state.startedBy,
            action: 'verify',
            domain: state.domain,
            outcome: 'verified',
            note: `verified automatically — watch started by ${mentionUser(state.startedBy)}`,
          })
          .catch((error: unknown) =>
            logger.error(
              { err: error, domain: state.domain },
              'watch: the audit line of an automatic verify was not written',
            ),
          );
        return;
      case 'verify':
        // Run by runWatchCheck, which feeds the answer back to the core.
        return;
    }
  }

  return {
    state: () => state,
    async apply(next: WatchState, effects: readonly WatchEffect[]) {
      // The decision's state, plus what the Slack calls so far taught this one.
      state = {
        ...next,
        messageTs: state.messageTs ?? next.messageTs,
        inviteAsked: state.inviteAsked || next.inviteAsked,
      };
      for (const effect of effects) await applyOne(effect);
    },
  };
}
