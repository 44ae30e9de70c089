import { z } from 'zod'

/** E-mails are matched case-insensitively after trimming; this is the one place that says how. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** A body field holding an e-mail, normalised. */
export const emailField = z.string().trim().toLowerCase().max(254).pipe(z.email({ message: 'must be an e-mail address' }))

/** 'jane@example.com' -> 'j***@example.com': shows where a message went without disclosing the address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at <= 0) return '***'
  return `${email[0]}***${email.slice(at)}`
}
