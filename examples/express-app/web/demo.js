// The demo's only script: every button calls gatehouse's JSON routes under /auth with fetch.
'use strict'

const $ = (selector) => document.querySelector(selector)

async function call(method, path, body) {
  const response = await fetch(`/auth${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  const data = text === '' ? null : JSON.parse(text)
  return { status: response.status, ok: response.ok, data }
}

function say(message, isError = false) {
  const status = $('#status')
  if (status === null) return
  status.textContent = message
  status.classList.toggle('error', isError)
}

function sayFailure(result) {
  say(result.data?.error?.message ?? `Request failed (${result.status})`, true)
}

/** Runs a WebAuthn ceremony; a cancelled prompt or a browser without passkeys is said, not thrown. */
async function ceremony(run) {
  if (typeof PublicKeyCredential?.parseCreationOptionsFromJSON !== 'function') {
    say('This browser cannot use passkeys here (it needs WebAuthn JSON support and localhost or https).', true)
    return null
  }
  try {
    return await run()
  } catch (error) {
    say(`The passkey prompt ended: ${error.message}`, true)
    return null
  }
}

function show(id) {
  for (const section of ['signed-out', 'pending', 'signed-in']) $(`#${section}`).hidden = section !== id
}

function item(text, buttonLabel, onClick) {
  const li = document.createElement('li')
  li.append(text)
  if (buttonLabel !== undefined) {
    const button = document.createElement('button')
    button.type = 'button'
    button.textContent = buttonLabel
    button.addEventListener('click', onClick)
    li.append(' ', button)
  }
  return li
}

async function refresh() {
  const current = await call('GET', '/session')
  if (current.status === 403 && current.data?.error?.code === 'SECOND_FACTOR_REQUIRED') return show('pending')
  if (!current.ok) return show('signed-out')
  show('signed-in')
  $('#who').textContent = current.data.user.email
  $('#factors').textContent = `signed in with ${current.data.factors.map((factor) => factor.method).join(' + ')}`
  const totpOn = current.data.secondFactors.includes('totp')
  $('#totp-off').hidden = totpOn
  $('#totp-on').hidden = !totpOn

  const sessions = await call('GET', '/sessions')
  $('#sessions').replaceChildren(
    ...sessions.data.map((session) =>
      session.current
        ? item(`This session, since ${new Date(session.createdAt).toLocaleString()}`)
        : item(`Session from ${session.userAgent ?? 'an unknown client'}, since ${new Date(session.createdAt).toLocaleString()}`, 'Revoke', async () => {
            await call('DELETE', `/sessions/${session.id}`)
            await refresh()
          }),
    ),
  )
  const passkeys = await call('GET', '/passkeys')
  $('#passkeys').replaceChildren(
    ...passkeys.data.map((passkey) =>
      item(`${passkey.name}, added ${new Date(passkey.createdAt).toLocaleString()}`, `Remove ${passkey.name}`, async () => {
        const removed = await call('DELETE', `/passkeys/${passkey.id}`)
        if (!removed.ok) return sayFailure(removed)
        await refresh()
      }),
    ),
  )
  const tokens = await call('GET', '/tokens')
  $('#tokens').replaceChildren(
    ...tokens.data.map((token) =>
      item(`${token.name} (${token.hint})`, `Revoke ${token.name}`, async () => {
        await call('DELETE', `/tokens/${token.id}`)
        $('#new-token').hidden = true
        await refresh()
      }),
    ),
  )
}

function bindAccountPage() {
  $('#credentials').addEventListener('submit', async (event) => {
    event.preventDefault()
    const form = new FormData(event.target)
    const email = form.get('email')
    const password = form.get('password')
    const action = event.submitter?.dataset.action
    if (action === 'magic-link' || action === 'reset') {
      const result = await call('POST', action === 'reset' ? '/password-reset' : '/magic-link', { email })
      if (!result.ok) return sayFailure(result)
      return say('Sent: open the mailbox to follow the link.')
    }
    const result = await call('POST', action === 'signup' ? '/signup' : '/session', { email, password })
    if (!result.ok) return sayFailure(result)
    say(result.data.pending ? 'Password accepted: now the second factor.' : action === 'signup' ? 'Welcome! Your account is ready.' : 'Logged in.')
    await refresh()
  })
  $('#second-factor').addEventListener('submit', async (event) => {
    event.preventDefault()
    const form = new FormData(event.target)
    const result = await call('POST', '/session/second-factor', { method: form.get('method'), code: form.get('code') })
    if (!result.ok) return sayFailure(result)
    event.target.reset()
    say('Second factor accepted.')
    await refresh()
  })
  for (const button of document.querySelectorAll('[data-action="logout"]')) {
    button.addEventListener('click', async () => {
      await call('DELETE', '/session')
      say('Logged out.')
      await refresh()
    })
  }
  $('#token-form').addEventListener('submit', async (event) => {
    event.preventDefault()
    const result = await call('POST', '/tokens', { name: new FormData(event.target).get('name') })
    if (!result.ok) return sayFailure(result)
    event.target.reset()
    $('#new-token code').textContent = result.data.token
    $('#new-token').hidden = false
    await refresh()
  })
  // Passkeys: options from the routes, the browser's ceremony, its answer back (README, Passkeys).
  $('[data-action="passkey-add"]').addEventListener('click', async () => {
    const options = await call('POST', '/passkeys/register/options')
    if (!options.ok) return sayFailure(options)
    const credential = await ceremony(() => navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.data) }))
    if (credential === null) return
    const result = await call('POST', '/passkeys/register', { response: credential.toJSON(), name: `Passkey ${new Date().toLocaleDateString()}` })
    if (!result.ok) return sayFailure(result)
    say('Passkey added: next time, sign in with it.')
    await refresh()
  })
  for (const button of document.querySelectorAll('[data-action="passkey-sign-in"]')) {
    button.addEventListener('click', async () => {
      const options = await call('POST', '/passkeys/login/options')
      if (!options.ok) return sayFailure(options)
      const credential = await ceremony(() => navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.data) }))
      if (credential === null) return
      const result = await call('POST', '/passkeys/login', { response: credential.toJSON() })
      if (!result.ok) return sayFailure(result)
      say('Signed in with a passkey.')
      await refresh()
    })
  }
  $('[data-action="totp-enable"]').addEventListener('click', async () => {
    const result = await call('POST', '/totp')
    if (!result.ok) return sayFailure(result)
    $('#qr').innerHTML = result.data.qrCodeSvg // our own server's SVG
    $('#totp-secret').textContent = result.data.secret
    $('#totp-confirm').hidden = false
  })
  $('#totp-confirm').addEventListener('submit', async (event) => {
    event.preventDefault()
    const result = await call('POST', '/totp/confirm', { code: new FormData(event.target).get('code') })
    if (!result.ok) return sayFailure(result)
    event.target.hidden = true
    $('#recovery-codes').replaceChildren(...result.data.recoveryCodes.map((code) => item(code)))
    $('#recovery').hidden = false
    say('Two-factor authentication is on. Keep the recovery codes somewhere safe.')
    await refresh()
  })
  void refresh()
}

async function showMailbox() {
  const mails = await (await fetch('/demo/mailbox')).json()
  $('#mails').replaceChildren(
    ...mails.map((mail) => {
      const li = document.createElement('li')
      const heading = document.createElement('strong')
      heading.textContent = `To ${mail.to}: ${mail.subject}`
      const body = document.createElement('p')
      // Links become clickable; everything else stays text.
      for (const part of mail.text.split(/(https?:\/\/\S+)/)) {
        if (/^https?:\/\//.test(part)) {
          const link = document.createElement('a')
          link.href = part
          link.textContent = part
          body.append(link)
        } else body.append(part)
      }
      li.append(heading, body)
      return li
    }),
  )
}

async function bindResetPage() {
  const key = new URLSearchParams(location.search).get('key') ?? ''
  const info = await call('GET', `/password-reset?key=${encodeURIComponent(key)}`)
  if (!info.ok) return sayFailure(info)
  $('#reset-email').textContent = info.data.email
  $('#reset-form').addEventListener('submit', async (event) => {
    event.preventDefault()
    const result = await call('POST', '/password-reset/complete', { key, newPassword: new FormData(event.target).get('newPassword') })
    if (!result.ok) return sayFailure(result)
    event.target.hidden = true
    say('Password changed. Log in with it on the account page.')
  })
}

if ($('#credentials') !== null) bindAccountPage()
if ($('#mails') !== null) void showMailbox()
if ($('#reset-form') !== null) void bindResetPage()
