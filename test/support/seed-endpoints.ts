import { readFileSync } from 'node:fs'
import type { RequestListener } from 'node:http'
import request from 'supertest'
import { fileURLToPath } from 'node:url'
import type { OpenApiDocument } from '../../src/index.js'

/** One row of a seed document's endpoint table: `[**op**](…) | **METHOD** /path/{param} | summary`. */
export interface SeedEndpoint {
  operation: string
  method: string
  /** Relative to the base path, parameters as `{name}`. */
  path: string
}

export interface SeedDocument {
  /** The path part of "All URIs are relative to *…*" ('' for a bare host). */
  basePath: string
  endpoints: SeedEndpoint[]
}

// Copies of ../shared/seeds, kept in the repository so a clone anywhere runs these tests.
const seedsDirectory = fileURLToPath(new URL('../fixtures/seeds/', import.meta.url))

/** Reads a seed document (`000_f65944694ea0cc9c.txt`, …) from test/fixtures/seeds (copies of ../shared/seeds) as the examples reproduce it. */
export function readSeedDocument(fileName: string): SeedDocument {
  const text = readFileSync(`${seedsDirectory}${fileName}`, 'utf8')
  const base = /All URIs are relative to \*([^*]+)\*/.exec(text)?.[1]
  if (base === undefined) throw new Error(`${fileName}: no base URL line`)
  const endpoints = [...text.matchAll(/^\[\*\*(\w+)\*\*\]\([^)]*\) \| \*\*([A-Z]+)\*\* (\S+) \|/gm)].map(([, operation, method, path]) => ({
    operation: operation!,
    method: method!,
    path: path!,
  }))
  if (endpoints.length === 0) throw new Error(`${fileName}: no endpoint table`)
  return { basePath: new URL(base).pathname.replace(/\/$/, ''), endpoints }
}

/** 'METHOD /path' with every parameter written `{}`: parameter names never reach the wire. */
export function endpointKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`
}

/** The endpoints of an OpenAPI document, as endpointKey strings, sorted. */
export function openApiEndpointKeys(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => endpointKey(method, path)))
    .sort()
}

/** The seed's endpoints as endpointKey strings, sorted. */
export function seedEndpointKeys(seed: SeedDocument): string[] {
  return seed.endpoints.map((endpoint) => endpointKey(endpoint.method, endpoint.path)).sort()
}

/**
 * The seed endpoints nothing in the app answers: a request (parameters filled with 'x', no
 * credentials) that gets the framework's own 404 (not JSON) instead of an answer of the example's.
 */
export async function unservedEndpoints(listener: RequestListener, seed: SeedDocument): Promise<string[]> {
  const unserved: string[] = []
  for (const { method, path } of seed.endpoints) {
    const response = await request(listener)[method.toLowerCase() as 'get'](`${seed.basePath}${path.replace(/\{[^}]+\}/g, 'x')}`)
    const json = String(response.headers['content-type'] ?? '').includes('json')
    if (response.status === 404 && !json) unserved.push(endpointKey(method, path))
    if (response.status === 405) unserved.push(endpointKey(method, path))
  }
  return unserved
}
