import saml2 from 'saml2-js'
import { readSamlDocument } from './read-saml-document.js'
import { type SamlEngine, SamlEngineError } from './saml-engine.js'

const successStatus = 'urn:oasis:names:tc:SAML:2.0:status:Success'

// saml2-js never signs or decrypts for gatehouse (no SP key), but its constructor wants both.
const noSpKey = { private_key: '', certificate: '' }

function serviceProvider(spEntityId: string, acsUrl: string, nameIdFormat?: string): saml2.ServiceProvider {
  return new saml2.ServiceProvider({
    ...noSpKey,
    entity_id: spEntityId,
    assert_endpoint: acsUrl,
    allow_unencrypted_assertion: true,
    // gatehouse checks the audience itself, and needs it present; saml2-js would only refuse a wrong one.
    audience: /(?:)/,
    ...(nameIdFormat === undefined ? {} : { nameid_format: nameIdFormat }),
  })
}

function identityProvider(ssoUrl: string, certificates: readonly string[]): saml2.IdentityProvider {
  return new saml2.IdentityProvider({ sso_login_url: ssoUrl, sso_logout_url: ssoUrl, certificates: [...certificates] })
}

/** The engine on saml2-js: it checks the signature; the strict reading before it pins what was signed. */
export const saml2JsEngine: SamlEngine = {
  createLoginRequest(input) {
    const sp = serviceProvider(input.spEntityId, input.acsUrl, input.nameIdFormat)
    return new Promise((resolve, reject) => {
      sp.create_login_request_url(identityProvider(input.idpSsoUrl, []), { relay_state: input.relayState }, (error, url, requestId) => {
        if (error !== null) reject(error)
        else resolve({ url, requestId })
      })
    })
  },

  async verifyResponse(input) {
    const facts = readSamlDocument(input.xml)
    if (facts.status !== successStatus) throw new SamlEngineError('status', 'the identity provider reports no success')
    const sp = serviceProvider(input.spEntityId, input.acsUrl)
    const options = {
      request_body: { SAMLResponse: Buffer.from(input.xml, 'utf8').toString('base64') },
      // Times are checked by gatehouse with its own clock and one skew; saml2-js would read Date.now().
      ignore_timing: true,
      require_session_index: false,
    }
    const verified = await new Promise<saml2.SAMLAssertResponse>((resolve, reject) => {
      sp.post_assert(identityProvider('https://idp.invalid/', input.idpCertificates), options, (error, response) => {
        if (error !== null) reject(new SamlEngineError('signature', `refused by the engine: ${error.message.slice(0, 200)}`))
        else resolve(response)
      })
    })
    if (verified.user.name_id !== facts.assertion.nameId) throw new SamlEngineError('malformed', 'the NameID read differs from the one signed')
    return facts
  },
}
