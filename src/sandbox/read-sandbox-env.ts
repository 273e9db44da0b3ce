import { z } from 'zod';
import { DOMAIN_FAULT_MODES, type SimulatorFaults } from './faults.js';
import type { SimulatorOptions } from './simulator-options.js';

export const SANDBOX_FAULTS = [...DOMAIN_FAULT_MODES, 'identity_down'] as const;
export type SandboxFault = (typeof SANDBOX_FAULTS)[number];

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const sandboxEnvSchema = z.object({
  SANDBOX_PORT: wholeNumber(0, 65_535).default(4010),
  SANDBOX_PROPAGATION_SECONDS: wholeNumber(0, 7 * 86_400).optional(),
  SANDBOX_TOKEN_LIFETIME_SECONDS: wholeNumber(1, 7 * 86_400).optional(),
  SANDBOX_LATENCY_MS: wholeNumber(0, 600_000).optional(),
  SANDBOX_DOMAIN_DELAY_MS: wholeNumber(0, 600_000).optional(),
  SANDBOX_FAULT: z.enum(SANDBOX_FAULTS, { error: `must be one of: ${SANDBOX_FAULTS.join(', ')}` }).optional(),
  SANDBOX_RETRY_AFTER_SECONDS: wholeNumber(0, 86_400).optional(),
  SANDBOX_SERVER_ERROR_STATUS: z
    .enum(['500', '502', '503'], { error: 'must be 500, 502 or 503' })
    .transform((s) => Number(s) as 500 | 502 | 503)
    .optional(),
});

export type SandboxEnvResult =
  | { readonly ok: true; readonly options: SimulatorOptions; readonly fault: SandboxFault }
  | { readonly ok: false; readonly message: string };

function toFaults(env: z.infer<typeof sandboxEnvSchema>, fault: SandboxFault): Partial<SimulatorFaults> {
  return {
    ...(fault === 'identity_down' ? { identityDown: true } : { mode: fault }),
    ...(env.SANDBOX_LATENCY_MS === undefined ? {} : { latencyMs: env.SANDBOX_LATENCY_MS }),
    ...(env.SANDBOX_DOMAIN_DELAY_MS === undefined ? {} : { domainDelayMs: env.SANDBOX_DOMAIN_DELAY_MS }),
    ...(env.SANDBOX_RETRY_AFTER_SECONDS === undefined
      ? {}
      : { retryAfterSeconds: env.SANDBOX_RETRY_AFTER_SECONDS }),
    ...(env.SANDBOX_SERVER_ERROR_STATUS === undefined
      ? {}
      : { serverErrorStatus: env.SANDBOX_SERVER_ERROR_STATUS }),
  };
}

/**
 * Maps SANDBOX_* variables to simulator options (pure; pass your own env in tests).
 * Empty values count as unset. Every bad variable is reported at once, by name.
 */
export function readSandboxEnv(env: Readonly<Record<string, string | undefined>>): SandboxEnvResult {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = sandboxEnvSchema.safeParse(present);
  if (!parsed.success) {
    return { ok: false, message: `Invalid sandbox environment:\n${z.prettifyError(parsed.error)}` };
  }
  const data = parsed.data;
  const fault = data.SANDBOX_FAULT ?? 'none';
  const options: SimulatorOptions = {
    port: data.SANDBOX_PORT,
    faults: toFaults(data, fault),
    ...(data.SANDBOX_PROPAGATION_SECONDS === undefined
      ? {}
      : { propagationSeconds: data.SANDBOX_PROPAGATION_SECONDS }),
    ...(data.SANDBOX_TOKEN_LIFETIME_SECONDS === undefined
      ? {}
      : { tokenLifetimeSeconds: data.SANDBOX_TOKEN_LIFETIME_SECONDS }),
  };
  return { ok: true, options, fault };
}
