/** The ways a second factor can be given. 'otp' is a code sent by otpSend, when `secondFactor.otp` allows it. */
export const secondFactorMethodNames = ['totp', 'recovery_code', 'secondary_password', 'otp'] as const

export type SecondFactorMethod = (typeof secondFactorMethodNames)[number]
