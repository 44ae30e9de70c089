import { escapeHtml } from '../http/escape-html.js'
import type { MessageKind } from './message-kind.js'

/** What a template may use. */
export interface MessageVariables {
  kind: MessageKind
  /** How the message travels: an 'sms' template needs only `text`. */
  medium: 'email' | 'sms'
  /** The recipient's e-mail address. */
  email: string
  /** The link to open (magic_link, password_reset). */
  link?: string
  /** The one-time code (otp, sso_link_code). */
  code?: string
  /** What the code confirms (otp): 'second_factor' or a purpose the host named. */
  purpose?: string
  /** The workspace an invitation is to (invitation). */
  workspaceName?: string
  /** The address an e-mail change moves the account to: in email_verification for a change; masked in email_changed, which goes to the old address. */
  newEmail?: string
  /** How long the link or code works. */
  lifetimeMinutes: number
  /** baseUrl's host, to name the app in the message. */
  appHost: string
}

export interface RenderedMessage {
  /** E-mail subject; unused for SMS. */
  subject: string
  text: string
  /** E-mail HTML part. Escape every variable you put in it. */
  html?: string
}

/** Renders one message kind in one locale. */
export type MessageTemplate = (variables: MessageVariables) => RenderedMessage

/** `{ otp: { fr: (v) => ({ subject, text }) } }`: per kind, per locale (BCP 47 tag, e.g. 'fr' or 'pt-BR'). */
export type MessageTemplates = { [Kind in MessageKind]?: Record<string, MessageTemplate> | undefined }

function paragraphs(lines: string[], link?: string): string {
  const body = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')
  return link === undefined ? body : `${body}<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`
}

/** The built-in English texts, used when no host template matches. */
export const defaultTemplates: Record<MessageKind, MessageTemplate> = {
  magic_link: ({ link = '', appHost, lifetimeMinutes }) => {
    const lines = [`Use this link to sign in to ${appHost}. It works once, within ${lifetimeMinutes} minutes.`]
    const ignore = 'If you did not ask for it, ignore this e-mail.'
    return {
      subject: `Your sign-in link for ${appHost}`,
      text: `${lines[0]}\n\n${link}\n\n${ignore}\n`,
      html: paragraphs([...lines, ignore], link),
    }
  },
  otp: ({ code = '', appHost, lifetimeMinutes, medium }) => {
    const line = `${code} is your code for ${appHost}. It expires in ${lifetimeMinutes} minutes.`
    if (medium === 'sms') return { subject: '', text: line }
    const ignore = 'If you did not ask for it, someone may know your password: change it.'
    return { subject: `Your code for ${appHost}`, text: `${line}\n\n${ignore}\n`, html: paragraphs([line, ignore]) }
  },
  password_reset: ({ link = '', appHost, lifetimeMinutes }) => {
    const line = `Someone asked to reset the password of your account at ${appHost}. Open this link within ${lifetimeMinutes} minutes to choose a new one.`
    const ignore = 'If it was not you, ignore this e-mail: your password stays as it is.'
    return {
      subject: `Reset your password for ${appHost}`,
      text: `${line}\n\n${link}\n\n${ignore}\n`,
      html: paragraphs([line, ignore], link),
    }
  },
  invitation: ({ link = '', appHost, lifetimeMinutes, workspaceName = '' }) => {
    const days = Math.max(1, Math.round(lifetimeMinutes / 1440))
    const line = `You are invited to join the workspace ${workspaceName} at ${appHost}. Open this link within ${days} day${days === 1 ? '' : 's'} to accept.`
    const ignore = 'If you do not want to join, ignore this e-mail.'
    return {
      subject: `Join ${workspaceName} on ${appHost}`,
      text: `${line}\n\n${link}\n\n${ignore}\n`,
      html: paragraphs([line, ignore], link),
    }
  },
  email_verification: ({ link = '', appHost, lifetimeMinutes, newEmail }) => {
    const line =
      newEmail === undefined
        ? `Open this link within ${lifetimeMinutes} minutes to confirm your e-mail address for ${appHost}.`
        : `Someone asked to move your account at ${appHost} to this address. Open this link within ${lifetimeMinutes} minutes to confirm it.`
    const ignore = 'If it was not you, ignore this e-mail: nothing changes.'
    return {
      subject: `Confirm your e-mail address for ${appHost}`,
      text: `${line}\n\n${link}\n\n${ignore}\n`,
      html: paragraphs([line, ignore], link),
    }
  },
  email_changed: ({ appHost, newEmail = '' }) => {
    const line = `The e-mail address of your account at ${appHost} was changed to ${newEmail}. This address no longer signs in.`
    const act = 'If it was not you, contact support at once: someone may have your password.'
    return { subject: `Your e-mail address at ${appHost} was changed`, text: `${line}\n\n${act}\n`, html: paragraphs([line, act]) }
  },
  sso_link_code: ({ code = '', appHost, lifetimeMinutes }) => {
    const line = `Someone signed in to ${appHost} through your organisation's single sign-on with this address. To use single sign-on for your existing account, confirm it within ${lifetimeMinutes} minutes with this code:`
    const ignore = 'If it was not you, ignore this e-mail: your account stays as it is.'
    return { subject: `Confirm single sign-on for ${appHost}`, text: `${line}\n\n${code}\n\n${ignore}\n`, html: paragraphs([line, code, ignore]) }
  },
}
