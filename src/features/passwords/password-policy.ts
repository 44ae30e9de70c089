import type { ResolvedConfig } from '../../config/base-options.js'
import { weakPassword } from '../../errors/credential-errors.js'

export interface PasswordPolicy {
  minLength: number
  maxLength: number
}

export function describePasswordPolicy(config: ResolvedConfig): PasswordPolicy {
  return { minLength: config.passwords.minLength, maxLength: config.passwords.maxLength }
}

/** Throws 400 WEAK_PASSWORD naming the rules broken, as details on the input field `path`; never echoes the password. */
export function checkPasswordPolicy(config: ResolvedConfig, password: string, email: string | null, path: string): void {
  const { minLength, maxLength } = config.passwords
  const problems: string[] = []
  // Length counts code points, so an emoji is one character, as a person would count.
  const length = [...password].length
  if (length < minLength) problems.push(`must be at least ${minLength} characters`)
  if (length > maxLength) problems.push(`must be at most ${maxLength} characters`)
  if (email !== null) {
    const lowered = password.trim().toLowerCase()
    const localPart = email.slice(0, email.lastIndexOf('@'))
    if (lowered === email || lowered === localPart) problems.push('must not be your e-mail address')
  }
  if (problems.length > 0) throw weakPassword(path, problems)
}
