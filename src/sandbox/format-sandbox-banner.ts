import { DOMAIN_PATH } from './domain-routes.js';
import type { Simulator } from './start-simulator.js';

const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** The text `npm run sandbox` prints: where it listens, what to log in with, a curl to start from. */
export function formatSandboxBanner(
  sim: Pick<Simulator, 'url' | 'issuer' | 'credentials'>,
  fault: string,
): string {
  const c = sim.credentials;
  return [
    `QFlowHub sandbox listening on ${sim.url}`,
    `  issuer (OIDC discovery): ${sim.issuer}`,
    `  token endpoint:          ${sim.issuer}/connect/token`,
    `  domain API:              ${sim.url}${DOMAIN_PATH}`,
    `  client id / secret:      ${c.clientId} / ${c.clientSecret}`,
    `  username / password:     ${c.username} / ${c.password}`,
    `  subscription key:        ${c.subscriptionKey}`,
    `  fault:                   ${fault}`,
    '',
    'Get a token:',
    `  curl -s ${sim.issuer}/connect/token -u ${quote(`${c.clientId}:${c.clientSecret}`)} \\`,
    `    -d grant_type=password --data-urlencode username=${quote(c.username)} \\`,
    `    --data-urlencode password=${quote(c.password)} --data-urlencode 'scope=qflowapi openid offline_access'`,
    'Then:',
    `  curl -s ${sim.url}${DOMAIN_PATH} -H 'Authorization: Bearer <access_token>' \\`,
    `    -H ${quote(`Ocp-Apim-Subscription-Key: ${c.subscriptionKey}`)}`,
    '',
    'Stop with Ctrl-C (SIGINT) or SIGTERM.',
    '',
  ].join('\n');
}
