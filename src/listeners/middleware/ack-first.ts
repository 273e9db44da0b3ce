import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

/**
 * Acknowledges every request before anything else runs, so Slack's 3-second limit holds however slow
 * permission checks or QFlowHub are. Listeners therefore never call ack() themselves.
 */
export const ackFirst: Middleware<AnyMiddlewareArgs> = async (args) => {
  if ('ack' in args && typeof args.ack === 'function') await args.ack();
  await args.next();
};
