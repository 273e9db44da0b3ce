import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/actions/action-table.js';
import { buildConfirmPrompt } from '../../src/blocks/domain-actions.js';
import { buildDomainMessage } from '../../src/blocks/domain-message.js';
import { buildQflowErrorMessage } from '../../src/blocks/error-message.js';
import { parseDomainName } from '../../src/domain-name/parse-domain-name.js';
import { QflowError } from '../../src/qflow/qflow-error.js';
import type { Domain } from '../../src/qflow/schemas.js';
import { blockKitProblems, unescapedControlSequences } from '../helpers/block-kit-problems.js';

// Whatever QFlowHub sends back (it is not ours to trust) must render within Slack's limits and safely.
const apiText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 300 }),
  fc.constantFrom('<!channel>', '<@U0BOSS> *hi*', '`x`', 'a'.repeat(3000), '<https://evil|x>', '&<>'),
);
const domain: fc.Arbitrary<Domain> = fc.record({
  id: fc.nat(),
  domain: apiText,
  verified: fc.boolean(),
  enabled: fc.boolean(),
  dnsRecords: fc.array(fc.record({ type: apiText, host: apiText, data: apiText, valid: fc.boolean() }), {
    maxLength: 150,
  }),
});

const safe = (message: { text: string; blocks: unknown[]; attachments?: unknown[] }) => {
  expect(blockKitProblems(message as never)).toEqual([]);
  expect(unescapedControlSequences(message as never)).toEqual([]);
};

describe('block builders under arbitrary API data', () => {
  it('the domain message stays valid and escaped', () => {
    fc.assert(
      fc.property(domain, fc.option(apiText, { nil: undefined }), (d, notice) => {
        safe(
          buildDomainMessage({
            domain: d,
            ...(notice !== undefined && { notice: notice.replace(/[<>&]/g, '') }),
          }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('the confirmation prompt stays valid and escaped', () => {
    fc.assert(
      fc.property(domain, fc.constantFrom(ACTIONS.deactivate.button, ACTIONS.delete.button), (d, button) =>
        safe(buildConfirmPrompt(button, d)),
      ),
      {
        numRuns: 300,
      },
    );
  });

  it('error messages stay valid and escaped whatever QFlowHub said', () => {
    const code = fc.constantFrom(
      'sendgrid_create_failed' as const,
      'bad_request' as const,
      'server_error' as const,
    );
    fc.assert(
      fc.property(code, apiText, fc.integer({ min: 100, max: 599 }), (c, detail, status) =>
        safe(buildQflowErrorMessage(new QflowError(c, { detail, status }))),
      ),
      {
        numRuns: 300,
      },
    );
  });
});

describe('parseDomainName under arbitrary text', () => {
  it('never throws, and anything it accepts is a valid ASCII DNS name', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.domain(), fc.webUrl(), fc.emailAddress()),
        (typed) => {
          const parsed = parseDomainName(typed);
          if (!parsed.ok) return;
          expect(parsed.ascii.length).toBeLessThanOrEqual(253);
          for (const label of parsed.ascii.split('.'))
            expect(label).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
          expect(parsed.ascii.split('.').length).toBeGreaterThanOrEqual(2);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accepts every domain fast-check can generate', () => {
    fc.assert(
      fc.property(fc.domain(), (d) => {
        fc.pre(d.includes('.') && !/^\d+$/.test(d.split('.').at(-1) ?? ''));
        expect(parseDomainName(d)).toMatchObject({ ok: true, ascii: d.toLowerCase() });
      }),
      { numRuns: 1000 },
    );
  });
});
