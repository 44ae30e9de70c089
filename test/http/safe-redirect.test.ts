import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { resolveSafeRedirect } from '../../src/index.js'

const policy = { baseUrl: new URL('https://app.test/base'), allowedRedirectOrigins: new Set(['https://app.test', 'https://front.test']) }

describe('resolveSafeRedirect', () => {
  it.each([
    ['/', 'https://app.test/'],
    ['/projects?tab=1#top', 'https://app.test/projects?tab=1#top'],
    ['/%2F%2Fevil.test', 'https://app.test/%2F%2Fevil.test'],
    ['https://front.test/welcome', 'https://front.test/welcome'],
    ['https://app.test/x', 'https://app.test/x'],
  ])('accepts %j', (target, expected) => {
    expect(resolveSafeRedirect(policy, target)).toBe(expected)
  })

  it.each([
    '//evil.test',
    '///evil.test',
    '/\\evil.test',
    '\\\\evil.test',
    '/\t/evil.test',
    '/\n/evil.test',
    'https://evil.test',
    'https://front.test.evil.test/',
    'http://front.test/',
    'https://app.test@evil.test/',
    'https://user:secret@front.test/',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,x',
    'evil.test/path',
    'projects',
    '',
    `/${'a'.repeat(3000)}`,
  ])('refuses %j', (target) => {
    expect(resolveSafeRedirect(policy, target)).toBeNull()
  })

  it('never answers a URL outside the allowed origins, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string().map((s) => `/${s}`), fc.string().map((s) => `//${s}`)), (target) => {
        const resolved = resolveSafeRedirect(policy, target)
        if (resolved !== null) expect(policy.allowedRedirectOrigins.has(new URL(resolved).origin)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
})
