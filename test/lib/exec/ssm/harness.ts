/**
 * Drives a native session without a terminal: a scripted stdin, a collected stdout and a fake
 * local terminal that records raw mode and can be resized.
 */
import {EventEmitter} from 'node:events'
import {PassThrough} from 'node:stream'

import type {LocalTerminal} from '../../../../src/lib/exec/ssm/local-terminal.js'
import type {SizeData} from '../../../../src/lib/exec/ssm/payloads.js'

export class FakeTerminal implements LocalTerminal {
  raw = false
  rawEntered = 0
  private readonly events = new EventEmitter()

  constructor(public current: SizeData = {cols: 100, rows: 30}) {}

  enterRawMode(): () => void {
    this.raw = true
    this.rawEntered++
    return () => {
      this.raw = false
    }
  }

  onResize(listener: (size: SizeData) => void): () => void {
    this.events.on('resize', listener)
    return () => this.events.off('resize', listener)
  }

  resize(size: SizeData): void {
    this.current = size
    this.events.emit('resize', size)
  }

  size(): SizeData {
    return this.current
  }
}

export class Console {
  readonly stdin = new PassThrough()
  readonly stdout = new PassThrough()
  readonly stderr = new PassThrough()
  output = ''
  errors = ''

  constructor() {
    this.stdout.on('data', (chunk: Buffer) => {
      this.output += chunk.toString('utf8')
    })
    this.stderr.on('data', (chunk: Buffer) => {
      this.errors += chunk.toString('utf8')
    })
  }

  type(text: string): void {
    this.stdin.write(text)
  }

  /** Waits until stdout (from `from` on) matches. */
  async waitFor(pattern: RegExp, ms = 8000, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms
    for (;;) {
      const match = this.output.slice(from).match(pattern)
      if (match) return match
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far: ${JSON.stringify(this.output.slice(-400))}`)
      await sleep(10)
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms)
  })
}

export async function until(condition: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await sleep(5)
  }
}
