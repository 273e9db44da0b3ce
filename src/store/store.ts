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
  /**
   * Takes `key` for `ttlMs` unless a live holder has it: true when this caller now holds it. One
   * statement (insert, or replace an expired row), so of two replicas asking at once exactly one wins.
   */
  claimKey(key: string, ttlMs: number): Promise<boolean>;
  /** Keeps a held key for `ttlMs` from now (e.g. a finished click keeps its button briefly). */
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
