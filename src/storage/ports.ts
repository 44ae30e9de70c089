/**
 * Storage ports. Each store is small and says its contract here; a backend may supply all or
 * some of them. Times are milliseconds since the Unix epoch. Methods that take `now` use it
 * instead of reading a clock, so that the core's injected clock governs expiry everywhere.
 *
 * Every method may reject with an AuthError 'STORAGE_UNAVAILABLE' (see storageUnavailable())
 * when the backend cannot be reached; the core then fails closed with 503.
 *
 * Records are plain data: a store must return copies, so that mutating a returned record never
 * changes what is stored.
 */

import type { MaybePromise } from '../async/maybe-promise.js'

// ---------------------------------------------------------------------------------------------
// users

export interface UserRecord {
  id: string
  /** Normalised: trimmed and lower-cased. Unique across users. */
  email: string
  name: string | null
  /** argon2id PHC string, or null for accounts without a password (magic link, OIDC, SAML). */
  passwordHash: string | null
  emailVerifiedAt: number | null
  createdAt: number
  updatedAt: number
  /**
   * The host-declared profile fields (`profileFields`): JSON strings, booleans and nulls. Absent
   * for a user without any; a store keeps it as given (an absent one reads back absent).
   */
  profile?: Record<string, string | boolean | null> | undefined
}

/** `profile`, when present, replaces the whole map (the core merges before it writes). */
export type UserPatch = Partial<Pick<UserRecord, 'email' | 'name' | 'passwordHash' | 'emailVerifiedAt' | 'updatedAt' | 'profile'>>

export interface UserStore {
  /** Inserts the user. Atomic on e-mail: of concurrent creates with one e-mail exactly one answers 'created'. */
  create(user: UserRecord): Promise<'created' | 'email_taken'>
  getById(id: string): Promise<UserRecord | null>
  /** `email` is already normalised by the caller. */
  getByEmail(email: string): Promise<UserRecord | null>
  /** Applies the fields present in `patch`. Changing to an e-mail another user has answers 'email_taken' and changes nothing. */
  update(id: string, patch: UserPatch): Promise<'updated' | 'not_found' | 'email_taken'>
  /** Removes the user record only (the core removes sessions, tokens and factors through their stores). True when it existed. */
  delete(id: string): Promise<boolean>
}

// ---------------------------------------------------------------------------------------------
// sessions

export interface FactorUse {
  /** 'password', 'totp', 'recovery_code', 'otp', 'secondary_password', 'magic_link', 'oidc', 'saml', ... */
  method: string
  at: number
}

export interface SessionRecord {
  /** Public, non-secret id used to list and revoke sessions. */
  id: string
  /** sha256 (hex) of the session token; the token itself is never stored. Unique. */
  tokenHash: string
  userId: string
  createdAt: number
  lastSeenAt: number
  /** Absolute end of the session. */
  expiresAt: number
  /** lastSeenAt + idle timeout. A store may drop the record once now >= min(expiresAt, idleExpiresAt). */
  idleExpiresAt: number
  ip: string | null
  userAgent: string | null
  /** True while the session still needs a second factor before it is complete. */
  pendingSecondFactor: boolean
  /** Factors used to reach this session, oldest first. */
  factors: FactorUse[]
}

/** A session or token with its user, as a guarded request needs them. `user` is null when the user is gone. */
export interface WithUser<T> {
  record: T
  user: UserRecord | null
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>
  /** The session with this token hash, or null. May return an expired record; the core checks expiry. */
  getByTokenHash(tokenHash: string): Promise<SessionRecord | null>
  /**
   * The guard's lookup: the session with this token hash (as getByTokenHash) and its user from
   * `users`, or null. When `users` is the user store of the same storage, one call to the
   * backend answers both (a join, one map lookup); any other user store is asked after the session.
   * A store holding the record in process may answer without a promise: the guard then finishes
   * in the same tick (the memory store and the near cache do).
   */
  getWithUser(tokenHash: string, users: UserStore): MaybePromise<WithUser<SessionRecord> | null>
  getById(id: string): Promise<SessionRecord | null>
  /** Sliding refresh: sets lastSeenAt and idleExpiresAt. Does nothing when the session is gone. */
  touch(id: string, lastSeenAt: number, idleExpiresAt: number): Promise<void>
  /** The user's sessions by createdAt, oldest first (expired ones may be included; the core filters). */
  listByUser(userId: string): Promise<SessionRecord[]>
  /** Removes the session. True for exactly one of concurrent callers, when it existed. */
  delete(id: string): Promise<boolean>
  /** Removes all the user's sessions but `exceptId`. Answers how many were removed. */
  deleteByUser(userId: string, exceptId?: string): Promise<number>
}

// ---------------------------------------------------------------------------------------------
// limits: rate-limit counters and replay claims

export interface LimitHit {
  /** Hits in the current window, this one included. */
  count: number
  /** When the current window ends. */
  resetAt: number
}

export interface LimitStore {
  /**
   * Counts one hit on `key` in a fixed window that starts at the first hit and lasts
   * `windowSeconds`. Atomic: N concurrent hits on a fresh key answer counts 1..N exactly once each.
   * After the window ends the next hit starts a new window at count 1.
   */
  hit(key: string, windowSeconds: number, now: number): Promise<LimitHit>
  /** Forgets the counter (e.g. after a successful login). */
  reset(key: string): Promise<void>
  /**
   * Undoes one hit on `key`: the count drops by one, never below 0, and the window keeps its
   * `resetAt`. Does nothing when there is no counter (never hit, or reset). Atomic: concurrent
   * hits and releases never lose an update. Gives back a slot taken by `hit` for an attempt that
   * turned out not to count (refused, or a check that passed).
   */
  release(key: string): Promise<void>
  /**
   * Claims `key` until `expiresAt`. True for exactly one of concurrent callers; false while an
   * unexpired claim exists. Used so a one-time value (a TOTP step, a SAML assertion id) counts once.
   */
  claim(key: string, expiresAt: number, now: number): Promise<boolean>
}

// ---------------------------------------------------------------------------------------------
// tokens: API tokens and access clients

export type TokenKind = 'api_token' | 'access_client'

export interface TokenRecord {
  id: string
  userId: string
  kind: TokenKind
  /** sha256 (hex) of the secret. Unique. */
  tokenHash: string
  name: string
  scopes: string[]
  /** A short non-secret hint for listings, e.g. 'ghp_…x7Qa'. */
  hint: string
  createdAt: number
  lastUsedAt: number | null
  expiresAt: number | null
}

export interface TokenStore {
  create(token: TokenRecord): Promise<void>
  getByTokenHash(tokenHash: string): Promise<TokenRecord | null>
  /** As SessionStore.getWithUser, for the token with this hash: one backend call with the same storage's user store; may answer without a promise as well. */
  getWithUser(tokenHash: string, users: UserStore): MaybePromise<WithUser<TokenRecord> | null>
  getById(id: string): Promise<TokenRecord | null>
  /** The user's tokens by createdAt, oldest first, of one kind when `kind` is given. Expired tokens stay until deleted. */
  listByUser(userId: string, kind?: TokenKind): Promise<TokenRecord[]>
  /** Sets lastUsedAt. Does nothing when the token is gone. */
  touch(id: string, lastUsedAt: number): Promise<void>
  /**
   * Ends the token at `at` while keeping it listed (a revocation that keeps the record, as
   * Semaphore's "expire"): expiresAt becomes `at`, unless it already ends earlier, so a lifetime
   * is never extended. True when the token existed; false (and nothing stored) when it is gone.
   */
  expire(id: string, at: number): Promise<boolean>
  /** True for exactly one of concurrent callers, when it existed. */
  delete(id: string): Promise<boolean>
  /** Removes the user's tokens (of one kind when given). Answers how many. */
  deleteByUser(userId: string, kind?: TokenKind): Promise<number>
}

// ---------------------------------------------------------------------------------------------
// verifications: one-time secrets (magic links, codes, reset keys, OIDC state, SAML request ids, invitations)

export interface VerificationRecord {
  id: string
  /** What the secret is for: 'magic_link', 'otp', 'password_reset', ... A secret only works for its purpose. */
  purpose: string
  /** Whom it is for within the purpose: a user id or a normalised address. */
  subject: string
  userId: string | null
  /** sha256 (hex) of the secret. Not unique: short codes of different subjects can collide. */
  secretHash: string
  /** Small JSON-safe payload (redirect target, medium, ...). */
  data: Record<string, string> | null
  /** Wrong guesses so far. */
  attempts: number
  createdAt: number
  expiresAt: number
}

export interface VerificationStore {
  /** Stores the record and removes every other record with the same purpose and subject: a new secret supersedes the old. */
  create(record: VerificationRecord): Promise<void>
  /**
   * Atomically removes and returns the unexpired record with this purpose and secret hash (the
   * oldest, should several match). Exactly one of concurrent callers gets it; the others, and any
   * caller after expiry, get null.
   */
  consume(purpose: string, secretHash: string, now: number): Promise<VerificationRecord | null>
  /** The unexpired record for purpose and subject (for short codes that are compared, not looked up). */
  find(purpose: string, subject: string, now: number): Promise<VerificationRecord | null>
  /** Atomically adds one to `attempts` and answers the new count; 0 when the record is gone. */
  addAttempt(id: string): Promise<number>
  /** True when it existed. */
  delete(id: string): Promise<boolean>
  /** Removes every record of the user (unregister, a new password). Answers how many. */
  deleteByUser(userId: string): Promise<number>
}

// ---------------------------------------------------------------------------------------------
// factors: TOTP secrets, recovery codes, secondary passwords, passkeys

export type FactorKind = 'totp' | 'recovery_code' | 'secondary_password' | 'passkey'

export interface FactorRecord {
  id: string
  userId: string
  kind: FactorKind
  /** Encrypted TOTP secret, the hash of a recovery code or secondary password, or a passkey's public key (not secret). */
  secret: string
  /** Null until the user confirmed the factor (a TOTP enrolment is pending until then). */
  confirmedAt: number | null
  /** The last TOTP time step accepted, so a code counts once; a passkey's signature counter. */
  lastUsedStep: number | null
  createdAt: number
  /** The user's label for the factor (a passkey's name); null for kinds without one. */
  name: string | null
  /** Small JSON-safe payload of kinds that need more than `secret` (a passkey's credential id and transports); else null. */
  data: Record<string, string> | null
  /** When the factor last signed the user in; null when never, or not tracked for its kind. */
  lastUsedAt: number | null
}

export type FactorPatch = Partial<Pick<FactorRecord, 'secret' | 'confirmedAt' | 'name' | 'lastUsedAt'>>

export interface FactorStore {
  /**
   * Inserts the factor. Atomic on id: when a factor with this id exists (a passkey's id derives
   * from its credential id) answers 'id_taken' and changes nothing, for all but one of concurrent creates.
   */
  create(factor: FactorRecord): Promise<'created' | 'id_taken'>
  getById(id: string): Promise<FactorRecord | null>
  /** The user's factors by createdAt, oldest first, of one kind when `kind` is given. */
  listByUser(userId: string, kind?: FactorKind): Promise<FactorRecord[]>
  update(id: string, patch: FactorPatch): Promise<boolean>
  /**
   * Atomically sets lastUsedStep to `step` if it is null or lower. True for exactly one of
   * concurrent callers with the same step; false otherwise (a replayed TOTP code).
   */
  advanceStep(id: string, step: number): Promise<boolean>
  /** True for exactly one of concurrent callers, when it existed (a recovery code is used once). */
  delete(id: string): Promise<boolean>
  /** Removes the user's factors (of one kind when given). Answers how many. */
  deleteByUser(userId: string, kind?: FactorKind): Promise<number>
}

// ---------------------------------------------------------------------------------------------
// workspaces: workspaces, their members, SSO configs and SAML identities

export interface WorkspaceRecord {
  id: string
  name: string
  createdAt: number
}

/** One user's membership of one workspace: exactly one role each. */
export interface MemberRecord {
  workspaceId: string
  userId: string
  /** 'owner', 'admin', 'member' or a role the host defined. The store treats only 'owner' specially. */
  role: string
  joinedAt: number
}

/** A membership with its workspace, as a user's listing needs them. */
export interface Membership {
  workspace: WorkspaceRecord
  member: MemberRecord
}

/** A workspace's SAML2 identity provider, configured at run time by its admins. */
export interface SsoConfigRecord {
  workspaceId: string
  /** The IdP's entity id: the Issuer of its responses and assertions. */
  idpEntityId: string
  /** Where the IdP takes AuthnRequests (HTTP-Redirect binding). */
  idpSsoUrl: string
  /** PEM X.509 certificates whose keys may sign; several during a rotation. */
  idpCertificates: string[]
  /** Normalised (lower case, no trailing dot). A domain belongs to one workspace's config at most. */
  domains: string[]
  enabled: boolean
  /** Attribute names to read the e-mail and the name from; null for the defaults. */
  attributeMapping: { email: string | null; name: string | null }
  /** Whether responses no request of ours asked for are accepted. */
  allowIdpInitiated: boolean
  updatedAt: number
}

/** A SAML subject of one workspace's IdP linked to a user: keyed by (workspace, IdP entity id, NameID), never by e-mail. */
export interface SamlIdentityRecord {
  id: string
  workspaceId: string
  idpEntityId: string
  nameId: string
  userId: string
  linkedAt: number
}

export interface WorkspaceStore {
  /** Inserts the workspace and its first member (its owner) together: no reader sees one without the other. */
  create(workspace: WorkspaceRecord, owner: MemberRecord): Promise<void>
  getById(id: string): Promise<WorkspaceRecord | null>
  /** Removes the workspace with every membership, its SSO config and its SAML identities. True when it existed. */
  delete(id: string): Promise<boolean>
  /**
   * Adds the member. Atomic: of concurrent adds of one user to one workspace exactly one answers
   * 'added', the others 'already_member' (and nothing changes); 'workspace_not_found' when it is gone.
   */
  addMember(member: MemberRecord): Promise<'added' | 'already_member' | 'workspace_not_found'>
  getMember(workspaceId: string, userId: string): Promise<MemberRecord | null>
  /** The workspace's members by joinedAt, oldest first (ties in the order they were added). */
  listMembers(workspaceId: string): Promise<MemberRecord[]>
  /** The user's memberships with their workspaces, in the order they joined. */
  listByUser(userId: string): Promise<Membership[]>
  /**
   * Sets the member's role. Atomic with the last-owner rule: when the member is the workspace's
   * only owner and `role` is not 'owner', answers 'last_owner' and changes nothing, even when
   * several owners are demoted at once (at least one owner always stays).
   */
  updateMemberRole(workspaceId: string, userId: string, role: string): Promise<'updated' | 'not_found' | 'last_owner'>
  /** Removes the membership, under the same last-owner rule as updateMemberRole. */
  removeMember(workspaceId: string, userId: string): Promise<'removed' | 'not_found' | 'last_owner'>
  /** Removes every membership of the user, the last-owner rule aside (the user is going). Answers how many. */
  deleteMembersByUser(userId: string): Promise<number>
  /** The workspace's SSO config, or null. */
  getSsoConfig(workspaceId: string): Promise<SsoConfigRecord | null>
  /**
   * Inserts or replaces the workspace's SSO config as a whole. Atomic on domains: when another
   * workspace's config holds one of `domains`, answers 'domain_taken' and changes nothing, even
   * when two workspaces claim one domain at once; 'workspace_not_found' when the workspace is gone.
   */
  putSsoConfig(config: SsoConfigRecord): Promise<'saved' | 'domain_taken' | 'workspace_not_found'>
  /** Sets only `enabled` (and updatedAt). False when there is no config. */
  setSsoEnabled(workspaceId: string, enabled: boolean, updatedAt: number): Promise<boolean>
  /** Removes the config and frees its domains. True when it existed. */
  deleteSsoConfig(workspaceId: string): Promise<boolean>
  /** The config holding this normalised domain, enabled or not, or null. */
  findSsoConfigByDomain(domain: string): Promise<SsoConfigRecord | null>
  /**
   * Links a SAML subject to a user. Atomic: of concurrent links of one (workspaceId, idpEntityId,
   * nameId) exactly one answers 'linked', the others 'taken' (and nothing changes).
   */
  linkSamlIdentity(identity: SamlIdentityRecord): Promise<'linked' | 'taken'>
  getSamlIdentity(workspaceId: string, idpEntityId: string, nameId: string): Promise<SamlIdentityRecord | null>
  /** Removes the user's SAML identities in every workspace. Answers how many. */
  deleteSamlIdentitiesByUser(userId: string): Promise<number>
}

// ---------------------------------------------------------------------------------------------
// invitations: invitations to join a workspace

export interface InvitationRecord {
  id: string
  workspaceId: string
  /** Normalised: trimmed and lower-cased. Only the user with this e-mail may accept. */
  email: string
  /** The role the invitee gets on accepting. */
  role: string
  /** sha256 (hex) of the invitation token. Unique. */
  tokenHash: string
  /** The token sealed with the configured secret (secret box), so the invitee's own listing can show it. */
  sealedToken: string
  /** The user id of whoever invited. */
  invitedBy: string
  createdAt: number
  expiresAt: number
  /** Null while pending; set once by `accept`. An accepted invitation is kept so a second use answers "used". */
  acceptedAt: number | null
}

export interface InvitationStore {
  create(invitation: InvitationRecord): Promise<void>
  getById(id: string): Promise<InvitationRecord | null>
  /** The invitation with this token hash, accepted and expired ones included (the core tells them apart). */
  getByTokenHash(tokenHash: string): Promise<InvitationRecord | null>
  /** The workspace's invitations by createdAt, oldest first, accepted and expired ones included. */
  listByWorkspace(workspaceId: string): Promise<InvitationRecord[]>
  /** The invitations to this normalised e-mail by createdAt, oldest first, accepted and expired ones included. */
  listByEmail(email: string): Promise<InvitationRecord[]>
  /**
   * Atomically sets acceptedAt = now on a pending invitation that has not expired (expiresAt > now).
   * True for exactly one of concurrent callers; false when it is gone, accepted or expired.
   */
  accept(id: string, now: number): Promise<boolean>
  /** Removes it (revoked or declined). True for exactly one of concurrent callers, when it existed. */
  delete(id: string): Promise<boolean>
  /** Removes the workspace's invitations. Answers how many. */
  deleteByWorkspace(workspaceId: string): Promise<number>
  /** Removes the invitations a user sent, and those to an e-mail (a user being deleted). Answers how many. */
  deleteByUser(userId: string, email: string): Promise<number>
}

// ---------------------------------------------------------------------------------------------
// audit: security events kept for review (optional: `audit: { store }`, not part of Storage)

/** One security event as stored; the store needs no knowledge of event types. */
export interface AuditRecord {
  /** Unique. */
  id: string
  /** The event type ('login_failed', ...). */
  type: string
  at: number
  userId: string | null
  sessionId: string | null
  workspaceId: string | null
  ip: string | null
  userAgent: string | null
  /** The event's own fields, JSON-safe and never a secret. Returned as given. */
  details: Record<string, string | number | boolean>
}

export interface AuditQuery {
  /** Only this user's events. */
  userId?: string | undefined
  /** Only this workspace's events. */
  workspaceId?: string | undefined
  /** Only events with `at >= since`. */
  since?: number | undefined
  /** At most this many (1..1000). */
  limit: number
}

export interface AuditStore {
  /** Keeps the record. Concurrent appends all land. */
  append(record: AuditRecord): Promise<void>
  /** The records matching every filter given, newest first (`at` descending; equal times, the later appended first), at most `limit`. */
  list(query: AuditQuery): Promise<AuditRecord[]>
  /** Removes the user's records (the user is being deleted). Answers how many. */
  deleteByUser(userId: string): Promise<number>
}

// ---------------------------------------------------------------------------------------------

// identities: accounts at identity providers linked to users

export interface IdentityRecord {
  id: string
  userId: string
  /** The configured provider's id ('google'), which listings show. */
  provider: string
  /** Who vouches for the subject: the OIDC issuer identifier (a SAML IdP uses its workspace and entity id). */
  issuer: string
  /** The provider's stable id of the account (OIDC `sub`). Never an e-mail: e-mails change hands. */
  subject: string
  /** The e-mail the provider gave when the identity was linked, for listings only; null when none. */
  email: string | null
  linkedAt: number
}

export interface IdentityStore {
  /**
   * Inserts the identity. Atomic on (issuer, subject): of concurrent creates of one pair exactly
   * one answers 'created', the others 'taken' and nothing changes (an identity never moves between users).
   */
  create(identity: IdentityRecord): Promise<'created' | 'taken'>
  getById(id: string): Promise<IdentityRecord | null>
  /** The identity of this (issuer, subject) pair, compared exactly (case-sensitive), or null. */
  getBySubject(issuer: string, subject: string): Promise<IdentityRecord | null>
  /** The user's identities by linkedAt, oldest first. */
  listByUser(userId: string): Promise<IdentityRecord[]>
  /** True for exactly one of concurrent callers, when it existed. */
  delete(id: string): Promise<boolean>
  /** Removes the user's identities (unregister). Answers how many. */
  deleteByUser(userId: string): Promise<number>
}

// ---------------------------------------------------------------------------------------------

// cache broadcast: not a store; what the processes sharing stores tell each other (sessionCache)

/**
 * How the processes of one deployment tell each other to drop near-cache entries (sessionCache).
 * redisCacheBroadcast and postgresCacheBroadcast implement it; a host may bring its own.
 */
export interface CacheBroadcast {
  /** Sends `message` to every subscribed process (the sender may get it back). Rejects when it cannot be sent. */
  publish(message: string): Promise<void>
  /**
   * Starts listening. `onState(true)` once messages are being received (again after a reconnect),
   * `onState(false)` as soon as they may not be: the cache then stops serving until `true`.
   */
  subscribe(listener: CacheBroadcastListener): void
}

export interface CacheBroadcastListener {
  onMessage(message: string): void
  onState(listening: boolean): void
}

// ---------------------------------------------------------------------------------------------

/** Every store gatehouse uses. `createGatehouse({ storage })` takes any subset; the rest is memory. */
export interface Storage {
  users: UserStore
  sessions: SessionStore
  limits: LimitStore
  tokens: TokenStore
  verifications: VerificationStore
  factors: FactorStore
  workspaces: WorkspaceStore
  invitations: InvitationStore
  identities: IdentityStore
}

export type StorageName = keyof Storage
