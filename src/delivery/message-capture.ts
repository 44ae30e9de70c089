/** A sender that keeps messages in memory instead of delivering them, for tests (`gatehouse/testing`). */
export interface MessageCapture<M extends { to: string }> {
  send(message: M): Promise<void>
  /** Every message sent so far, oldest first. */
  readonly messages: M[]
  /** The newest message to `to` (any recipient when omitted), or undefined. */
  last(to?: string): M | undefined
  clear(): void
}

export function createMessageCapture<M extends { to: string }>(): MessageCapture<M> {
  const messages: M[] = []
  return {
    messages,
    async send(message) {
      messages.push({ ...message })
    },
    last(to) {
      return messages.findLast((message) => to === undefined || message.to === to)
    },
    clear() {
      messages.length = 0
    },
  }
}
