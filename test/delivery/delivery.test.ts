import nodemailer from 'nodemailer'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConfigError, createConsoleMailer, createConsoleSmsSender, createGatehouse, createSmtpMailer } from '../../src/index.js'
import { createDeliveryTestApp, linkIn, signUpOver } from '../support/delivery-apps.js'
import { frameworks } from '../support/example-apps.js'

const email = 'jane@example.com'
const password = 'correct horse battery'

describe('createSmtpMailer over a nodemailer transport', () => {
  it('hands from, to, subject, text and html to the transport', async () => {
    const transport = nodemailer.createTransport({ jsonTransport: true })
    const sent: string[] = []
    const recording = {
      async sendMail(mail: Parameters<typeof transport.sendMail>[0]) {
        const info = await transport.sendMail(mail)
        sent.push(String(info.message))
        return info
      },
    }
    const mailer = createSmtpMailer(recording, { from: 'Example <no-reply@example.com>' })
    await mailer.send({ to: email, subject: 'Hello', text: 'Plain <b>', html: '<p>Hi</p>', kind: 'otp' })
    await mailer.send({ to: email, subject: 'Text only', text: 'Just text', kind: 'otp' })
    const [withHtml, textOnly] = sent.map((json) => JSON.parse(json))
    expect(withHtml).toMatchObject({ subject: 'Hello', text: 'Plain <b>', html: '<p>Hi</p>' })
    expect(withHtml.from).toEqual({ address: 'no-reply@example.com', name: 'Example' })
    expect(withHtml.to).toEqual([{ address: email, name: '' }])
    expect(textOnly.html).toBeUndefined()
  })

  it('takes a nodemailer transport as it is, and passes its failures on', async () => {
    const transport = nodemailer.createTransport({ jsonTransport: true })
    await expect(createSmtpMailer(transport, { from: 'no-reply@example.com' }).send({ to: email, subject: 's', text: 't', kind: 'otp' })).resolves.toBeUndefined()
    const failing = { sendMail: async () => Promise.reject(new Error('connection refused')) }
    await expect(createSmtpMailer(failing, { from: 'a@example.com' }).send({ to: email, subject: 's', text: 't', kind: 'otp' })).rejects.toThrow('connection refused')
  })
})

describe('console delivery (demo)', () => {
  it('prints the message', async () => {
    const lines: string[] = []
    await createConsoleMailer((line) => lines.push(line)).send({ to: email, subject: 'Subject', text: 'Body', kind: 'magic_link' })
    await createConsoleSmsSender((line) => lines.push(line)).send({ to: '+15550100', text: '123456 is your code', kind: 'otp' })
    expect(lines).toEqual([`[gatehouse mail] to ${email}: Subject\nBody`, '[gatehouse sms] to +15550100: 123456 is your code'])
  })
})

describe.each(frameworks)('%s: message templates per kind and locale', (framework) => {
  function frenchApp(defaultLocale?: string) {
    return createDeliveryTestApp(framework, {
      delivery: {
        defaultLocale,
        templates: {
          magic_link: { fr: ({ link = '', lifetimeMinutes }) => ({ subject: 'Votre lien', text: `Lien (${lifetimeMinutes} min) : ${link}` }) },
          otp: { 'pt-BR': ({ code = '', medium }) => ({ subject: 'Seu código', text: `${medium}: ${code}` }) },
        },
      },
    })
  }

  it('picks the template from Accept-Language, the explicit locale, then the default locale, else English', async () => {
    const app = frenchApp()
    await signUpOver(app, email, password)
    const send = (headers: Record<string, string>, body: object = {}) =>
      request(app.handler).post('/auth/magic-link').set(headers).send({ email, ...body }).then(() => app.gate.delivery.drain())

    await send({ 'Accept-Language': 'de-DE, fr-CA;q=0.8, en;q=0.5' })
    expect(app.mailer.last()!.subject).toBe('Votre lien')
    expect(app.mailer.last()!.text).toMatch(/^Lien \(10 min\) : http:\/\/app\.test\/auth\/magic-link\/verify\?token=/)
    expect(app.mailer.last()!.html).toBeUndefined()
    await send({ 'Accept-Language': 'fr' }, { locale: 'en' })
    expect(app.mailer.last()!.subject).toBe('Your sign-in link for app.test')
    await send({ 'Accept-Language': 'en;q=0.9, fr;q=0.1' })
    expect(app.mailer.last()!.subject).toBe('Your sign-in link for app.test')
    await send({ 'Accept-Language': 'garbage;;,,*;q=x' })
    expect(app.mailer.last()!.subject).toBe('Your sign-in link for app.test')

    const french = frenchApp('fr')
    await signUpOver(french, email, password)
    await request(french.handler).post('/auth/magic-link').send({ email })
    await french.gate.delivery.drain()
    expect(french.mailer.last()!.subject).toBe('Votre lien')
  })

  it('renders SMS and e-mail codes with the same template, told apart by medium', async () => {
    const app = frenchApp()
    const cookie = await signUpOver(app, email, password)
    app.phones.set(email, '+55 11 91234 5678')
    await request(app.handler).post('/auth/otp').set('Cookie', cookie).set('Accept-Language', 'pt-BR').send({ medium: 'sms' })
    expect(app.sms.last()!.text).toMatch(/^sms: \d{6}$/)
    await request(app.handler).post('/auth/otp').set('Cookie', cookie).send({ medium: 'email', locale: 'pt' })
    expect(app.mailer.last()!.text).toMatch(/^email: \d{6}$/)
  })

  it('escapes variables in the built-in HTML', async () => {
    const app = createDeliveryTestApp(framework, { baseUrl: 'http://app.test/base' })
    await signUpOver(app, email, password)
    await request(app.handler).post('/auth/magic-link').send({ email })
    await app.gate.delivery.drain()
    const message = app.mailer.last()!
    expect(linkIn(message.text).pathname).toBe('/base/auth/magic-link/verify')
    expect(message.html).not.toMatch(/<(?!\/?(p|a)\b)/)
  })
})

describe('delivery options are checked once', () => {
  it('lists every problem in one ConfigError', () => {
    let error: unknown
    try {
      createGatehouse({
        baseUrl: 'http://app.test',
        delivery: { email: {} as never, templates: { otp: { 'not a locale!': (() => ({})) as never } }, defaultLocale: '' },
        magicLinks: { allowedRedirectOrigins: ['javascript:alert(1)'], lifetimeSeconds: -1, linkPath: '//evil' } as never,
        otp: { maxAttempts: 0 },
        passwordReset: { linkPath: 'relative' },
      })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    for (const path of ['delivery.email', 'delivery.templates', 'delivery.defaultLocale', 'magicLinks.allowedRedirectOrigins', 'magicLinks.lifetimeSeconds', 'magicLinks', 'otp.maxAttempts', 'passwordReset.linkPath']) {
      expect(problems).toContain(path)
    }
  })
})
