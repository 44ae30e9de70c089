import request from 'supertest'
import { expect } from 'vitest'
import type { GatehouseOptions } from '../../src/index.js'
import { type CaptureMailer, type CaptureSmsSender, createCaptureMailer, createCaptureSmsSender } from '../../src/testing/index.js'
import { type Framework, type TestApp, createTestApp, sessionCookieOf } from './example-apps.js'

export interface DeliveryTestApp extends TestApp {
  mailer: CaptureMailer
  sms: CaptureSmsSender
  /** Phone numbers by user e-mail, read by delivery.phoneNumberOf. */
  phones: Map<string, string>
}

/** An example app with capture mailer and SMS sender; `delivery` overrides merge into them. */
export function createDeliveryTestApp(framework: Framework, overrides: Partial<GatehouseOptions> = {}): DeliveryTestApp {
  const mailer = createCaptureMailer()
  const sms = createCaptureSmsSender()
  const phones = new Map<string, string>()
  const app = createTestApp(framework, {
    ...overrides,
    delivery: { email: mailer, sms, phoneNumberOf: (user) => phones.get(user.email) ?? null, ...overrides.delivery },
  })
  return { ...app, mailer, sms, phones }
}

/** Signs a user up over HTTP; answers the session cookie pair. */
export async function signUpOver(app: TestApp, email: string, password: string): Promise<string> {
  const res = await request(app.handler).post('/auth/signup').send({ email, password })
  expect(res.status).toBe(201)
  return sessionCookieOf(res.headers['set-cookie'])
}

/** The first http(s) URL in a text. */
export function linkIn(text: string | undefined): URL {
  const match = /https?:\/\/[^\s"<]+/.exec(text ?? '')
  if (match === null) throw new Error(`no link in ${JSON.stringify(text)}`)
  return new URL(match[0])
}

/** The path and query of a URL, for supertest. */
export function pathOf(url: URL): string {
  return `${url.pathname}${url.search}`
}

/** Response headers that depend on the moment, not on the request's content. */
export function stableHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const { date: _date, etag: _etag, ...rest } = headers
  return rest
}
