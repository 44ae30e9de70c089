import { AuthError } from '../../errors/auth-error.js'

const base64Text = /^[A-Za-z0-9+/]*={0,2}$/
// Anything of `<!` but a comment or CDATA is a declaration (DOCTYPE, ENTITY): refused unparsed,
// so no entity is ever expanded and no external one fetched.
const declaration = /<!(?!--|\[CDATA\[)/

const malformed = (message: string) => new AuthError('SAML_MALFORMED', { message })

/**
 * The XML of a posted SAMLResponse, screened before any parser sees it: 413 above `maxBytes`
 * (checked on the encoded length first, so an oversized post is never decoded), 400 for text that
 * is not base64 of UTF-8, and 400 for any DOCTYPE or ENTITY declaration.
 */
export function screenSamlResponse(encoded: string, maxBytes: number): string {
  const compact = encoded.replace(/[\r\n\t ]/g, '')
  if (compact.length > Math.ceil(maxBytes / 3) * 4) throw new AuthError('PAYLOAD_TOO_LARGE', { message: `The SAML response is larger than ${maxBytes} bytes.` })
  if (compact.length === 0 || compact.length % 4 !== 0 || !base64Text.test(compact)) throw malformed('SAMLResponse is not base64.')
  const bytes = Buffer.from(compact, 'base64')
  if (bytes.byteLength > maxBytes) throw new AuthError('PAYLOAD_TOO_LARGE', { message: `The SAML response is larger than ${maxBytes} bytes.` })
  // UTF-16 would hide a declaration from the check below; SAML is UTF-8 in practice.
  if (bytes.includes(0)) throw malformed('The SAML response is not UTF-8.')
  let xml: string
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw malformed('The SAML response is not UTF-8.')
  }
  if (declaration.test(xml)) throw malformed('DOCTYPE and ENTITY declarations are refused.')
  return xml
}
