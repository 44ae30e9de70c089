import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cluster, Redis } from 'ioredis'
import { TEST_HOST } from './bounded-clients.js'
import { findFreePort } from './free-port.js'
import { startThrowawayRedis, type ThrowawayRedis } from './throwaway-redis.js'

/** Polls of the cluster's state while it forms or fails over, 100 ms apart. */
const STATE_POLLS = 300

export interface RedisCluster {
  /** Every node's port: three masters, each with one replica. */
  ports: number[]
  /** A cluster client with the bounded settings the README recommends. */
  connect(): Promise<Cluster>
  /** The ports of the master serving `key`'s slot and of its replica. */
  ownersOf(key: string): Promise<{ master: number; replica: number }>
  /** Whether the replica on `port` holds `key` yet (replication is asynchronous). */
  replicaHas(port: number, key: string): Promise<boolean>
  /** The node's role and replication link, for a failure message. */
  describeReplication(port: number): Promise<string>
  /** Kills the node on `port` (SIGKILL). */
  kill(port: number): Promise<void>
  stop(): Promise<void>
}

/** Whether redis-server and redis-cli are on PATH. */
export function hasRedisBinaries(): boolean {
  return ['redis-server', 'redis-cli'].every((binary) => spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Six cluster-enabled redis-servers on free loopback ports (config in a temp dir), joined by redis-cli into 3 masters + 3 replicas. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-redis-cluster-'))
  const nodes = new Map<number, ThrowawayRedis>()
  const stop = async (): Promise<void> => {
    await Promise.all([...nodes.values()].map((node) => node.kill()))
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const ports: number[] = []
    for (let i = 0; i < 6; i++) ports.push(await findFreePort())
    for (const port of ports) {
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, '--cluster-node-timeout', '1000']
      nodes.set(port, await startThrowawayRedis(port, args))
    }
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((port) => `${TEST_HOST}:${port}`), '--cluster-replicas', '1', '--cluster-yes'], {
      encoding: 'utf8',
      timeout: 30_000,
    })
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`)
    await waitForClusterOk(ports)
    return {
      ports,
      async connect() {
        const cluster = new Cluster([{ host: TEST_HOST, port: ports[0]! }], {
          enableOfflineQueue: false,
          clusterRetryStrategy: () => 100,
          slotsRefreshTimeout: 1000,
          redisOptions: { connectTimeout: 1000, commandTimeout: 1000, maxRetriesPerRequest: 1 },
        })
        cluster.on('error', () => undefined)
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('cluster client not ready within 10 s')), 10_000)
          cluster.once('ready', () => {
            clearTimeout(timer)
            resolve()
          })
        })
        return cluster
      },
      async ownersOf(key) {
        // A replica appears in CLUSTER SLOTS once it has synced with its master.
        for (let poll = 0; poll < STATE_POLLS; poll++) {
          const owners = await withNode(ports.find((port) => nodes.has(port))!, async (node) => {
            const slot = Number(await node.call('CLUSTER', 'KEYSLOT', key))
            const ranges = (await node.call('CLUSTER', 'SLOTS')) as [number, number, ...[string, number, ...unknown[]][]][]
            const [, , master, replica] = ranges.find(([start, end]) => slot >= start && slot <= end) ?? []
            return master === undefined || replica === undefined ? null : { master: Number(master[1]), replica: Number(replica[1]) }
          })
          if (owners !== null) return owners
          await sleep(100)
        }
        throw new Error(`no master with a replica serves the slot of ${key} within ${STATE_POLLS / 10} s`)
      },
      replicaHas: (port, key) =>
        withNode(port, async (node) => {
          await node.call('READONLY')
          return (await node.exists(key)) === 1
        }),
      describeReplication: (port) =>
        withNode(port, async (node) => {
          const info = String(await node.call('INFO', 'replication'))
          return info
            .split('\r\n')
            .filter((line) => /^(role|master_port|master_link_status|master_sync_in_progress|slave_repl_offset|master_repl_offset|connected_slaves)[:]/.test(line))
            .join(' ')
        }).catch((error: unknown) => `unreachable: ${String(error)}`),
      async kill(port) {
        await nodes.get(port)?.kill()
        nodes.delete(port)
      },
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

async function withNode<T>(port: number, use: (node: Redis) => Promise<T>): Promise<T> {
  const node = new Redis({ host: TEST_HOST, port, lazyConnect: true, connectTimeout: 1000, commandTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null })
  node.on('error', () => undefined)
  try {
    await node.connect()
    return await use(node)
  } finally {
    node.disconnect()
  }
}

async function waitForClusterOk(ports: readonly number[]): Promise<void> {
  for (let poll = 0; poll < STATE_POLLS; poll++) {
    const states = await Promise.all(ports.map((port) => withNode(port, (node) => node.call('CLUSTER', 'INFO')).catch(() => '')))
    if (states.every((info) => String(info).includes('cluster_state:ok'))) return
    await sleep(100)
  }
  throw new Error(`the cluster did not reach cluster_state:ok within ${STATE_POLLS / 10} s`)
}
