import { DOMParser } from '@xmldom/xmldom'
import { SamlEngineError, type SamlResponseFacts, type SamlSubjectConfirmation } from './saml-engine.js'

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol'
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion'
const DS = 'http://www.w3.org/2000/09/xmldsig#'

const ELEMENT_NODE = 1
const TEXT_NODE = 3
const CDATA_SECTION_NODE = 4
const PROCESSING_INSTRUCTION_NODE = 7
const DOCUMENT_NODE = 9
const allowedNodeTypes = new Set([TEXT_NODE, CDATA_SECTION_NODE, DOCUMENT_NODE])

/** xmldom keeps `<?xml version="1.0"?>` as a processing instruction; it is the only one allowed. */
function isXmlDeclaration(node: Node): boolean {
  return node.nodeType === PROCESSING_INSTRUCTION_NODE && (node as ProcessingInstruction).target === 'xml' && node.parentNode?.nodeType === DOCUMENT_NODE
}

const strongSignatureMethods = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
])
const strongDigestMethods = new Set(['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmldsig-more#sha384', 'http://www.w3.org/2001/04/xmlenc#sha512'])
const weakAlgorithms = new Set(['http://www.w3.org/2000/09/xmldsig#rsa-sha1', 'http://www.w3.org/2000/09/xmldsig#sha1'])
// No XPath or XSLT transforms: a reference names its parent element whole, nothing else.
const allowedTransforms = new Set([
  'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
])
const allowedCanonicalizations = new Set(['http://www.w3.org/2001/10/xml-exc-c14n#', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'])

const malformed = (message: string) => new SamlEngineError('malformed', message)

function childElements(parent: Element): Element[] {
  const found: Element[] = []
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) if (node.nodeType === ELEMENT_NODE) found.push(node as Element)
  return found
}

function childrenNamed(parent: Element, namespace: string, localName: string): Element[] {
  return childElements(parent).filter((element) => element.namespaceURI === namespace && element.localName === localName)
}

/** The one child of that name; malformed when there are several, or none and it is required. */
function onlyChild(parent: Element, namespace: string, localName: string, required: true): Element
function onlyChild(parent: Element, namespace: string, localName: string, required: false): Element | null
function onlyChild(parent: Element, namespace: string, localName: string, required: boolean): Element | null {
  const found = childrenNamed(parent, namespace, localName)
  if (found.length > 1) throw malformed(`more than one ${localName} in ${parent.localName}`)
  if (found.length === 0 && required) throw malformed(`no ${localName} in ${parent.localName}`)
  return found[0] ?? null
}

/** Every element below `root`, itself included, in document order. Bounded by the size cap before parsing. */
function allElements(root: Element): Element[] {
  const found: Element[] = [root]
  for (let index = 0; index < found.length; index++) found.push(...childElements(found[index]!))
  return found
}

/** Text of an element that may hold only text: a comment or element inside (comment injection) is malformed. */
function textOf(element: Element): string {
  let text = ''
  for (let node = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== TEXT_NODE && node.nodeType !== CDATA_SECTION_NODE) throw malformed(`${element.localName} holds more than text`)
    text += (node as CharacterData).data
  }
  return text
}

function attribute(element: Element, name: string): string | null {
  return element.hasAttribute(name) ? element.getAttribute(name) : null
}

function readTime(element: Element, name: string): number | null {
  const value = attribute(element, name)
  if (value === null) return null
  const time = Date.parse(value)
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(time)) throw malformed(`${name} is not a time`)
  return time
}

function parseXml(xml: string): Document {
  const fail = (message: string) => {
    throw malformed(`not well-formed XML: ${message.slice(0, 100)}`)
  }
  return new DOMParser({ errorHandler: { warning: () => {}, error: fail, fatalError: fail } }).parseFromString(xml, 'text/xml')
}

/** Walks every node once: no comments, processing instructions or doctypes anywhere, and every ID once. */
function checkNodes(document: Document): void {
  const ids = new Set<string>()
  const pending: Node[] = [document]
  while (pending.length > 0) {
    const node = pending.pop()!
    if (node.nodeType === ELEMENT_NODE) {
      const element = node as Element
      // xml-crypto resolves a reference by any of these; one value twice is how wrapping hides a copy.
      for (const name of ['ID', 'Id', 'id']) {
        const value = attribute(element, name)
        if (value === null) continue
        if (ids.has(value)) throw malformed('an ID occurs twice')
        ids.add(value)
      }
    } else if (!allowedNodeTypes.has(node.nodeType) && !isXmlDeclaration(node)) {
      throw malformed('comments, processing instructions and doctypes are refused')
    }
    for (let child = node.firstChild; child !== null; child = child.nextSibling) pending.push(child)
  }
}

/** The signature that signs `parent` whole, or null; anything else about it is malformed or weak. */
function readSignature(parent: Element): Element | null {
  const signature = onlyChild(parent, DS, 'Signature', false)
  if (signature === null) return null
  const signedInfo = onlyChild(signature, DS, 'SignedInfo', true)
  const method = attribute(onlyChild(signedInfo, DS, 'SignatureMethod', true), 'Algorithm') ?? ''
  const canonicalization = attribute(onlyChild(signedInfo, DS, 'CanonicalizationMethod', true), 'Algorithm') ?? ''
  const references = childrenNamed(signedInfo, DS, 'Reference')
  if (references.length !== 1) throw malformed('a signature must hold exactly one reference')
  const reference = references[0]!
  const digest = attribute(onlyChild(reference, DS, 'DigestMethod', true), 'Algorithm') ?? ''
  if (weakAlgorithms.has(method) || weakAlgorithms.has(digest)) throw new SamlEngineError('weak_algorithm', 'SHA-1 signatures and digests are refused')
  if (!strongSignatureMethods.has(method) || !strongDigestMethods.has(digest)) throw new SamlEngineError('signature', 'unsupported signature algorithm')
  if (!allowedCanonicalizations.has(canonicalization)) throw malformed('unsupported canonicalization')
  const transforms = onlyChild(reference, DS, 'Transforms', false)
  for (const transform of transforms === null ? [] : childElements(transforms)) {
    if (transform.namespaceURI !== DS || transform.localName !== 'Transform' || !allowedTransforms.has(attribute(transform, 'Algorithm') ?? '')) {
      throw malformed('unsupported transform')
    }
  }
  const id = attribute(parent, 'ID')
  if (id === null || attribute(reference, 'URI') !== `#${id}`) throw malformed(`the signature does not sign its ${parent.localName}`)
  return signature
}

function readSubjectConfirmations(subject: Element): SamlSubjectConfirmation[] {
  return childrenNamed(subject, SAML, 'SubjectConfirmation').map((confirmation) => {
    const data = onlyChild(confirmation, SAML, 'SubjectConfirmationData', false)
    return {
      method: attribute(confirmation, 'Method'),
      recipient: data === null ? null : attribute(data, 'Recipient'),
      inResponseTo: data === null ? null : attribute(data, 'InResponseTo'),
      notBefore: data === null ? null : readTime(data, 'NotBefore'),
      notOnOrAfter: data === null ? null : readTime(data, 'NotOnOrAfter'),
    }
  })
}

function readAttributes(assertion: Element): Record<string, string[]> {
  const statements = childrenNamed(assertion, SAML, 'AttributeStatement')
  const attributes: Record<string, string[]> = Object.create(null)
  for (const element of statements.flatMap((statement) => childrenNamed(statement, SAML, 'Attribute'))) {
    const name = attribute(element, 'Name')
    if (name === null) throw malformed('an attribute without a name')
    attributes[name] = [...(attributes[name] ?? []), ...childrenNamed(element, SAML, 'AttributeValue').map(textOf)]
  }
  return attributes
}

/**
 * Parses a SAML Response strictly and reads what gatehouse checks. The shape is pinned so that
 * what is read here is what the signature covers: the Response is the document element, it holds
 * exactly one Assertion as a direct child and nothing else anywhere is an Assertion; signatures
 * sit only directly in the Response or the Assertion and each signs its parent by its ID, which
 * occurs once in the document. Every wrapping attack breaks one of these. The caller has refused
 * doctypes and oversized documents before this runs.
 */
export function readSamlDocument(xml: string): SamlResponseFacts {
  const document = parseXml(xml)
  checkNodes(document)
  const response = document.documentElement
  if (response === null || response.namespaceURI !== SAMLP || response.localName !== 'Response') throw malformed('the document is not a SAML Response')
  if (attribute(response, 'Version') !== '2.0') throw malformed('not SAML 2.0')
  const everything = allElements(response)
  if (everything.some((element) => element.namespaceURI === SAML && element.localName === 'EncryptedAssertion')) throw malformed('encrypted assertions are not supported')
  const assertions = everything.filter((element) => element.namespaceURI === SAML && element.localName === 'Assertion')
  const assertion = onlyChild(response, SAML, 'Assertion', true)
  if (assertions.length !== 1) throw malformed('exactly one assertion is accepted')
  const signatures = everything.filter((element) => element.namespaceURI === DS && element.localName === 'Signature')
  const placed = [readSignature(response), readSignature(assertion)].filter((signature) => signature !== null)
  if (signatures.length !== placed.length) throw malformed('a signature outside the Response and the Assertion')
  if (placed.length === 0) throw new SamlEngineError('signature', 'the response is not signed')

  const statusCode = onlyChild(onlyChild(onlyChild(response, SAMLP, 'Status', true), SAMLP, 'StatusCode', true), SAMLP, 'StatusCode', false)
  const topStatus = attribute(onlyChild(onlyChild(response, SAMLP, 'Status', true), SAMLP, 'StatusCode', true), 'Value')
  const responseIssuer = onlyChild(response, SAML, 'Issuer', false)
  const subject = onlyChild(assertion, SAML, 'Subject', true)
  const nameIdElement = onlyChild(subject, SAML, 'NameID', true)
  const nameId = textOf(nameIdElement)
  if (nameId.trim() === '') throw malformed('the NameID is empty')
  const conditions = onlyChild(assertion, SAML, 'Conditions', false)
  const authnStatement = onlyChild(assertion, SAML, 'AuthnStatement', true)
  const id = attribute(assertion, 'ID')
  if (id === null || id === '') throw malformed('the assertion has no ID')

  return {
    responseId: attribute(response, 'ID'),
    destination: attribute(response, 'Destination'),
    inResponseTo: attribute(response, 'InResponseTo'),
    responseIssuer: responseIssuer === null ? null : textOf(responseIssuer).trim(),
    status: topStatus,
    subStatus: statusCode === null ? null : attribute(statusCode, 'Value'),
    assertion: {
      id,
      issuer: textOf(onlyChild(assertion, SAML, 'Issuer', true)).trim(),
      nameId,
      nameIdFormat: attribute(nameIdElement, 'Format'),
      subjectConfirmations: readSubjectConfirmations(subject),
      conditions:
        conditions === null
          ? null
          : {
              notBefore: readTime(conditions, 'NotBefore'),
              notOnOrAfter: readTime(conditions, 'NotOnOrAfter'),
              audienceRestrictions: childrenNamed(conditions, SAML, 'AudienceRestriction').map((restriction) =>
                childrenNamed(restriction, SAML, 'Audience').map((audience) => textOf(audience).trim()),
              ),
            },
      sessionNotOnOrAfter: readTime(authnStatement, 'SessionNotOnOrAfter'),
      attributes: readAttributes(assertion),
    },
  }
}
