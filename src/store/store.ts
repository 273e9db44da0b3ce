import type { Db } from 'pg-boss';
import type { JobTable } from './embedded-jobs.js';

/** One line of the audit log: who did what to which domain, and how it ended. */
export interface DomainEvent {
  readonly at: Date;
  readonly userId: string;
  /** The verb or notable result: start, verify, activate, deactivate, delete, permission_refused … */
  readonly action: string;
  readonly domain?: string;
  /** The operation's result code (changed, domain_not_verified, rate_limited …). */
  readonly outcome: string;
  /** The HTTP status QFlowHub answered with, when it was asked. */
  readonly qflowStatus?: number;
}

/**
 * A change about to be made, written before QFlowHub or a DNS provider is called and removed with its
 * outcome: one still there when its process is gone is settled at the next start (see settle-intents.ts).
 */
export interface ChangeIntent {
  readonly id: string;
  readonly at: Date;
  readonly userId: string;
  /** The verb: verify, activate, publish_write … */
  readonly action: string;
  /** Who asked: a command, a button, or a watch's own verify. */
  readonly via: 'command' | 'button' | 'watch';
  /** The domain the request named, when it named one (the current one is read back when settling). */
  readonly domain?: string;
  readonly channelId?: string;
  /** The clicked message, when it is one the bot can redraw (not a prompt only the clicker saw). */
  readonly messageTs?: string;
  /** Where the person can still be answered, for 30 minutes from `at`. */
  readonly responseUrl?: string;
  /** The clicked button's value: the domain id, and a publish step's provider, zone and fingerprint. */
  readonly buttonValue?: string;
  /** The clicked message's history line, kept when it is redrawn. */
  readonly history?: string;
}

/** How far a hand-off DM says things got: asked, every record published, the domain verified. */
export type HandoffStatus = 'asked' | 'published' | 'verified';

/** A hand-off: who was asked by DM to publish a domain's records, by whom, and where that DM is. */
export interface Handoff {
  readonly domain: string;
  /** The QFlowHub domain id: a domain deleted and started again is another hand-off. */
  readonly domainId: number;
  readonly userId: string;
  readonly askedBy: string;
  readonly channel: string;
  readonly ts: string;
  readonly askedAt: Date;
  readonly status: HandoffStatus;
}

/**
 * A domain card the bot posted in a channel (chat.postMessage) and keeps in step with the domain
 * (chat.update): every change redraws every card of the domain.
 */
export interface LiveCard {
  readonly channel: string;
  readonly ts: string;
  readonly domain: string;
  /** QFlowHub's id: the cards of a deleted domain are never redrawn for one started again with its name. */
  readonly domainId: number;
  /** Its first history line, mrkdwn ("Started by <@U…> <date>"), kept through every redraw. */
  readonly origin: string;
  /** The domain's latest change since it was posted, mrkdwn ("Verified by <@U…> <date>"). */
  readonly latest?: string;
  readonly postedAt: Date;
}

/** What every store answers, whichever database holds it. */
interface StoreCalls {
  /** Where it lives, for a log line: never holds a password. */
  readonly description: string;
  recordEvent(event: DomainEvent): Promise<void>;
  /** The newest `limit` events, newest first. */
  recentEvents(limit: number): Promise<DomainEvent[]>;
  /** Keeps a hand-off, replacing the one for the same domain and person (asked again: one DM). */
  saveHandoff(handoff: Handoff): Promise<void>;
  /** Every hand-off of `domain` (by name), oldest first. */
  handoffsOf(domain: string): Promise<Handoff[]>;
  /**
   * Takes `key` for `ttlMs` unless a live holder has it: true when this caller now holds it. One
   * statement (insert, or replace an expired row), so of two replicas asking at once exactly one wins.
   * `whileRunning` tags the key with this process's boot id: a lease on work in flight, released as soon as
   * the process is known to be gone (releaseGoneLeases), not when its time runs out.
   */
  claimKey(key: string, ttlMs: number, options?: { readonly whileRunning?: boolean }): Promise<boolean>;
  /** Keeps a held key for `ttlMs` from now (e.g. a finished click keeps its button briefly); no longer a lease. */
  extendKey(key: string, ttlMs: number): Promise<void>;
  /** Lets go of a key at once, so the next claim wins. */
  releaseKey(key: string): Promise<void>;
  /** Deletes keys that have expired; returns how many. */
  sweepExpiredKeys(): Promise<number>;
  /** The moment a pause named `name` ends, if one was ever set (it may be in the past). */
  pausedUntil(name: string): Promise<Date | undefined>;
  /** Pauses `name` until `until`, never shortening a longer pause another replica set. */
  pauseUntil(name: string, until: Date): Promise<void>;
  /** Keeps a card the bot just posted (a card already kept at that channel and ts is replaced). */
  addCard(card: LiveCard): Promise<void>;
  /** The cards of domain `domainId`, oldest first. */
  cardsOf(domainId: number): Promise<LiveCard[]>;
  /** Sets the latest-change line of every card of domain `domainId`. */
  noteLatestChange(domainId: number, line: string): Promise<void>;
  close(): Promise<void>;
  /** This process's boot id (random per start): it tags the leases it holds and the intents it writes. */
  readonly bootId: string;
  /** Writes a change's intent, in this process's name, before the change is made. */
  recordIntent(intent: ChangeIntent): Promise<void>;
  /** Writes the change's outcome (none for a change that asked nothing) and removes its intent, at once. */
  settleIntent(id: string, event: DomainEvent | undefined): Promise<void>;
  /**
   * The intents of processes that are gone, now this process's to settle (of two replicas asking, one
   * gets each). If this process goes too before settling them, the next start gets them again.
   */
  adoptGoneIntents(): Promise<ChangeIntent[]>;
  /** Deletes the leases (`whileRunning` keys) of processes that are gone; resolves with their keys. */
  releaseGoneLeases(): Promise<string[]>;
}

/** The embedded store: SQLite in DATA_DIR, held by this one process. */
export interface SqliteStore extends StoreCalls {
  readonly backend: 'sqlite';
  /** The jobs table the in-process scheduler runs (see startJobs). */
  readonly jobs: JobTable;
}

/** The shared store: Postgres at DATABASE_URL, for every replica. */
export interface PostgresStore extends StoreCalls {
  readonly backend: 'postgres';
  /** The same database for pg-boss (see startJobs). */
  readonly jobs: Db;
}

/**
 * The bot's memory, shared by every replica on one database. Every method throws StoreError
 * (`unavailable` when the database went away) and nothing else.
 */
export type Store = SqliteStore | PostgresStore;
