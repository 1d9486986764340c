/**
 * One data-channel connection on the agent side: token, handshake, then a real shell in a
 * pseudo-terminal whose output goes back as output_stream_data.
 *
 * Strict like a real agent: the first frame must be the token message; a frame with a bad
 * header or digest, a sequence number outside the receive window, a payload type that does
 * not belong, or a failed encryption challenge ends the session with channel_closed.
 */
import {randomBytes} from 'node:crypto'
import {closeSync, constants, existsSync, mkdtempSync, openSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {IPty} from '@lydell/node-pty'
import type {WebSocket} from 'ws'

import {DataStream} from '../../../src/lib/exec/ssm/data-stream.js'
import {encryptionContext, PayloadCipher, SEALED_OVERHEAD_BYTES} from '../../../src/lib/exec/ssm/encryption.js'
import {type ClientMessage, encodeMessage, MessageType, Offset, PayloadFlag, PayloadType} from '../../../src/lib/exec/ssm/message.js'
import {
  ActionStatus,
  ActionType,
  channelClosedMessage,
  type EncryptionChallenge,
  exitCodePayload,
  type HandshakeComplete,
  type HandshakeRequest,
  type HandshakeResponse,
  jsonPayload,
  type OpenDataChannelInput,
  parseJson,
  SessionTypes,
  type SizeData,
} from '../../../src/lib/exec/ssm/payloads.js'
import type {SessionRecord} from './agent.js'
import type {FakeKms} from './kms.js'

export const AGENT_VERSION = '3.3.1802.0'

export interface AgentEvent {
  sessionId: string
  type:
    | 'connection-refused'
    | 'token-refused'
    | 'protocol-refused'
    | 'handshake-complete'
    | 'shell-started'
    | 'resize'
    | 'input'
    | 'terminate-flag'
    | 'exit'
    | 'client-gone'
    | 'closed'
    | 'terminated'
  detail?: string
  size?: SizeData
  bytes?: number
  exitCode?: number
  encrypted?: boolean
}

export interface ConnectionOptions {
  authorize(token: string): string | undefined
  kms?: FakeKms
  outputChunkBytes: number
  sendWindow: number
  receiveWindow: number
  shell?: string
  record(event: AgentEvent): void
}

/** draining: the shell has exited; acknowledgements still count, input is dropped. */
type Phase = 'token' | 'handshake' | 'challenge' | 'running' | 'draining' | 'closing' | 'closed'

const DEFAULT_SIZE: SizeData = {cols: 80, rows: 24}
/** How long the shell waits for the client's first Size before starting at 80x24. */
const SIZE_WAIT_MS = 250
/** A pty read this large means the writer had more: Linux hands over 4095 bytes at most. */
const FULL_READ_BYTES = 4000
/** How long a flood's last partial message may wait for more output (latency of a flood's tail only). */
const FLOOD_GATHER_MS = 3

export class AgentConnection {
  private phase: Phase = 'token'
  private stream: DataStream | undefined
  private cipher: PayloadCipher | undefined
  private challenge: Buffer | undefined
  private pty: IPty | undefined
  /** Our own descriptor of the pty's terminal side, held so its last output is not lost (holdTerminal). */
  private terminalFd: number | undefined
  private workdir: string | undefined
  private readonly pendingInput: Buffer[] = []
  private startTimer: NodeJS.Timeout | undefined
  private readonly timers: NodeJS.Timeout[] = []
  private handshakeStarted = 0
  private outputBuffer: Buffer[] = []
  private outputBytes = 0
  private outputFlush: NodeJS.Timeout | undefined
  /** Set while the pty is paused for backpressure (pauseShell). */
  private pausedWatch: NodeJS.Timeout | undefined
  /** The command has exited: its last output is read whatever the backpressure. */
  private shellGone = false
  private ended: Promise<void> | undefined

  constructor(
    private readonly ws: WebSocket,
    private readonly session: SessionRecord,
    private readonly options: ConnectionOptions,
  ) {}

  start(): void {
    this.session.connection = this
    this.ws.on('message', (data, isBinary) => this.onFrame(toBuffer(data), isBinary))
    this.ws.on('close', () => {
      if (this.phase !== 'closed' && this.phase !== 'closing') {
        this.event({detail: 'the client closed the connection', type: 'client-gone'})
        this.release()
      }

      this.phase = 'closed'
    })
    this.ws.on('error', () => {})
    this.after(10_000, () => {
      if (this.phase === 'token') this.refuse('token-refused', 'No token was presented in time')
    })
  }

  /** Ends the session from the agent's side (TerminateSession, shutdown). */
  async end(output: string): Promise<void> {
    if (this.ended) return this.ended
    this.ended = (async () => {
      if (this.phase === 'closed') return
      this.phase = 'closing'
      this.killShell()
      this.closeChannel(output, 1000)
    })()
    return this.ended
  }

  /** The network fails: the socket goes without a channel_closed. */
  drop(): void {
    this.ws.terminate()
  }

  private event(event: Omit<AgentEvent, 'sessionId'>): void {
    this.options.record({sessionId: this.session.sessionId, ...event})
  }

  private after(ms: number, run: () => void): void {
    const timer = setTimeout(run, ms)
    timer.unref()
    this.timers.push(timer)
  }

  private onFrame(frame: Buffer, isBinary: boolean): void {
    if (this.phase === 'closed' || this.phase === 'closing') return
    if (this.phase === 'token') {
      if (isBinary) {
        this.refuse('token-refused', 'The first message must be the token message')
        return
      }

      this.onToken(frame.toString('utf8'))
      return
    }

    if (!isBinary) {
      this.refuse('protocol-refused', 'Text frames are only accepted for the token')
      return
    }

    this.stream?.receive(frame)
  }

  private onToken(text: string): void {
    let input: Partial<OpenDataChannelInput>
    try {
      input = JSON.parse(text) as Partial<OpenDataChannelInput>
    } catch {
      this.refuse('token-refused', 'The token message is not JSON')
      return
    }

    if (input.MessageSchemaVersion !== '1.0' || typeof input.TokenValue !== 'string' || !input.ClientId) {
      this.refuse('token-refused', 'The token message is missing MessageSchemaVersion 1.0, TokenValue or ClientId')
      return
    }

    const problem = this.options.authorize(input.TokenValue)
    if (problem) {
      this.refuse('token-refused', problem)
      return
    }

    this.stream = new DataStream({
      deliver: (message) => this.onInput(message),
      incomingType: MessageType.InputStreamData,
      onControl: (message) => this.refuse('protocol-refused', `Unexpected ${message.messageType} message from the client`),
      onDrain: () => this.resumeShell(),
      onError: (error) => this.refuse('protocol-refused', error.message),
      outgoingType: MessageType.OutputStreamData,
      receiveWindow: this.options.receiveWindow,
      // The output of a flood goes in messages of outputChunkBytes (plus the nonce and tag in a
      // KMS-encrypted session, or its frames would be too big to reuse): their buffers are reused.
      reuseFramesUpTo: Offset.Payload + this.options.outputChunkBytes + SEALED_OVERHEAD_BYTES,
      sendWindow: this.options.sendWindow,
      strict: true,
      transmit: (frame) => this.send(frame),
    })
    this.phase = 'handshake'
    this.handshakeStarted = performance.now()
    this.sendHandshakeRequest()
    this.after(30_000, () => {
      if (this.phase === 'handshake' || this.phase === 'challenge') this.refuse('protocol-refused', 'The handshake did not complete in time')
    })
  }

  private send(frame: Buffer): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame, {binary: true})
  }

  private sendHandshakeRequest(): void {
    const {spec} = this.session
    const actions: HandshakeRequest['RequestedClientActions'] = []
    if (spec.kmsKeyId) actions.push({ActionParameters: {KMSKeyId: spec.kmsKeyId}, ActionType: ActionType.KMSEncryption})
    actions.push({
      ActionParameters: {
        Properties: {commands: spec.command ?? '', runAsElevated: true, separateOutputStream: false},
        SessionType: spec.command ? SessionTypes.InteractiveCommands : SessionTypes.Shell,
      },
      ActionType: ActionType.SessionType,
    })
    const request: HandshakeRequest = {AgentVersion: AGENT_VERSION, RequestedClientActions: actions}
    // The first stream message carries SYN, as the agent sets it on sequence number 0.
    this.stream!.send(PayloadType.HandshakeRequest, jsonPayload(request), 1)
  }

  private onInput(message: ClientMessage): void {
    if (this.phase === 'draining') return
    switch (message.payloadType) {
      case PayloadType.HandshakeResponse: {
        if (this.phase !== 'handshake') throw new Error('HandshakeResponse outside the handshake')
        this.onHandshakeResponse(parseJson<HandshakeResponse>(message.payload, 'HandshakeResponse'))
        break
      }

      case PayloadType.EncChallengeResponse: {
        if (this.phase !== 'challenge') throw new Error('EncChallengeResponse outside the handshake')
        this.onChallengeResponse(parseJson<EncryptionChallenge>(message.payload, 'EncChallengeResponse'))
        break
      }

      case PayloadType.Output: {
        if (this.phase !== 'running') throw new Error('Input before the handshake completed')
        const data = this.cipher ? this.cipher.decrypt(message.payload) : message.payload
        this.event({bytes: data.length, detail: data.length <= 8 ? data.toString('hex') : undefined, type: 'input'})
        if (this.pty) this.pty.write(data as unknown as string)
        else this.pendingInput.push(Buffer.from(data))
        break
      }

      case PayloadType.Size: {
        if (this.phase !== 'running') throw new Error('Size before the handshake completed')
        const size = parseJson<SizeData>(message.payload, 'Size')
        if (!isDimension(size.cols) || !isDimension(size.rows)) throw new Error(`Bad terminal size ${JSON.stringify(size)}`)
        this.event({size: {cols: size.cols, rows: size.rows}, type: 'resize'})
        if (this.pty) this.pty.resize(size.cols, size.rows)
        else this.startShell(size)
        break
      }

      case PayloadType.Flag: {
        const flag = message.payload.length === 4 ? message.payload.readUInt32BE(0) : -1
        if (flag !== PayloadFlag.TerminateSession) throw new Error(`Unknown flag ${flag}`)
        this.event({type: 'terminate-flag'})
        void this.end('Session terminated by the client')
        break
      }

      default: {
        throw new Error(`Payload type ${message.payloadType} is not accepted from a client`)
      }
    }
  }

  private onHandshakeResponse(response: HandshakeResponse): void {
    const {spec} = this.session
    const processed = response.ProcessedClientActions ?? []
    const sessionType = processed.find((a) => a.ActionType === ActionType.SessionType)
    if (sessionType?.ActionStatus !== ActionStatus.Success) {
      this.refuse('protocol-refused', `The client did not accept the session type: ${sessionType?.Error ?? 'no answer'}`)
      return
    }

    if (!spec.kmsKeyId) {
      this.complete()
      return
    }

    const kmsAction = processed.find((a) => a.ActionType === ActionType.KMSEncryption)
    const result = kmsAction?.ActionResult as {KMSCipherTextKey?: string} | undefined
    if (kmsAction?.ActionStatus !== ActionStatus.Success || !result?.KMSCipherTextKey) {
      this.refuse('protocol-refused', `KMS encryption is required and the client could not set it up: ${kmsAction?.Error ?? 'no answer'}`)
      return
    }

    if (!this.options.kms) {
      this.refuse('protocol-refused', 'The agent has no KMS to decrypt the data key')
      return
    }

    try {
      const {Plaintext} = this.options.kms.decrypt({
        CiphertextBlob: Buffer.from(result.KMSCipherTextKey, 'base64'),
        EncryptionContext: encryptionContext(this.session.sessionId, spec.target ?? ''),
      })
      this.cipher = PayloadCipher.forAgent(Plaintext)
    } catch (error) {
      this.refuse('protocol-refused', `The data key could not be decrypted: ${(error as Error).message}`)
      return
    }

    this.challenge = randomBytes(64)
    this.phase = 'challenge'
    const request: EncryptionChallenge = {Challenge: this.cipher.encrypt(this.challenge).toString('base64')}
    this.stream!.send(PayloadType.EncChallengeRequest, jsonPayload(request))
  }

  private onChallengeResponse(response: EncryptionChallenge): void {
    let answer: Buffer
    try {
      answer = this.cipher!.decrypt(Buffer.from(response.Challenge ?? '', 'base64'))
    } catch {
      this.refuse('protocol-refused', 'The encryption challenge answer does not decrypt')
      return
    }

    if (!answer.equals(this.challenge!)) {
      this.refuse('protocol-refused', 'The encryption challenge answer is wrong')
      return
    }

    this.complete()
  }

  private complete(): void {
    this.phase = 'running'
    const complete: HandshakeComplete = {
      CustomerMessage: '',
      HandshakeTimeToComplete: Math.round((performance.now() - this.handshakeStarted) * 1e6),
    }
    this.stream!.send(PayloadType.HandshakeComplete, jsonPayload(complete))
    this.event({encrypted: Boolean(this.cipher), type: 'handshake-complete'})
    this.startTimer = setTimeout(() => this.startShell(DEFAULT_SIZE), SIZE_WAIT_MS)
    this.startTimer.unref()
  }

  private startShell(size: SizeData): void {
    if (this.pty || this.phase !== 'running') return
    if (this.startTimer) clearTimeout(this.startTimer)
    void import('@lydell/node-pty').then(({spawn}) => {
      if (this.phase !== 'running' || this.pty) return
      this.workdir = mkdtempSync(join(tmpdir(), 'taskonaut-agent-'))
      const {command, env} = this.session.spec
      const shell = this.options.shell ?? (existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh')
      const [file, args] = command ? ['/bin/sh', ['-c', command]] : [shell, shell.endsWith('bash') ? ['--norc', '--noprofile', '-i'] : ['-i']]
      const pty = spawn(file, args, {
        cols: size.cols,
        cwd: this.workdir,
        encoding: null,
        env: {
          HOME: this.workdir,
          LANG: 'C.UTF-8',
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          PS1: '$ ',
          TERM: 'xterm-256color',
          ...env,
        },
        name: 'xterm-256color',
        rows: size.rows,
      })
      this.pty = pty
      this.holdTerminal(pty)
      this.event({detail: [file, ...args].join(' '), size, type: 'shell-started'})
      pty.onData((data) => this.sendOutput(data as unknown as Buffer))
      pty.onExit(({exitCode, signal}) => this.onShellExit(signal ? 128 + signal : exitCode))
      for (const chunk of this.pendingInput.splice(0)) pty.write(chunk as unknown as string)
    })
  }

  /**
   * The pty hands over at most about 4 KiB at a time, and `cat` waits while the agent handles
   * each piece, so the work per piece sets the pace of a flood: every message costs a digest,
   * a send, and on the client a digest, an acknowledgement and a write, which the agent reads
   * and checks in turn. So, like Nagle's algorithm:
   * - a small piece with nothing unacknowledged (a keystroke's echo, a prompt) leaves at once;
   * - a small piece while output is unacknowledged waits up to 1 ms for company;
   * - full pieces (a flood: more is coming) are gathered into messages of outputChunkBytes
   *   (64 KiB), sent as soon as one is full; the rest waits up to FLOOD_GATHER_MS.
   * Measured on `cat` of 50 MiB (bench/exec-session): 16 KiB messages cut at every 16 KiB
   * (a 16 KiB message and a small tail per four reads) made 5000 messages; this makes about 950.
   */
  private sendOutput(data: Buffer): void {
    if (this.phase !== 'running' || !this.stream) return
    this.outputBuffer.push(data)
    this.outputBytes += data.length
    const fullRead = data.length >= FULL_READ_BYTES
    if (!fullRead && this.stream.unacknowledged === 0) {
      this.flushOutput(true)
      return
    }

    if (this.outputBytes >= this.options.outputChunkBytes) this.flushOutput(false)
    if (this.outputBytes > 0) this.outputFlush ??= setTimeout(
        () => {
          this.outputFlush = undefined
          this.flushOutput(true)
        },
        fullRead ? FLOOD_GATHER_MS : 1,
      )
  }

  /** Sends what was gathered: everything, or (all = false) only full messages, the rest waiting for more. */
  private flushOutput(all: boolean): void {
    if (!this.stream) return
    const size = this.options.outputChunkBytes
    let roomLeft = true
    let sent = false
    while (this.outputBytes >= size || (all && this.outputBytes > 0)) {
      const parts = this.takeOutput(Math.min(size, this.outputBytes))
      roomLeft = this.stream.send(PayloadType.Output, this.cipher ? this.cipher.encrypt(Buffer.concat(parts)) : parts)
      sent = true
    }

    // What is left starts the next message: its wait starts now, not with the message just sent
    // (measured: a deadline kept from that one cut half of a flood's messages short).
    if (sent && this.outputFlush) {
      clearTimeout(this.outputFlush)
      this.outputFlush = undefined
    }

    // Backpressure: a slow or lossy client stops the shell instead of growing a buffer.
    if (!roomLeft) this.pauseShell()
  }

  /**
   * Stops reading the pty (backpressure): the command blocks once the pty is full. But a command
   * can finish with its last output still in the pty, and node-pty reads an exited command's
   * output for 200 ms only, then drops the rest (seen: a client slow to acknowledge lost the
   * last 8 KiB and the final line). So while paused, the command is watched; once it is gone,
   * reading resumes for good: what is left is at most the pty's few KiB, queued in the stream.
   */
  private pauseShell(): void {
    if (!this.pty || this.pausedWatch || this.shellGone) return
    this.pty.pause()
    const {pid} = this.pty
    this.pausedWatch = setInterval(() => {
      if (isRunning(pid)) return
      this.shellGone = true
      this.resumeShell()
    }, 20)
    this.pausedWatch.unref()
  }

  private resumeShell(): void {
    clearInterval(this.pausedWatch)
    this.pausedWatch = undefined
    this.pty?.resume()
  }

  /** The first `bytes` of the gathered output, as the reads it came in (the last one cut): no joined copy. */
  private takeOutput(bytes: number): Buffer[] {
    const parts: Buffer[] = []
    let left = bytes
    while (left > 0) {
      const head = this.outputBuffer[0]
      if (head.length <= left) {
        parts.push(head)
        this.outputBuffer.shift()
        left -= head.length
      } else {
        parts.push(head.subarray(0, left))
        this.outputBuffer[0] = head.subarray(left)
        left = 0
      }
    }

    this.outputBytes -= bytes
    return parts
  }

  /**
   * When the command exits and the terminal side of the pty closes, Linux hangs up the reading
   * side: output still on its way through the pty (a few KiB at the end of a flood) was lost
   * in about half of the runs of `head -c 2000000 /dev/zero | tr '\0' x; echo end` (measured;
   * the agent never read it). Holding the terminal side open ourselves avoids the hang-up, so
   * every byte is read; node-pty then reports the exit after its 200 ms grace period instead
   * of at once, which a session's end can afford.
   */
  private holdTerminal(pty: IPty): void {
    const name = (pty as IPty & {ptsName?: string}).ptsName
    if (process.platform === 'win32' || !name) return
    try {
      this.terminalFd = openSync(name, constants.O_RDWR | constants.O_NOCTTY)
    } catch {
      // Without it the session still works; only the last output of a flood may be cut.
    }
  }

  private releaseTerminal(): void {
    if (this.terminalFd === undefined) return
    try {
      closeSync(this.terminalFd)
    } catch {
      // Already closed.
    }

    this.terminalFd = undefined
  }

  private onShellExit(exitCode: number): void {
    this.releaseTerminal()
    if (this.phase !== 'running') return
    this.event({exitCode, type: 'exit'})
    this.flushOutput(true)
    this.phase = 'draining'
    void (async () => {
      if (this.session.spec.sendExitCode !== false) {
        const payload = exitCodePayload(exitCode)
        this.stream!.send(PayloadType.ExitCode, this.cipher ? this.cipher.encrypt(payload) : payload)
      }

      // Like the agent's PrepareToCloseChannel: everything sent is acknowledged before channel_closed.
      await this.stream!.flushed(5000)
      this.closeChannel('', 1000)
    })()
  }

  /** Refuses the peer: channel_closed with the reason, then the socket closes. */
  private refuse(type: 'token-refused' | 'protocol-refused', reason: string): void {
    if (this.phase === 'closed' || this.phase === 'closing') return
    this.event({detail: reason, type})
    this.phase = 'closing'
    this.killShell()
    this.closeChannel(reason, type === 'token-refused' ? 1008 : 1002)
  }

  private closeChannel(output: string, code: number): void {
    this.reportStats()
    this.stream?.close()
    if (this.ws.readyState === this.ws.OPEN) {
      this.ws.send(encodeMessage(channelClosedMessage(this.session.sessionId, output, this.session.spec.target)), {binary: true})
      this.ws.close(code, output.slice(0, 120))
    }

    this.event({detail: output || undefined, type: 'closed'})
    this.release()
    this.phase = 'closed'
  }

  /**
   * TASKONAUT_AGENT_STATS=1 (set by bench/exec-session for its agent process): one line on
   * stderr per session with the agent's side of the stream (resends, acknowledgements, round trips).
   */
  private reportStats(): void {
    if (!process.env.TASKONAUT_AGENT_STATS || !this.stream) return
    const {stats} = this.stream
    process.stderr.write(
      `agent stream stats: ${JSON.stringify({...stats, maxRoundTripMs: Number(stats.maxRoundTripMs.toFixed(1)), rtoMs: Number(this.stream.retransmissionTimeoutMs.toFixed(1)), rttMs: Number(this.stream.smoothedRttMs.toFixed(2))})}\n`,
    )
  }

  private killShell(): void {
    if (!this.pty) return
    try {
      this.pty.kill('SIGHUP')
    } catch {
      // Already gone.
    }
  }

  private release(): void {
    for (const timer of this.timers) clearTimeout(timer)
    if (this.outputFlush) clearTimeout(this.outputFlush)
    this.outputFlush = undefined
    clearInterval(this.pausedWatch)
    if (this.startTimer) clearTimeout(this.startTimer)
    this.stream?.close()
    this.killShell()
    this.releaseTerminal()
    if (this.workdir) {
      const dir = this.workdir
      this.workdir = undefined
      // The shell may still be exiting; remove its directory once it is gone.
      setTimeout(() => rmSync(dir, {force: true, recursive: true}), 200).unref()
    }
  }
}

/** Whether a process exists (signal 0 checks without sending); EPERM means it does, under another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function isDimension(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 10_000
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
