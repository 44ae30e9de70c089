/** The second factors given as a code or password to secondFactorVerify. 'otp' is a code sent by otpSend, when `secondFactor.otp` allows it. */
export const codeSecondFactorMethodNames = ['totp', 'recovery_code', 'secondary_password', 'otp'] as const

/** Every way a second factor can be given: the code methods, and a passkey (passkeyLogin with the pending session). */
export const secondFactorMethodNames = [...codeSecondFactorMethodNames, 'passkey'] as const

export type SecondFactorMethod = (typeof secondFactorMethodNames)[number]

export type CodeSecondFactorMethod = (typeof codeSecondFactorMethodNames)[number]
