import { createHash } from 'node:crypto';
import type { Line } from '../dns-doctor/dns-check-report.js';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import type { DnsRecord } from '../qflow/schemas.js';
import type { ExistingRecord, PublishableType, RecordSetChange, RecordSpec } from './dns-publisher.js';
import { byHandNote, isGuardedRival, isWanted, standsInWay } from './stands-in-way.js';

/**
 * create: nothing at the name stands in the way. skip: already published. conflict: something else is
 * there. replace: a conflict the person named for replacement. by_hand: another SPF or DMARC record is
 * there, which the bot never changes; the plan's notes say what to change and why.
 */
export type PlanAction = 'create' | 'skip' | 'conflict' | 'replace' | 'by_hand';

export interface PlanRow {
  readonly action: PlanAction;
  readonly record: RecordSpec;
  /** The records at the name that stand in the way (empty for create and skip). */
  readonly conflicts: readonly ExistingRecord[];
}

/** A QFlowHub record the bot will not write, and why. */
export interface UnplannedRecord {
  readonly record: DnsRecord;
  readonly reason: 'outside_zone' | 'unsupported_type';
}

export interface PublishPlan {
  readonly zone: string;
  readonly rows: readonly PlanRow[];
  readonly unplanned: readonly UnplannedRecord[];
  /** What the publisher writes: only names and types with create or replace rows. */
  readonly changes: readonly RecordSetChange[];
  /** What a person should change by hand, and why (an SPF record to merge, a DMARC record to fix). */
  readonly notes: readonly Line[];
}

/** What planning adds for DMARC: a record to create where DNS has none, or notes on one a person must fix. */
export interface DmarcPlan {
  readonly specs: readonly RecordSpec[];
  readonly notes: readonly Line[];
}

/** The TTL of published records: an hour, short enough to correct a mistake the same day. */
export const PUBLISH_TTL = 3600;
const TYPES = new Set<string>(['CNAME', 'TXT', 'MX']);

/** Whether `name` is the zone apex or below it. */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

function normalizeValue(type: PublishableType, data: string): string {
  const value = data.trim();
  if (type === 'CNAME') return normalizeDnsName(value);
  if (type === 'MX') {
    const [first = '', second] = value.split(/\s+/);
    return second === undefined ? `10 ${normalizeDnsName(first)}` : `${first} ${normalizeDnsName(second)}`;
  }
  return value;
}

/** Splits QFlowHub's records into what the bot can publish in `zone` (as RecordSpecs) and what it cannot. */
export function toRecordSpecs(
  zone: string,
  records: readonly DnsRecord[],
  ttl = PUBLISH_TTL,
): { specs: RecordSpec[]; unplanned: UnplannedRecord[] } {
  const apex = normalizeDnsName(zone);
  const specs = new Map<string, RecordSpec>();
  const unplanned: UnplannedRecord[] = [];
  for (const record of records) {
    const type = record.type.trim().toUpperCase();
    const name = normalizeDnsName(record.host);
    if (!TYPES.has(type)) unplanned.push({ record, reason: 'unsupported_type' });
    else if (!isInZone(name, apex)) unplanned.push({ record, reason: 'outside_zone' });
    else {
      const spec = {
        name,
        type: type as PublishableType,
        value: normalizeValue(type as PublishableType, record.data),
        ttl,
      };
      specs.set(`${name} ${type} ${spec.value}`, spec);
    }
  }
  return { specs: [...specs.values()], unplanned };
}

function groupByNameAndType(specs: readonly RecordSpec[]): RecordSpec[][] {
  const groups = new Map<string, RecordSpec[]>();
  for (const spec of specs) {
    const key = `${spec.name} ${spec.type}`;
    groups.set(key, [...(groups.get(key) ?? []), spec]);
  }
  return [...groups.values()];
}

/**
 * Compares what QFlowHub asks for with what the provider holds at those names. Pure: conflicts turn
 * into writes only for names listed in `replace`, and nothing at any other name is ever in a change.
 */
export function planPublish(input: {
  readonly zone: string;
  readonly specs: readonly RecordSpec[];
  readonly unplanned?: readonly UnplannedRecord[];
  readonly existing: readonly ExistingRecord[];
  readonly replace?: readonly string[];
  /** Notes from planning beyond the provider's records (a DMARC record DNS shows as broken). */
  readonly notes?: readonly Line[];
}): PublishPlan {
  const replace = new Set((input.replace ?? []).map(normalizeDnsName));
  const rows: PlanRow[] = [];
  const changes: RecordSetChange[] = [];
  const notes: Line[] = [...(input.notes ?? [])];
  for (const group of groupByNameAndType(input.specs)) {
    const { name, type } = group[0] as RecordSpec;
    const wanted = group.map((spec) => spec.value);
    const before = input.existing.filter((e) => normalizeDnsName(e.name) === name);
    const rivals = before.filter((e) => isGuardedRival(e, type, wanted));
    const blockers = before.filter((e) => standsInWay(e, type, wanted));
    const replacing = blockers.length > 0 && replace.has(name);
    const groupRows = group.map((record): PlanRow => {
      if (before.some((e) => isWanted(e, type, [record.value])))
        return { action: 'skip', record, conflicts: [] };
      if (rivals.length > 0) return { action: 'by_hand', record, conflicts: rivals };
      if (blockers.length === 0) return { action: 'create', record, conflicts: [] };
      return { action: replacing ? 'replace' : 'conflict', record, conflicts: blockers };
    });
    for (const row of groupRows)
      if (row.action === 'by_hand') notes.push(byHandNote(name, row.record.value, rivals));
    rows.push(...groupRows);
    const add = groupRows.filter((row) => row.action === 'create' || row.action === 'replace');
    if (add.length > 0 && (blockers.length === 0 || replacing)) {
      changes.push({
        name,
        type,
        before,
        add: add.map((row) => row.record),
        remove: replacing ? blockers : [],
      });
    }
  }
  return { zone: normalizeDnsName(input.zone), rows, unplanned: input.unplanned ?? [], changes, notes };
}

/** The names with conflicts, as the Replace confirmation lists them. */
export function conflictNames(plan: PublishPlan): string[] {
  return [...new Set(plan.rows.filter((row) => row.action === 'conflict').map((row) => row.record.name))];
}

/** The plan as its write leaves the zone: what it created or replaced is then already correct. */
export function afterWriting(plan: PublishPlan): PublishPlan {
  const rows = plan.rows.map(
    (row): PlanRow =>
      row.action === 'create' || row.action === 'replace'
        ? { action: 'skip', record: row.record, conflicts: [] }
        : row,
  );
  return { ...plan, rows, changes: [] };
}

/**
 * A short digest of the plan's decisions and of what was read. A confirmation carries it, so a write
 * after the provider's records changed can be stopped instead of acting on a stale plan.
 */
export function planFingerprint(plan: PublishPlan): string {
  // Replace is the person's answer to a conflict, not a change in what was read.
  const facts = plan.rows.map((row) => [
    row.action === 'replace' ? 'conflict' : row.action,
    row.record.name,
    row.record.type,
    row.record.value,
    row.conflicts.map((c) => [c.type, c.value, c.proxied === true]),
  ]);
  return createHash('sha256').update(JSON.stringify(facts)).digest('base64url').slice(0, 16);
}
