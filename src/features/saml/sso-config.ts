import { X509Certificate } from 'node:crypto'
import { z } from 'zod'
import type { Core } from '../../core.js'
import { AuthError, notFound } from '../../errors/auth-error.js'
import type { SsoConfigRecord } from '../../storage/ports.js'

/** What an admin sends to ssoConfigPut: the whole config. */
export interface SsoConfigInput {
  idpEntityId: string
  idpSsoUrl: string
  idpCertificates: string[]
  domains: string[]
  enabled?: boolean | undefined
  attributeMapping?: { email?: string | undefined; name?: string | undefined } | undefined
  allowIdpInitiated?: boolean | undefined
}

/** The SP side of a workspace's SSO: what its admin enters at the IdP. */
export interface ServiceProviderInfo {
  entityId: string
  acsUrl: string
  /** Null when the samlMetadata route is not served. */
  metadataUrl: string | null
}

/** A config as routes and the gate answer it. */
export interface SsoConfigListing {
  idpEntityId: string
  idpSsoUrl: string
  idpCertificates: string[]
  domains: string[]
  enabled: boolean
  attributeMapping: { email: string | null; name: string | null }
  allowIdpInitiated: boolean
  updatedAt: string
}

const certificatePem = z
  .string()
  .max(16384)
  .refine((pem) => /^\s*-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*$/.test(pem) && readsAsCertificate(pem), 'must be a PEM X.509 certificate')

function readsAsCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem)
    return true
  } catch {
    return false
  }
}

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .transform((value) => value.replace(/\.$/, ''))
  .pipe(z.string().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, 'must be a domain name'))

const attributeName = z.string().min(1).max(256)

export const ssoConfigBody = z.object({
  idpEntityId: z.string().trim().min(1).max(1024),
  idpSsoUrl: z.url({ protocol: /^https?$/ }).max(2048),
  idpCertificates: z.array(certificatePem).min(1).max(5),
  domains: z
    .array(domain)
    .max(50)
    .refine((domains) => new Set(domains).size === domains.length, 'must not repeat a domain'),
  enabled: z.boolean().optional(),
  attributeMapping: z.object({ email: attributeName.optional(), name: attributeName.optional() }).strict().optional(),
  allowIdpInitiated: z.boolean().optional(),
})

/**
 * The SP side of a workspace. Its entity id is the metadata URL; an API that serves no samlMetadata
 * route (`only`, Toggl's) names the SP by its ACS URL instead, and has no metadata URL.
 */
export function describeServiceProvider(core: Core, workspaceId: string): ServiceProviderInfo {
  const acsUrl = core.urls.of('samlAcs', { workspaceId }).href
  const metadataUrl = core.urls.has('samlMetadata') ? core.urls.of('samlMetadata', { workspaceId }).href : null
  return { entityId: metadataUrl ?? acsUrl, acsUrl, metadataUrl }
}

export function toSsoConfigListing(config: SsoConfigRecord): SsoConfigListing {
  return {
    idpEntityId: config.idpEntityId,
    idpSsoUrl: config.idpSsoUrl,
    idpCertificates: [...config.idpCertificates],
    domains: [...config.domains],
    enabled: config.enabled,
    attributeMapping: { ...config.attributeMapping },
    allowIdpInitiated: config.allowIdpInitiated,
    updatedAt: new Date(config.updatedAt).toISOString(),
  }
}

/** Replaces the workspace's whole SSO config. 409 SSO_DOMAIN_TAKEN when another workspace holds a domain; 404 for a workspace that is gone. */
export async function saveSsoConfig(core: Core, workspaceId: string, input: SsoConfigInput): Promise<SsoConfigRecord> {
  const config: SsoConfigRecord = {
    workspaceId,
    idpEntityId: input.idpEntityId,
    idpSsoUrl: input.idpSsoUrl,
    idpCertificates: input.idpCertificates.map((pem) => pem.trim()),
    domains: input.domains,
    enabled: input.enabled ?? true,
    attributeMapping: { email: input.attributeMapping?.email ?? null, name: input.attributeMapping?.name ?? null },
    allowIdpInitiated: input.allowIdpInitiated ?? false,
    updatedAt: core.config.clock.now(),
  }
  const outcome = await core.storage.workspaces.putSsoConfig(config)
  if (outcome === 'domain_taken') throw new AuthError('SSO_DOMAIN_TAKEN')
  if (outcome === 'workspace_not_found') throw notFound('Workspace')
  return config
}

/** The workspace's config, or 404. */
export async function requireSsoConfig(core: Core, workspaceId: string): Promise<SsoConfigRecord> {
  const config = await core.storage.workspaces.getSsoConfig(workspaceId)
  if (config === null) throw notFound('SSO configuration')
  return config
}
