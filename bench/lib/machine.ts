import { cpus, release, totalmem, type } from 'node:os'

export interface MachineInfo {
  cpuModel: string
  cpuCount: number
  memoryGiB: number
  os: string
  node: string
}

export function describeMachine(): MachineInfo {
  const list = cpus()
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
  }
}

export function machineLine(m: MachineInfo): string {
  return `${m.cpuModel} x ${m.cpuCount} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}`
}
