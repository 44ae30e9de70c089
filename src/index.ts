export { createGatehouse, type Gatehouse, type GatehouseBase, type GatehouseOptions, type GatehouseConfig, type MountedRoute } from './gatehouse.js'
export type { BaseOptions, BreachCheckOptions, ChallengeRequest, LoginChallengeOptions, ResolvedConfig, SessionCacheOptions } from './config/base-options.js'
export type { RateLimitRule } from './config/rate-limit-rule.js'
export type { Logger } from './config/logger.js'
export { defineFeature, type Feature, type FeaturesApi, type FeaturesOptions, type FeaturesRouteName } from './features/feature.js'
export { defineFeatureOptions, type FeatureOptions } from './features/feature-options.js'
export { FEATURES, type RouteName } from './features/index.js'
export type { Core, InstalledFeatures } from './core.js'
export { defineRoute, type RouteDefinition, type PublicRoute, type AuthenticatedRoute, type RouteContext, type RouteAccess, type RouteInput, type RouteInputSchemas, type FailureResponder, type HttpMethod } from './http/route.js'
export type { RouteUrls } from './http/route-urls.js'
export type {
  RouteOptions,
  RespondHook,
  RespondContext,
  PathOption,
  PathBinding,
  FieldSource,
  InputMapping,
  ShapeContext,
  ShapedError,
  SuccessShape,
  ErrorShape,
  OutputShape,
  ActAsUser,
  RouteShape,
  MountShape,
} from './http/route-options.js'
export type { OpenApiDocument, OpenApiOptions } from './http/open-api.js'
export type { AuthenticateOptions } from './config/authenticate-options.js'
export type { OpenApiServeOptions } from './features/open-api/open-api-options.js'
export { startSession, type StartedSession } from './features/sessions/start-session.js'
export { answerSession, type SessionAnswerOptions } from './http/session-answer.js'
export { AuthError, isAuthError, type AuthErrorOptions, type ErrorDetail } from './errors/auth-error.js'
export { errorCatalogue, type AuthErrorCode } from './errors/error-catalogue.js'
export { ConfigError } from './errors/config-error.js'
export { systemClock, systemRandom, type Clock, type GenerateId, type Random, type RecordKind } from './config/clock.js'
export type { AuthContext, PublicUser, PublicSession, PublicToken, CredentialMethod } from './http/auth-context.js'
export type { AuthRequest, AuthResponse, CookieToSet, CookieOptions, CredentialRequest, HeaderReader } from './http/types.js'
export type { RouterOptions, Router } from './http/router.js'
export type { GuardNeeds } from './http/access-needs.js'
export type { Guard, OptionalGuard } from './http/guard.js'
export { toErrorResponse } from './http/error-response.js'
export { serializeCookie } from './http/cookies.js'
export { parseBodyText, checkParsedBodyType, checkPlainText } from './http/request-body.js'
export { normalizeEmail } from './http/email.js'
export { memoryStorage } from './storage/memory-storage.js'
export { storageUnavailable } from './errors/auth-error.js'
export type * from './storage/ports.js'
export type { MaybePromise } from './async/maybe-promise.js'
export type { IssueSessionInput, IssuedSession, PublicIssuedSession } from './features/sessions/issue-session.js'
export type { SessionListing } from './features/sessions/session-listing.js'
export type { ValidatedSession } from './features/sessions/sessions-feature.js'
export type { PasswordPolicy } from './features/passwords/password-policy.js'
export type { Argon2Parameters } from './crypto/password-hasher.js'
export type { TokenOptions } from './config/token-options.js'
export type { FormOptions, FormRedirects, FormRouteName } from './config/form-options.js'
export { toTokenListing, type TokenListing, type PublicIssuedToken } from './features/tokens/public-token.js'
export type { TokenGrantInput, ValidatedToken } from './features/tokens/tokens-feature.js'
export type { SecondFactorOptions, TotpAlgorithm } from './features/second-factor/second-factor-options.js'
export type { SecondFactorMethod } from './features/second-factor/second-factor-method.js'
export type { TotpEnrolment } from './features/totp/enable-totp.js'
export type { PasskeyOptions } from './features/passkeys/passkey-options.js'
export type { PublicPasskey } from './features/passkeys/passkey-factor.js'
export type { Mailer, EmailMessage } from './delivery/mailer.js'
export type { SmsSender, SmsMessage } from './delivery/sms-sender.js'
export type { MessageKind } from './delivery/message-kind.js'
export type { MessageTemplate, MessageTemplates, MessageVariables, RenderedMessage } from './delivery/message-templates.js'
export type { DeliveryOptions, PhoneNumberLookup } from './delivery/delivery-options.js'
export { createConsoleMailer } from './delivery/console-mailer.js'
export { createConsoleSmsSender } from './delivery/console-sms-sender.js'
export { createSmtpMailer, type MailTransport, type SmtpMailerOptions } from './delivery/smtp-mailer.js'
export { resolveSafeRedirect, type RedirectPolicy } from './http/safe-redirect.js'
export type { MagicLinkOptions } from './features/magic-links/magic-link-options.js'
export type { SamlOptions } from './features/saml/saml-options.js'
export type { SsoConfigListing } from './features/saml/sso-config.js'
export type { SendMagicLinkInput, MagicLinkSent } from './features/magic-links/send-magic-link.js'
export type { OtpOptions } from './features/otp/otp-options.js'
export type { SendOtpCodeInput, OtpCodeSent } from './features/otp/send-otp-code.js'
export type { PasswordResetOptions } from './features/password-reset/password-reset-options.js'
export type { PasswordResetRequest } from './features/password-reset/password-reset-request.js'
export type { PasswordResetInfo } from './features/password-reset/password-reset-info.js'
export type { EmailVerificationOptions } from './features/email-verification/email-verification-options.js'
export type { EmailVerificationSent, SendEmailVerificationInput } from './features/email-verification/send-email-verification.js'
export type {
  SecurityEvent,
  SecurityEventContext,
  SecurityEventDetails,
  SecurityEventListener,
  SecurityEventType,
} from './features/audit/security-event.js'
export type { AuditOptions } from './features/audit/audit-options.js'
export type { ListSecurityEventsInput, StoredSecurityEvent } from './features/audit/list-security-events.js'
export { memoryAuditStore, type MemoryAuditStoreOptions } from './storage/memory-audit-store.js'
export type { OidcOptions, OidcProviderOptions, IdTokenSigningAlg, TokenEndpointAuthMethod } from './features/oidc/oidc-options.js'
export type { StartedOidcFlow } from './features/oidc/oidc-flow.js'
export type { IdentityListing } from './features/oidc/identity-listing.js'
