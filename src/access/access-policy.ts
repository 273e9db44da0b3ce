import type { App } from '@slack/bolt';
import type { Config } from '../config/load-config.js';
import { createTtlCache } from './ttl-cache.js';

type WebClient = App['client'];

/** Why a user may change the domain, or the rule they do not meet. */
export type AccessDecision =
  | { readonly allowed: true; readonly via: 'admin_list' | 'admin_group' | 'workspace_admin' }
  | { readonly allowed: false; readonly reason: 'not_listed' | 'lookup_failed' };

export interface AccessPolicy {
  /** Decides whether `userId` may change the domain; fails closed when Slack cannot be asked. */
  canChange(client: WebClient, userId: string): Promise<AccessDecision>;
}

// Long enough to spare Slack's rate limits on a busy day, short enough that a revoked admin loses access soon.
const CACHE_MS = 5 * 60_000;

/** Who may change the domain: DOMAIN_ADMINS, then DOMAIN_ADMIN_GROUP, else the workspace's admins and owners. */
export function createAccessPolicy(access: Config['access'], now: () => number = Date.now): AccessPolicy {
  const groupMembers = createTtlCache<ReadonlySet<string>>(CACHE_MS, now);
  const workspaceAdmins = createTtlCache<boolean>(CACHE_MS, now);

  async function inGroup(client: WebClient, group: string, userId: string): Promise<boolean> {
    let members = groupMembers.get(group);
    if (members === undefined) {
      const result = await client.usergroups.users.list({ usergroup: group });
      members = new Set(result.users ?? []);
      groupMembers.set(group, members);
    }
    return members.has(userId);
  }

  async function isWorkspaceAdmin(client: WebClient, userId: string): Promise<boolean> {
    let admin = workspaceAdmins.get(userId);
    if (admin === undefined) {
      const { user } = await client.users.info({ user: userId });
      admin = user?.is_admin === true || user?.is_owner === true || user?.is_primary_owner === true;
      workspaceAdmins.set(userId, admin);
    }
    return admin;
  }

  return {
    async canChange(client, userId) {
      if (access.admins.includes(userId)) return { allowed: true, via: 'admin_list' };
      try {
        if (access.adminGroup !== undefined) {
          if (await inGroup(client, access.adminGroup, userId)) return { allowed: true, via: 'admin_group' };
        } else if (access.admins.length === 0 && (await isWorkspaceAdmin(client, userId))) {
          return { allowed: true, via: 'workspace_admin' };
        }
        return { allowed: false, reason: 'not_listed' };
      } catch {
        return { allowed: false, reason: 'lookup_failed' };
      }
    },
  };
}
