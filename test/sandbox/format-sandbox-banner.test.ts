import { describe, expect, it } from 'vitest';
import { formatSandboxBanner } from '../../src/sandbox/format-sandbox-banner.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';

describe('formatSandboxBanner', () => {
  it('prints the URL, issuer, credentials and a runnable curl', () => {
    const url = 'http://127.0.0.1:4010';
    const banner = formatSandboxBanner(
      { url, issuer: `${url}/core`, credentials: SANDBOX_CREDENTIALS },
      'none',
    );
    expect(banner).toContain(`listening on ${url}`);
    expect(banner).toContain(`issuer (OIDC discovery): ${url}/core`);
    expect(banner).toContain('sandbox-client / sandbox-secret');
    expect(banner).toContain('sandbox@example.com / sandbox-password');
    expect(banner).toContain('subscription key:        sandbox-subscription-key');
    expect(banner).toContain(`curl -s ${url}/core/connect/token -u 'sandbox-client:sandbox-secret'`);
    expect(banner).toContain("--data-urlencode 'scope=qflowapi openid offline_access'");
  });

  it('shell-quotes credentials with single quotes in them', () => {
    const credentials = { ...SANDBOX_CREDENTIALS, password: "it's" };
    const banner = formatSandboxBanner({ url: 'http://x', issuer: 'http://x/core', credentials }, 'none');
    expect(banner).toContain(`password='it'\\''s'`);
  });
});
