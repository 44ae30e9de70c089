import { z } from 'zod'
import type { HeaderReader } from '../http/types.js'

const localeTag = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8}){0,4}$/

/** Whether a string is a plausible BCP 47 language tag ('en', 'pt-BR'). */
export function isLocaleTag(value: string): boolean {
  return localeTag.test(value)
}

/** An option or body field holding a language tag. */
export const localeField = z.string().max(44).refine(isLocaleTag, 'must be a language tag such as en or pt-BR')

/**
 * The languages a request prefers, best first: an explicit locale, then Accept-Language by
 * q-value. Only the first 16 Accept-Language entries are read.
 */
export function readPreferredLocales(headers: HeaderReader, explicit?: string): string[] {
  const header = headers.get('accept-language') ?? ''
  const ranked = header
    .split(',', 16)
    .map((entry, index) => {
      const [tag = '', ...parameters] = entry.trim().split(';')
      const quality = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { tag: tag.trim(), q: quality === undefined ? 1 : Number(quality.slice(2)), index }
    })
    .filter(({ tag, q }) => isLocaleTag(tag) && Number.isFinite(q) && q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map(({ tag }) => tag)
  return explicit === undefined ? ranked : [explicit, ...ranked]
}

const languageOf = (locale: string) => locale.toLowerCase().split('-', 1)[0]!

/**
 * The first of `available` matching the most preferred locale that has a match: exactly, else by
 * language ('fr-CA' -> 'fr', 'pt' -> 'pt-BR'). Case-insensitive.
 */
export function chooseLocale(preferred: readonly string[], available: readonly string[]): string | undefined {
  for (const locale of preferred) {
    const exact = available.find((candidate) => candidate.toLowerCase() === locale.toLowerCase())
    if (exact !== undefined) return exact
    const language = languageOf(locale)
    const sameLanguage = available.find((candidate) => candidate.toLowerCase() === language) ?? available.find((candidate) => languageOf(candidate) === language)
    if (sameLanguage !== undefined) return sameLanguage
  }
  return undefined
}
