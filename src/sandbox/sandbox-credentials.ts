/** The credentials a simulator accepts: OAuth client, Qflow user and APIM subscription key. */
export interface SandboxCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
  readonly subscriptionKey: string;
}

/** Obviously fake defaults; the bot uses these when it embeds the simulator. */
export const SANDBOX_CREDENTIALS: SandboxCredentials = Object.freeze({
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  username: 'sandbox@example.com',
  password: 'sandbox-password',
  subscriptionKey: 'sandbox-subscription-key',
});
