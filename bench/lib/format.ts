/** Number formatting shared by the console and markdown reports. */
export function rate(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–'
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function ms(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : `${value}`
}

export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined || Number.isNaN(ratio) ? '–' : `${Math.round(ratio * 100)}%`
}

/** A GitHub-flavoured markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[] = []): string {
  const sep = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'))
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`
  return [line(header), line(sep), ...rows.map(line)].join('\n')
}
