/**
 * Every error code a client can see, with its HTTP status and default message. Closed on purpose:
 * codes are a stable contract, so a new one is added here (and to the README's error table).
 */
export const errorCatalogue = {
  INVALID_REQUEST: { status: 400, message: 'The request is not valid.' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  WEAK_PASSWORD: { status: 400, message: 'The password does not meet the password policy.' },
  ACCESS_CLIENT_REQUIRED: { status: 400, message: "Send the access client's token in its header." },
  INVALID_REDIRECT: { status: 400, message: 'redirectTo must be a path on this site or an allowed origin.' },
  MEDIUM_UNAVAILABLE: { status: 400, message: 'This delivery medium is not configured.' },
  NO_PHONE_NUMBER: { status: 400, message: 'There is no phone number for this account.' },
  FACTOR_NOT_ENABLED: { status: 400, message: 'This second factor is not enabled for the account.' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication is required.' },
  INVALID_CREDENTIALS: { status: 401, message: 'The credentials are not valid.' },
  INVALID_TOKEN: { status: 401, message: 'The token is not valid.' },
  SESSION_EXPIRED: { status: 401, message: 'The session has expired.' },
  TOKEN_EXPIRED: { status: 401, message: 'The token has expired.' },
  INVALID_CODE: { status: 401, message: 'The code or password is not valid.' },
  CODE_ALREADY_USED: { status: 401, message: 'This code was already used; wait for the next one.' },
  FACTOR_UNREADABLE: { status: 401, message: 'This second factor cannot be checked; sign in with a recovery code and set it up again.' },
  FORBIDDEN: { status: 403, message: 'This is not allowed.' },
  CSRF_REJECTED: { status: 403, message: 'Refused a cross-site request.' },
  SECOND_FACTOR_REQUIRED: { status: 403, message: 'A second factor is required.' },
  HUMAN_VERIFICATION_REQUIRED: { status: 403, message: 'This account had many failed logins: solve the challenge and send it with the login.' },
  EMAIL_NOT_VERIFIED: { status: 403, message: 'Verify your e-mail address first: open the link we sent, or ask for a new one.' },
  SCOPE_MISSING: { status: 403, message: 'The token lacks a scope this needs.' },
  WORKSPACE_ROLE_MISSING: { status: 403, message: 'Your role in this workspace does not allow this.' },
  ROLE_NOT_GRANTABLE: { status: 403, message: 'Nobody grants a role above their own.' },
  INVITATION_EMAIL_MISMATCH: { status: 403, message: 'This invitation is for another e-mail address.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  FEATURE_DISABLED: { status: 404, message: 'This feature is not enabled.' },
  CONFLICT: { status: 409, message: 'This conflicts with the current state.' },
  ALREADY_MEMBER: { status: 409, message: 'The user is already a member of this workspace.' },
  LAST_OWNER: { status: 409, message: 'The last owner of a workspace cannot leave it or be demoted.' },
  TOKEN_LIMIT_REACHED: { status: 409, message: 'There are too many tokens of this kind; revoke one first.' },
  INVITATION_USED: { status: 410, message: 'This invitation was already used.' },
  INVITATION_EXPIRED: { status: 410, message: 'This invitation has expired.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json or application/x-www-form-urlencoded.' },
  RATE_LIMITED: { status: 429, message: 'Too many attempts; try again later.' },
  INTERNAL_ERROR: { status: 500, message: 'Something went wrong.' },
  DELIVERY_FAILED: { status: 502, message: 'The code could not be sent; try again later.' },
  PASSWORD_CHECK_UNAVAILABLE: { status: 503, message: 'The password could not be checked against known breaches; try again shortly.' },
  STORAGE_UNAVAILABLE: { status: 503, message: 'Storage is unavailable; try again shortly.' },
} as const satisfies Record<string, { status: number; message: string }>

/** Stable, UPPER_SNAKE error codes a client can see. */
export type AuthErrorCode = keyof typeof errorCatalogue
