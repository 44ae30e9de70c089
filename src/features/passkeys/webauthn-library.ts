type WebAuthnLibrary = typeof import('@simplewebauthn/server')

let loading: Promise<WebAuthnLibrary> | undefined

/**
 * @simplewebauthn/server, loaded on the first ceremony rather than at start-up: importing it
 * takes longer than the rest of gatehouse, and many hosts never use passkeys.
 */
export function loadWebAuthn(): Promise<WebAuthnLibrary> {
  loading ??= import('@simplewebauthn/server')
  return loading
}
