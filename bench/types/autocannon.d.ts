// Minimal typings for the parts of autocannon 9 the harness uses (the package ships none).
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string
      connections?: number
      duration?: number
      amount?: number
      method?: string
      headers?: Record<string, string>
      body?: string
      pipelining?: number
      /** Seconds before a request counts as a timeout. */
      timeout?: number
    }
    interface Histogram {
      average: number
      mean: number
      stddev: number
      min: number
      max: number
      total: number
      p50: number
      p90: number
      p97_5: number
      p99: number
      p99_9: number
    }
    interface Result {
      /** Seconds, to two decimals. */
      duration: number
      errors: number
      timeouts: number
      non2xx: number
      resets: number
      '2xx': number
      '4xx': number
      '5xx': number
      /** Milliseconds, 2xx responses only, 1 ms resolution. */
      latency: Histogram
      requests: Histogram & { sent: number }
    }
    interface Instance extends PromiseLike<Result> {
      stop(): void
    }
  }
  function autocannon(options: autocannon.Options): autocannon.Instance
  export = autocannon
}
