import type { App } from '@slack/bolt';
import { registerDomainButtons } from './actions/domain-buttons.js';
import { registerDomainCommand } from './commands/domain-command.js';
import type { ListenerDeps } from './listener-deps.js';

/** Registers every listener of the bot on `app`. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerDomainCommand(app, deps);
  registerDomainButtons(app, deps);
}
