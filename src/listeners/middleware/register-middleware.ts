import type { App } from '@slack/bolt';
import { createAccessPolicy } from '../../access/access-policy.js';
import type { Config } from '../../config/load-config.js';
import { ackFirst } from './ack-first.js';
import { dropRepeats } from './drop-repeats.js';
import { requireChangePermission } from './require-change-permission.js';
import { requireHomeWorkspace } from './require-home-workspace.js';
import { createInFlight, type InFlight } from './track-in-flight.js';

/**
 * Registers the cross-cutting rules, in order: ack at once, count the work in flight, refuse other
 * workspaces, check permission for changes, then drop repeats. Returns the in-flight counter for shutdown.
 */
export function registerMiddleware(
  app: App,
  access: Config['access'],
  now: () => number = Date.now,
): InFlight {
  const inFlight = createInFlight();
  app.use(ackFirst);
  app.use(inFlight.middleware);
  if (access.teamId !== undefined) app.use(requireHomeWorkspace(access.teamId));
  app.use(requireChangePermission(createAccessPolicy(access, now), access));
  app.use(dropRepeats(now));
  return inFlight;
}
