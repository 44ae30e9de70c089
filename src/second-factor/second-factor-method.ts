/** The ways a second factor can be given. 'otp' is a code sent by otpSend. */
export const secondFactorMethodNames = ['totp', 'recovery_code', 'secondary_password'] as const

export type SecondFactorMethod = (typeof secondFactorMethodNames)[number]
