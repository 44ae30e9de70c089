import { escapeHtml } from '../../http/escape-html.js'
import { emailNameIdFormat, persistentNameIdFormat, unspecifiedNameIdFormat } from './saml-login-request.js'
import type { ServiceProviderInfo } from './sso-config.js'

/** SP metadata of one workspace: its entity id, its ACS (HTTP-POST) and the NameID formats it takes. Assertions must be signed. */
export function renderSamlMetadata(sp: ServiceProviderInfo): string {
  const formats = [emailNameIdFormat, persistentNameIdFormat, unspecifiedNameIdFormat].map((format) => `<md:NameIDFormat>${format}</md:NameIDFormat>`).join('')
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escapeHtml(sp.entityId)}">` +
    '<md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
    formats +
    `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeHtml(sp.acsUrl)}" index="0" isDefault="true"/>` +
    '</md:SPSSODescriptor></md:EntityDescriptor>'
  )
}
