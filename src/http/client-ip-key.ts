const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'
const IPV4 = new RegExp(`^${IPV4_OCTET}\\.${IPV4_OCTET}\\.${IPV4_OCTET}\\.${IPV4_OCTET}$`)
const IPV4_WITH_PORT = /^([\d.]+):\d{1,5}$/
const BRACKETED = /^\[([^\]]*)\](?::\d{1,5})?$/
const HEX_GROUP = /^[0-9a-f]{1,4}$/

function parseIpv4(text: string): number[] | null {
  const match = IPV4.exec(text)
  return match === null ? null : match.slice(1).map(Number)
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail converted), or null. */
function parseIpv6(text: string): number[] | null {
  let hex = text
  const lastColon = hex.lastIndexOf(':')
  const tail = hex.slice(lastColon + 1)
  if (tail.includes('.')) {
    const octets = parseIpv4(tail)
    if (octets === null) return null
    const [a = 0, b = 0, c = 0, d = 0] = octets
    hex = `${hex.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const halves = hex.split('::')
  if (halves.length > 2) return null
  const [head = '', rest] = halves
  const headGroups = head === '' ? [] : head.split(':')
  const tailGroups = rest === undefined || rest === '' ? [] : rest.split(':')
  const written = headGroups.length + tailGroups.length
  if (rest === undefined ? written !== 8 : written > 7) return null
  const groups = [...headGroups, ...Array<string>(8 - written).fill('0'), ...tailGroups]
  if (!groups.every((group) => HEX_GROUP.test(group))) return null
  return groups.map((group) => parseInt(group, 16))
}

function isIpv4Mapped(groups: number[]): boolean {
  return groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff
}

/**
 * What a per-IP limit counts by, so every per-IP limit keys a client the same way: an IPv4
 * address as it is, an IPv6 address by its /64 prefix (a subscriber usually gets a whole /64 and
 * can rotate through it at will), an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, how a dual-stack
 * socket reports IPv4 clients) as its IPv4 address. Zone ids, brackets and ports are dropped.
 * Text that is no address is kept as given, so it is still limited as that string.
 */
export function clientIpKey(ip: string): string {
  let address = ip.trim().toLowerCase()
  address = BRACKETED.exec(address)?.[1] ?? IPV4_WITH_PORT.exec(address)?.[1] ?? address
  if (!address.includes(':')) return parseIpv4(address) === null ? ip : address
  const groups = parseIpv6(address.split('%', 1)[0]!)
  if (groups === null) return ip
  if (isIpv4Mapped(groups)) return groups.slice(6).flatMap((group) => [group >> 8, group & 0xff]).join('.')
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`
}

/**
 * What a per-network limit counts by: an IPv4 address by its /24, an IPv6 address by its /64 (as
 * clientIpKey already does). Credential stuffing from one provider's neighbouring addresses lands
 * on one count. Text that is no address is kept as given.
 */
export function clientNetworkKey(ip: string): string {
  const key = clientIpKey(ip)
  if (key.includes(':') || parseIpv4(key) === null) return key
  return `${key.slice(0, key.lastIndexOf('.'))}.0/24`
}
