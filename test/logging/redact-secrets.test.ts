import { describe, expect, it } from 'vitest'
import { describeErrorForLog } from '../../src/errors/describe-error.js'
import { redactSecrets } from '../../src/errors/redact-secrets.js'

const sessionToken = `ghs_${'Ab3_-'.repeat(8)}xyz`

describe('redactSecrets', () => {
  it('redacts quoted values', () => {
    expect(redactSecrets('invalid input syntax for type bigint: "hunter2"')).toBe('invalid input syntax for type bigint: [redacted]')
    expect(redactSecrets("value 'secret phrase' and `another` too")).toBe('value [redacted] and [redacted] too')
  })

  it('redacts prefixed tokens of every kind', () => {
    for (const prefix of ['ghs_', 'ghp_', 'gha_']) {
      expect(redactSecrets(`bad token ${prefix}abc for user`)).toBe('bad token [redacted] for user')
    }
    expect(redactSecrets(`token=${sessionToken}`)).toBe('token=[redacted]')
  })

  it('redacts e-mail addresses and credentials in URLs', () => {
    expect(redactSecrets('duplicate key for jane.doe+x@example.com, sorry')).toBe('duplicate key for [redacted], sorry')
    expect(redactSecrets('connect to postgres://app:s3cret@db.internal:5432/prod failed')).not.toMatch(/s3cret/)
  })

  it('redacts values assigned to secret-sounding names', () => {
    expect(redactSecrets('login failed: password=hunter2; retry')).toBe('login failed: password=[redacted]; retry')
    expect(redactSecrets('Authorization: Basic')).toBe('Authorization: [redacted]')
  })

  it('redacts long base64 and hex runs', () => {
    const hex = 'a3f5'.repeat(16)
    const base64 = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJ+/=='
    expect(redactSecrets(`hash ${hex} mismatch`)).toBe('hash [redacted] mismatch')
    expect(redactSecrets(`blob ${base64} rejected`)).toBe('blob [redacted] rejected')
    expect(redactSecrets('id 9f86d081884c7d65 unknown')).toBe('id [redacted] unknown')
  })

  it('keeps ordinary words, codes, numbers and hosts', () => {
    for (const text of [
      'connect ECONNREFUSED 127.0.0.1:5432',
      'Connection terminated due to connection timeout',
      'STORAGE_UNAVAILABLE after 1500 ms',
      'timeout exceeded when trying to connect',
    ]) {
      expect(redactSecrets(text)).toBe(text)
    }
  })
})

describe('describeErrorForLog', () => {
  it('gives the name, the code and the redacted message', () => {
    const error = Object.assign(new Error(`duplicate key value ${sessionToken} for jane@example.com`), { name: 'DatabaseError', code: '23505' })
    expect(describeErrorForLog(error)).toBe('DatabaseError [23505]: duplicate key value [redacted] for [redacted]')
    expect(describeErrorForLog(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toBe(
      'Error [ECONNREFUSED]: connect ECONNREFUSED 127.0.0.1:6379',
    )
    expect(describeErrorForLog(new TypeError('x is not a function'))).toBe('TypeError: x is not a function')
  })

  it('says nothing of a thrown non-error', () => {
    expect(describeErrorForLog('jane@example.com')).toBe('non-error thrown')
  })
})
