import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import { z } from 'zod'

// The shapes of navigator.credentials' answers as JSON (PublicKeyCredential.toJSON()). Checked
// here so a malformed body is a 400 before the verifier sees it; the verifier checks the content.

const base64url = z.string().max(16_384).regex(/^[A-Za-z0-9_-]*={0,2}$/, 'must be base64url')
const credentialId = base64url.min(1).max(1_400)
const attachment = z.enum(['platform', 'cross-platform']).optional()
const extensionResults = z.record(z.string(), z.unknown()).default({})

export const registrationResponse: z.ZodType<RegistrationResponseJSON> = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensionResults,
  response: z.object({
    clientDataJSON: base64url.min(1),
    attestationObject: base64url.min(1),
    transports: z.array(z.string().max(32)).max(8).optional(),
  }),
}) as z.ZodType<RegistrationResponseJSON>

export const authenticationResponse: z.ZodType<AuthenticationResponseJSON> = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  authenticatorAttachment: attachment,
  clientExtensionResults: extensionResults,
  response: z.object({
    clientDataJSON: base64url.min(1),
    authenticatorData: base64url.min(1),
    signature: base64url.min(1),
    userHandle: base64url.max(128).nullish(),
  }),
}) as z.ZodType<AuthenticationResponseJSON>

/** A passkey's name: what its owner calls it in the listing. */
export const passkeyName = z.string().trim().min(1).max(64)
