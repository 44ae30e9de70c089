/** One media range of an Accept header ('text/html;q=0.9'). */
interface MediaRange {
  type: string
  subtype: string
  quality: number
}

function readMediaRanges(accept: string): MediaRange[] {
  return accept.split(',').flatMap((part) => {
    const [range, ...parameters] = part.split(';')
    const [type, subtype] = range!.trim().toLowerCase().split('/')
    if (type === undefined || type === '' || subtype === undefined || subtype === '') return []
    const q = parameters.map((parameter) => parameter.trim().toLowerCase()).find((parameter) => parameter.startsWith('q='))
    const quality = q === undefined ? 1 : Number(q.slice(2))
    return Number.isFinite(quality) ? [{ type, subtype, quality }] : []
  })
}

/** The quality `ranges` give `mediaType`: that of the most specific range that matches it (RFC 9110 12.5.1), 0 when none does. */
function qualityOf(ranges: readonly MediaRange[], mediaType: string): number {
  const [type, subtype] = mediaType.split('/')
  // Specificity: 'type/subtype' 2, 'type/*' 1, any 0, no match -1.
  let best = { specificity: -1, quality: 0 }
  for (const range of ranges) {
    const specificity = range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' && range.subtype === '*' ? 0 : -1
    if (specificity > best.specificity || (specificity === best.specificity && range.quality > best.quality)) best = { specificity, quality: range.quality }
  }
  return best.specificity < 0 ? 0 : best.quality
}

/**
 * Whether an Accept header ranks text/html above application/json: what a browser's page
 * navigation sends (`text/html,...,*\/*;q=0.8`). fetch's default `*\/*`, a missing header and any
 * header naming JSON at least as high do not.
 */
export function prefersHtmlToJson(accept: string | null): boolean {
  if (accept === null) return false
  const ranges = readMediaRanges(accept)
  return qualityOf(ranges, 'text/html') > qualityOf(ranges, 'application/json')
}

/** Whether the client asks for JSON at all (a program); a browser pressing a page's button does not. */
export function wantsJson(accept: string | null): boolean {
  return (accept ?? '').toLowerCase().includes('application/json')
}

/**
 * Whether a GET may use a one-time link up: JSON asked for, and neither HTML nor any type accepted.
 * Link-preview bots fetch with HTTP clients' defaults that name JSON among any type (axios's
 * Accept); they must get the page, not burn the link.
 */
export function prefersJsonToPage(accept: string | null): boolean {
  const types = (accept ?? '').split(',').map((range) => range.split(';', 1)[0]!.trim().toLowerCase())
  return types.includes('application/json') && !types.includes('text/html') && !types.includes('*/*')
}
