import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createDeliveryTestApp, linkIn, pathOf } from '../support/delivery-apps.js'
import type { Framework } from '../support/example-apps.js'

/** What a client sees of a response, apart from headers that depend on the moment or the framework's name. */
async function seen(framework: Framework, send: (handler: ReturnType<typeof createDeliveryTestApp>['handler'], app: ReturnType<typeof createDeliveryTestApp>) => Promise<request.Response>) {
  const app = createDeliveryTestApp(framework)
  const res = await send(app.handler, app)
  return { status: res.status, text: res.text, type: res.headers['content-type'] ?? null, length: res.headers['content-length'] ?? null, location: res.headers.location ?? null }
}

describe('Express and Koa answer with the same bytes', () => {
  it('a 202 without a body is empty on both (Koa wrote "Accepted")', async () => {
    const send = (handler: Parameters<typeof request>[0]) => request(handler).post('/auth/magic-link').send({ email: 'nobody@example.com' })
    const express = await seen('express', send)
    expect(express).toMatchObject({ status: 202, text: '', type: null })
    expect(await seen('koa', send)).toEqual(express)
  })

  it('a 303 carries only its Location (Koa wrote "See Other")', async () => {
    const send = async (handler: Parameters<typeof request>[0], app: ReturnType<typeof createDeliveryTestApp>) => {
      await request(handler).post('/auth/signup').send({ email: 'same@example.com', password: 'long enough pw' })
      await request(handler).post('/auth/magic-link').send({ email: 'same@example.com' })
      await app.gate.delivery.drain()
      const link = linkIn(app.mailer.last('same@example.com')?.text)
      return request(handler).post(pathOf(link)).type('form').send({ token: link.searchParams.get('token') }).set('Origin', 'http://app.test').set('Accept', 'text/html')
    }
    const express = await seen('express', send)
    expect(express).toMatchObject({ status: 303, text: '', type: null, location: 'http://app.test/' })
    expect(await seen('koa', send)).toEqual(express)
  })

  it('a 204 is empty on both', async () => {
    const send = (handler: Parameters<typeof request>[0]) => request(handler).delete('/auth/session')
    expect(await seen('koa', send)).toEqual(await seen('express', send))
  })
})
