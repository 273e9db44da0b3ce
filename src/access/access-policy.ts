import type { App } from '@slack/bolt';
import type { Config } from '../config/load-config.js';
import { createTtlCache } from './ttl-cache.js';

type WebClient = App['client'];

/** Why a user may change the domain, or the rule they do not meet. */
export type AccessDecision =
  | { readonly allowed: true; readonly via: 'admin_list' | 'admin_group' | 'workspace_admin' }
  | { readonly allowed: false; readonly reason: 'not_listed' | 'lookup_failed' | 'other_workspace' };

/** Who asks for a change, as the request names them. */
export interface Requester {
  readonly userId: string;
  /** The workspace the request came from (the channel's side of it). */
  readonly teamId: string;
  /** The user's own workspace, when the request names it (a click's `user.team_id`). */
  readonly userTeamId?: string;
  /** The organization the request came from, and the user's own, when the request names them. */
  readonly enterpriseId?: string;
  readonly userEnterpriseId?: string;
}

export interface AccessPolicy {
  /** Decides whether `requester` may change the domain; fails closed when Slack cannot be asked. */
  canChange(client: WebClient, requester: Requester): Promise<AccessDecision>;
}

// Long enough to spare Slack's rate limits on a busy day, short enough that a revoked admin loses access soon.
const CACHE_MS = 5 * 60_000;

/** What users.info says about a user that decides whether they are an admin here. */
interface SlackUser {
  readonly admin: boolean;
  /** The user's own workspace ('' when Slack did not say). */
  readonly teamId: string;
  /** Slack's mark for a user of another organization met in a shared channel. */
  readonly stranger: boolean;
}

/**
 * Whether the request itself says the user belongs elsewhere than `home` (SLACK_TEAM_ID): in a channel
 * shared with another workspace (Slack Connect), a click arrives with the channel's `team.id`, which is
 * home, and the clicker's own `user.team_id`, which is not.
 */
function namesAnotherWorkspace(requester: Requester, home: string | undefined): boolean {
  if (home === undefined) return false;
  const { userTeamId, enterpriseId, userEnterpriseId } = requester;
  if (userTeamId !== undefined && userTeamId !== home) return true;
  return userEnterpriseId !== undefined && enterpriseId !== undefined && userEnterpriseId !== enterpriseId;
}

/**
 * Who may change the domain: nobody from another workspace; then DOMAIN_ADMINS, then DOMAIN_ADMIN_GROUP,
 * else the workspace's own admins and owners.
 */
export function createAccessPolicy(access: Config['access'], now: () => number = Date.now): AccessPolicy {
  const groupMembers = createTtlCache<ReadonlySet<string>>(CACHE_MS, now);
  const users = createTtlCache<SlackUser>(CACHE_MS, now);

  async function inGroup(client: WebClient, group: string, userId: string): Promise<boolean> {
    let members = groupMembers.get(group);
    if (members === undefined) {
      const result = await client.usergroups.users.list({ usergroup: group });
      members = new Set(result.users ?? []);
      groupMembers.set(group, members);
    }
    return members.has(userId);
  }

  async function lookUp(client: WebClient, userId: string): Promise<SlackUser> {
    let found = users.get(userId);
    if (found === undefined) {
      const { user } = await client.users.info({ user: userId });
      found = {
        admin: user?.is_admin === true || user?.is_owner === true || user?.is_primary_owner === true,
        teamId: user?.team_id ?? '',
        stranger: user?.is_stranger === true,
      };
      users.set(userId, found);
    }
    return found;
  }

  // users.info reports an admin of the user's own workspace: a Slack Connect partner's admin is one there.
  async function workspaceAdmin(client: WebClient, requester: Requester): Promise<AccessDecision> {
    const user = await lookUp(client, requester.userId);
    if (!user.admin) return { allowed: false, reason: 'not_listed' };
    if (user.stranger || user.teamId !== (access.teamId ?? requester.teamId))
      return { allowed: false, reason: 'other_workspace' };
    return { allowed: true, via: 'workspace_admin' };
  }

  return {
    async canChange(client, requester) {
      if (namesAnotherWorkspace(requester, access.teamId))
        return { allowed: false, reason: 'other_workspace' };
      const { userId } = requester;
      if (access.admins.includes(userId)) return { allowed: true, via: 'admin_list' };
      try {
        if (access.adminGroup !== undefined) {
          if (await inGroup(client, access.adminGroup, userId)) return { allowed: true, via: 'admin_group' };
        } else if (access.admins.length === 0) return await workspaceAdmin(client, requester);
        return { allowed: false, reason: 'not_listed' };
      } catch {
        return { allowed: false, reason: 'lookup_failed' };
      }
    },
  };
}
