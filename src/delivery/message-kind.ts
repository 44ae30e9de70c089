/** What a message is for; templates are chosen by kind and locale. */
export type MessageKind = 'magic_link' | 'otp' | 'password_reset' | 'invitation' | 'email_verification' | 'email_changed' | 'sso_link_code'

export const messageKinds: readonly MessageKind[] = ['magic_link', 'otp', 'password_reset', 'invitation', 'email_verification', 'email_changed', 'sso_link_code']
