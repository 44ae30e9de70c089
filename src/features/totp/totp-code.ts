import { generate, verify } from 'otplib'
import type { ResolvedTotpOptions } from '../second-factor/second-factor-options.js'

/** The options that shape a code; the issuer only labels it. */
export type TotpParameters = Omit<ResolvedTotpOptions, 'issuer'>

/** The code for a base32 secret at `epochSeconds` (RFC 6238). */
export function computeTotpCode(secret: string, parameters: TotpParameters, epochSeconds: number): Promise<string> {
  return generate({
    secret,
    algorithm: parameters.algorithm,
    digits: parameters.digits,
    period: parameters.periodSeconds,
    epoch: epochSeconds,
  })
}

/**
 * The time step `code` belongs to, within `windowSteps` steps of `epochSeconds`, or null. Steps
 * at or before `afterStep` are refused so a used code cannot come back. Anything that is not
 * exactly `digits` digits (spaces aside) is simply wrong, never an error.
 */
export async function matchTotpCode(
  secret: string,
  code: string,
  parameters: TotpParameters,
  epochSeconds: number,
  afterStep: number | null = null,
): Promise<number | null> {
  const token = code.replace(/\s/g, '')
  if (token.length !== parameters.digits || !/^\d+$/.test(token)) return null
  const result = await verify({
    secret,
    token,
    algorithm: parameters.algorithm,
    digits: parameters.digits,
    period: parameters.periodSeconds,
    epoch: epochSeconds,
    epochTolerance: parameters.windowSteps * parameters.periodSeconds,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  })
  return result.valid && 'timeStep' in result ? result.timeStep : null
}
