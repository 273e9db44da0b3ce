/** Printed by `npm start` when nothing is configured at all: how to get from zero to a running bot. */
export const GETTING_STARTED = `qflow-domain-bot needs a Slack app before it can run.

1. Create the Slack app: https://api.slack.com/apps → Create New App → From an app manifest,
   and paste manifest.yml from this repository. Install it to your workspace.
2. Set the variables (in the environment or in a .env file, see .env.example):
     SLACK_BOT_TOKEN       the Bot User OAuth Token (xoxb-…)
     SLACK_SIGNING_SECRET  Basic Information → Signing Secret (HTTP mode), or
     SLACK_APP_TOKEN       an app-level token (xapp-…) with connections:write (Socket Mode, no public URL)
   Leave the QFLOW_* variables unset to try the bot against its built-in QFlowHub sandbox.
3. Run npm start again.

Details: README.md, section "Setup".
`;

/** True when not a single variable the bot reads is set: a first run, not a typo. */
export function isUnconfigured(env: Record<string, string | undefined>): boolean {
  return !Object.entries(env).some(
    ([name, value]) => /^(SLACK|QFLOW)_/.test(name) && value !== undefined && value !== '',
  );
}
