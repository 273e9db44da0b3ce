import { z } from 'zod';

/** One DNS record QFlowHub (through SendGrid) asks the user to publish. */
const dnsRecordSchema = z.object({
  type: z.string().min(1),
  host: z.string().min(1),
  data: z.string().min(1),
  valid: z.boolean(),
});

/**
 * The DomainResponse shared by GET, create, activate and deactivate.
 * Lenient where the docs are silent: unknown fields are dropped and a missing
 * record list reads as empty, but the fields the bot decides on must be present.
 */
export const domainSchema = z.object({
  id: z.number().int().nonnegative(),
  domain: z.string().min(1),
  verified: z.boolean(),
  enabled: z.boolean(),
  dnsRecords: z.array(dnsRecordSchema).default([]),
});

export type DnsRecord = z.infer<typeof dnsRecordSchema>;
export type Domain = z.infer<typeof domainSchema>;
