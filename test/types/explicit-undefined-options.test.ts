import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { createGatehouse } from '../../src/index.js'
import { everyOptionUndefined } from './fixtures/explicit-undefined-options.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const fixture = fileURLToPath(new URL('./fixtures/explicit-undefined-options.ts', import.meta.url))

/** The project's compiler options with exactOptionalPropertyTypes on, as a host's tsconfig may set it. */
function strictOptions(): ts.CompilerOptions {
  const configFile = ts.readConfigFile(`${root}tsconfig.json`, (path) => ts.sys.readFile(path))
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root)
  return { ...options, exactOptionalPropertyTypes: true, noEmit: true }
}

// The second check reuses the first one's parsed files.
let previous: ts.Program | undefined

/** Type errors of `file` alone (not of the gatehouse sources it imports), as `line: message`. */
function typeErrorsOf(file: string, extraSources: Record<string, string> = {}): string[] {
  const options = strictOptions()
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  host.readFile = (path) => extraSources[path] ?? readFile(path)
  host.fileExists = (path) => path in extraSources || fileExists(path)
  const program = ts.createProgram({ rootNames: [file], options, host, oldProgram: previous })
  previous = program
  const source = program.getSourceFile(file)!
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((diagnostic) => {
    const { line } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    return `${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`
  })
}

describe('options under exactOptionalPropertyTypes', () => {
  it('every optional option of createGatehouse, the adapters and the storage factories may be given as undefined', () => {
    expect(typeErrorsOf(fixture)).toEqual([])
  }, 60_000)

  it('the check has the flag on: an optional property without `| undefined` refuses undefined', () => {
    const probe = `${root}test/types/fixtures/exact-optional-probe.ts`
    const errors = typeErrorsOf(probe, { [probe]: 'interface Narrow { secret?: string }\nexport const narrow: Narrow = { secret: undefined }\n' })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^2: .*exactOptionalPropertyTypes/)
  }, 60_000)

  it('createGatehouse takes options given as undefined as omitted', () => {
    const gate = createGatehouse(everyOptionUndefined)
    expect(gate.mountPath).toBe('/auth')
    expect(gate.config.passwords).toEqual({ minLength: 8, maxLength: 128, hashing: { memoryCost: 19456, timeCost: 2, parallelism: 1 }, breachCheck: null, resolveLoginName: null })
    expect(gate.config.sessions.idleTimeoutSeconds).toBe(7 * 24 * 3600)
    expect(gate.config.sessions.logoutRequiresCredentials).toBe(false)
    expect(gate.config.tokens.revokeKeepsListed).toBe(false)
    expect(gate.routes.find((route) => route.name === 'login')?.path).toBe('/session')
  })
})
