/** POSTs JSON to the variant's own server (used to sign in through the real HTTP route). */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  })
  if (response.status >= 400) {
    throw new Error(`POST ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`)
  }
  return response
}
