import { randomBytes, randomUUID } from 'node:crypto'
import type {
  FactorRecord,
  IdentityRecord,
  InvitationRecord,
  MemberRecord,
  SessionRecord,
  TokenRecord,
  UserRecord,
  VerificationRecord,
  WorkspaceRecord,
} from '../storage/ports.js'

/** Unique per call, so suites can share one database without seeing each other's rows. */
export function createTestId(): string {
  return randomUUID()
}

/** A 64-hex-digit value shaped like the sha256 hashes the core stores. */
export function createTestHash(): string {
  return randomBytes(32).toString('hex')
}

// Records start at the real time: backends that expire keys by their own clock (Redis) must keep them.
export function buildUser(overrides: Partial<UserRecord> = {}): UserRecord {
  const now = Date.now()
  return {
    id: createTestId(),
    email: `${createTestId()}@example.test`,
    name: 'Ada',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    emailVerifiedAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  }
}

export function buildSession(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now()
  return {
    id: createTestId(),
    tokenHash: createTestHash(),
    userId: createTestId(),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + 3_600_000,
    idleExpiresAt: now + 1_800_000,
    ip: '127.0.0.1',
    userAgent: 'conformance/1.0',
    pendingSecondFactor: false,
    factors: [{ method: 'password', at: now }],
    ...overrides,
  }
}

export function buildToken(overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id: createTestId(),
    userId: createTestId(),
    kind: 'api_token',
    tokenHash: createTestHash(),
    name: 'ci',
    scopes: ['read', 'write'],
    hint: 'ghp_…x7Qa',
    createdAt: Date.now(),
    lastUsedAt: null,
    expiresAt: null,
    ...overrides,
  }
}

export function buildVerification(overrides: Partial<VerificationRecord> = {}): VerificationRecord {
  const now = Date.now()
  return {
    id: createTestId(),
    purpose: 'magic_link',
    subject: `${createTestId()}@example.test`,
    userId: createTestId(),
    secretHash: createTestHash(),
    data: { redirectTo: '/welcome' },
    attempts: 0,
    createdAt: now,
    expiresAt: now + 600_000,
    ...overrides,
  }
}

export function buildFactor(overrides: Partial<FactorRecord> = {}): FactorRecord {
  return {
    id: createTestId(),
    userId: createTestId(),
    kind: 'totp',
    secret: 'v1.iv.ciphertext.tag',
    confirmedAt: null,
    lastUsedStep: null,
    createdAt: Date.now(),
    name: null,
    data: null,
    lastUsedAt: null,
    ...overrides,
  }
}

export function buildWorkspace(overrides: Partial<WorkspaceRecord> = {}): WorkspaceRecord {
  return { id: createTestId(), name: 'Acme', createdAt: Date.now(), ...overrides }
}

export function buildMember(overrides: Partial<MemberRecord> = {}): MemberRecord {
  return { workspaceId: createTestId(), userId: createTestId(), role: 'member', joinedAt: Date.now(), ...overrides }
}

export function buildInvitation(overrides: Partial<InvitationRecord> = {}): InvitationRecord {
  const now = Date.now()
  return {
    id: createTestId(),
    workspaceId: createTestId(),
    email: `${createTestId()}@example.test`,
    role: 'member',
    tokenHash: createTestHash(),
    sealedToken: 'v1.iv.ciphertext',
    invitedBy: createTestId(),
    createdAt: now,
    expiresAt: now + 7 * 86_400_000,
    acceptedAt: null,
    ...overrides,
  }
}

export function buildIdentity(overrides: Partial<IdentityRecord> = {}): IdentityRecord {
  return {
    id: createTestId(),
    userId: createTestId(),
    provider: 'corp',
    issuer: `https://${createTestId()}.idp.example.test`,
    subject: createTestId(),
    email: `${createTestId()}@example.test`,
    linkedAt: Date.now(),
    ...overrides,
  }
}
