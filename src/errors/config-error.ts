/** Thrown once by createGatehouse, listing every problem with the options. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly problems: string[]

  constructor(problems: string[]) {
    super(`Invalid gatehouse options:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.problems = problems
  }
}
