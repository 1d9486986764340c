/**
 * taskonaut's own Session Manager client: what session-manager-plugin does for a shell
 * session (src/sessionmanagerplugin/session, shellsession, datachannel), in-process.
 *
 *   1. open a websocket to the session's streamUrl and present the token (a JSON text frame);
 *   2. answer the agent's handshake: session type, and a KMS data key when it asks for
 *      encryption, then the encryption challenge;
 *   3. after HandshakeComplete: the terminal in raw mode, its size now and on every resize,
 *      keystrokes out as input_stream_data, output in as output_stream_data, both reliable;
 *   4. channel_closed ends the session; the exit code is the one the agent sent, else 0.
 *
 * Every exit path restores the terminal, stops reading stdin and closes the socket.
 */
import {randomUUID} from 'node:crypto'

import {WebSocket} from 'ws'

import {DataStream, type RetransmissionTiming} from './data-stream.js'
import {encryptionContext, type KmsDataKeySource, PayloadCipher} from './encryption.js'
import {type LocalTerminal, processTerminal} from './local-terminal.js'
import {type ClientMessage, MessageType, PayloadFlag, PayloadType} from './message.js'
import {
  ActionStatus,
  ActionType,
  type ChannelClosed,
  type EncryptionChallenge,
  type HandshakeComplete,
  type HandshakeRequest,
  type HandshakeResponse,
  jsonPayload,
  type KmsEncryptionRequest,
  openDataChannelInput,
  parseExitCode,
  parseJson,
  type ProcessedClientAction,
  SHELL_SESSION_TYPES,
  type SessionTypeRequest,
  type SizeData,
} from './payloads.js'
import {SessionError, USE_PLUGIN_HINT} from './session-error.js'
import {streamUrlProblem} from './stream-url.js'

/**
 * The plugin version whose behaviour this client implements; agents read it from the
 * handshake to decide what the client understands (StdErr and ExitCode payloads, the
 * TerminateSession flag).
 */
export const CLIENT_VERSION = '1.2.694.0'

/** The plugin reads stdin 1024 bytes at a time; agents expect input payloads of that size. */
const INPUT_CHUNK = 1024

export interface NativeSessionOptions {
  /** From ExecuteCommand's session: streamUrl, tokenValue, sessionId. */
  streamUrl: string
  tokenValue: string
  sessionId: string
  /** "ecs:<cluster>_<taskId>_<runtimeId>": part of the KMS encryption context. */
  target?: string
  stdin?: NodeJS.ReadableStream
  stdout?: NodeJS.WritableStream
  /** Where the agent's CustomerMessage and StdErr payloads go. */
  stderr?: NodeJS.WritableStream
  /** The local terminal; default: the process's own when stdin is a TTY, none otherwise. */
  terminal?: LocalTerminal | null
  /** Needed only when the agent asks for KMS encryption; see kmsForContext (kms.ts). */
  kms?: KmsDataKeySource
  /** Aborting sends the TerminateSession flag, closes the session and resolves with 130. */
  signal?: AbortSignal
  connectTimeoutMs?: number
  /** How long the agent may take from the token to HandshakeComplete. */
  handshakeTimeoutMs?: number
  /** Give up when a keystroke stays unacknowledged this long (the plugin: 5 minutes). */
  giveUpAfterMs?: number
  timing?: Partial<RetransmissionTiming>
  /** Debug lines (never the token). */
  log?: (line: string) => void
  /** Called once the shell is live (after HandshakeComplete), with a way to type into it. */
  onStarted?: (session: LiveSession) => void
  /** Hook between the socket and the stream, for fault-injection tests: return frames to pass on. */
  wire?: {
    outgoing?: (frame: Buffer, send: (frame: Buffer) => void) => void
    incoming?: (frame: Buffer, receive: (frame: Buffer) => void) => void
  }
}

/** A running session, for what arrives outside stdin (signals turned into control characters). */
export interface LiveSession {
  /** Sends bytes to the remote side as if typed (reliable, encrypted when the session is). */
  sendInput(bytes: Uint8Array): void
}

export interface NativeSessionResult {
  exitCode: number
  /** Whether the agent reported the remote exit code (interactive ECS sessions usually do not). */
  exitCodeReported: boolean
  encrypted: boolean
  sessionType?: string
  agentVersion?: string
  stats: DataStream['stats']
}

/** Runs a session to its end and resolves with the remote exit code (0 when none was sent). */
export async function runNativeSession(options: NativeSessionOptions): Promise<number> {
  return (await startNativeSession(options)).exitCode
}

/** Like runNativeSession, with the details tests and `--debug` output want. */
export async function startNativeSession(options: NativeSessionOptions): Promise<NativeSessionResult> {
  const problem = streamUrlProblem(options.streamUrl)
  if (problem) throw new SessionError('bad-url', `Refusing to open the session: ${problem}.`, 'Real Session Manager endpoints are wss://ssmmessages.<region>.amazonaws.com.')
  return new ClientSession(options).run()
}

class ClientSession {
  private readonly stdin: NodeJS.ReadableStream
  private readonly stdout: NodeJS.WritableStream
  private readonly stderr: NodeJS.WritableStream
  private readonly terminal: LocalTerminal | undefined
  private readonly log: (line: string) => void
  private ws!: WebSocket
  private stream!: DataStream
  private cipher: PayloadCipher | undefined
  private started = false
  private finished = false
  private exitCode: number | undefined
  private sessionType: string | undefined
  private agentVersion: string | undefined
  private lastSize: SizeData | undefined
  private work: Promise<void> = Promise.resolve()
  /** Handlers started or queued and not finished yet. */
  private pending = 0
  private channelClosed = false
  private readonly cleanups: (() => void)[] = []
  private settle!: {resolve: (result: NativeSessionResult) => void; reject: (error: Error) => void}

  constructor(private readonly options: NativeSessionOptions) {
    this.stdin = options.stdin ?? process.stdin
    this.stdout = options.stdout ?? process.stdout
    this.stderr = options.stderr ?? process.stderr
    this.terminal = options.terminal === null ? undefined : (options.terminal ?? processTerminal())
    this.log = options.log ?? (() => {})
  }

  run(): Promise<NativeSessionResult> {
    return new Promise<NativeSessionResult>((resolve, reject) => {
      this.settle = {reject, resolve}
      try {
        this.open()
      } catch (error) {
        this.fail(error as Error)
      }
    })
  }

  private open(): void {
    const {options} = this
    const host = safeHost(options.streamUrl)
    this.ws = new WebSocket(options.streamUrl, {
      handshakeTimeout: options.connectTimeoutMs ?? 15_000,
      perMessageDeflate: false,
    })
    this.cleanups.push(() => {
      if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000)
    })

    this.stream = new DataStream({
      deliver: (message) => this.enqueue(() => this.onStreamMessage(message)),
      giveUpAfterMs: options.giveUpAfterMs ?? 5 * 60_000,
      incomingType: MessageType.OutputStreamData,
      onControl: (message) => {
        if (message.messageType === MessageType.ChannelClosed) this.channelClosed = true
        this.enqueue(() => this.onControl(message))
      },
      onDrain: () => this.stdin.resume(),
      onError: (error) =>
        this.fail(
          error instanceof SessionError
            ? error
            : new SessionError('lost', `The session stopped: ${error.message}.`, 'Check the network, then start a new session.'),
        ),
      outgoingType: MessageType.InputStreamData,
      sendWindow: 256,
      timing: options.timing,
      transmit: (frame) => this.transmit(frame),
    })
    this.cleanups.push(() => this.stream.close())

    const handshakeTimer = setTimeout(() => {
      if (!this.started) {
        this.fail(
          new SessionError(
            'handshake',
            `The agent did not complete the session handshake within ${Math.round((options.handshakeTimeoutMs ?? 30_000) / 1000)} s.`,
            `The container's agent may be outdated or unreachable. ${USE_PLUGIN_HINT}`,
          ),
        )
      }
    }, options.handshakeTimeoutMs ?? 30_000)
    handshakeTimer.unref()
    this.cleanups.push(() => clearTimeout(handshakeTimer))

    this.ws.on('open', () => {
      this.log(`connected to ${host}`)
      // Like the plugin: a ping every 5 minutes keeps idle sessions open through proxies.
      const keepalive = setInterval(() => this.ws.ping('keepalive'), 5 * 60_000)
      keepalive.unref()
      this.cleanups.push(() => clearInterval(keepalive))
      // The token travels once, in the first (text) frame, as the plugin sends it.
      this.ws.send(JSON.stringify(openDataChannelInput(options.tokenValue, randomUUID(), CLIENT_VERSION)))
    })
    this.ws.on('message', (data, isBinary) => {
      const frame = toBuffer(data)
      if (!isBinary) {
        this.log(`text frame ignored (${frame.length} bytes)`)
        return
      }

      if (options.wire?.incoming) options.wire.incoming(frame, (f) => this.stream.receive(f))
      else this.stream.receive(frame)
    })
    this.ws.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0
      this.fail(
        new SessionError(
          'refused',
          `The session endpoint ${host} refused the connection (HTTP ${status}).`,
          status === 401 || status === 403 ? 'The session token has expired or was already used: start a new session.' : 'Start a new session; if it keeps failing, try --use-plugin.',
        ),
      )
    })
    this.ws.on('error', (error) => {
      if (this.finished) return
      const message = (error as NodeJS.ErrnoException).code ? `${(error as NodeJS.ErrnoException).code}` : error.message
      this.fail(
        this.started
          ? new SessionError('lost', `The connection to the session was lost (${message}).`, 'The remote shell may still be running; start a new session to check.')
          : new SessionError(
              'connect',
              `Could not connect to the session endpoint ${host}: ${message}.`,
              'Check the network path to ssmmessages (proxy, VPC endpoint), or try --use-plugin.',
            ),
      )
    })
    this.ws.on('close', (code, reason) => {
      if (this.finished) return
      // channel_closed came first and waits behind a handler (KMS): it decides how this ends.
      if (this.channelClosed) return
      const why = reason.length > 0 ? `${code} ${reason.toString()}` : `${code}`
      this.fail(
        this.started
          ? new SessionError('lost', `The connection to the session was lost (websocket closed: ${why}).`, 'The remote shell may still be running; start a new session to check.')
          : new SessionError('refused', `The session endpoint closed the connection before the session started (${why}).`, 'The session token may have expired or been used already: start a new session.'),
      )
    })

    if (options.signal) {
      const onAbort = () => this.terminate()
      if (options.signal.aborted) queueMicrotask(onAbort)
      else options.signal.addEventListener('abort', onAbort, {once: true})
      this.cleanups.push(() => options.signal?.removeEventListener('abort', onAbort))
    }
  }

  private transmit(frame: Buffer): void {
    if (this.ws.readyState !== WebSocket.OPEN) return
    const send = (f: Buffer) => {
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(f, {binary: true})
    }

    if (this.options.wire?.outgoing) this.options.wire.outgoing(frame, send)
    else send(frame)
  }

  /**
   * Stream messages are handled one at a time, in order, even when one needs KMS: while an
   * asynchronous handler runs, later messages wait behind it; otherwise they run at once.
   */
  private enqueue(handler: () => void | Promise<void>): void {
    if (this.pending > 0) {
      this.pending++
      this.work = this.work
        .then(async () => {
          if (!this.finished) await handler()
        })
        .catch((error: unknown) => this.fail(error as Error))
        .finally(() => {
          this.pending--
        })
      return
    }

    let result: void | Promise<void>
    try {
      result = this.finished ? undefined : handler()
    } catch (error) {
      this.fail(error as Error)
      return
    }

    if (result instanceof Promise) {
      this.pending++
      this.work = result
        .catch((error: unknown) => this.fail(error as Error))
        .finally(() => {
          this.pending--
        })
    }
  }

  private async onStreamMessage(message: ClientMessage): Promise<void> {
    switch (message.payloadType) {
      case PayloadType.HandshakeRequest: {
        await this.onHandshakeRequest(parseJson<HandshakeRequest>(message.payload, 'HandshakeRequest'))
        break
      }

      case PayloadType.EncChallengeRequest: {
        this.onEncryptionChallenge(parseJson<EncryptionChallenge>(message.payload, 'EncChallengeRequest'))
        break
      }

      case PayloadType.HandshakeComplete: {
        const complete = parseJson<HandshakeComplete>(message.payload, 'HandshakeComplete')
        if (complete.CustomerMessage) this.stderr.write(`${complete.CustomerMessage}\n`)
        this.begin()
        break
      }

      case PayloadType.Output: {
        // An agent that skips the handshake starts straight with output (the plugin allows it).
        this.begin()
        this.stdout.write(this.unseal(message.payload))
        break
      }

      case PayloadType.StdErr: {
        this.begin()
        this.stderr.write(this.unseal(message.payload))
        break
      }

      case PayloadType.ExitCode: {
        const code = parseExitCode(this.unseal(message.payload))
        if (code !== undefined) this.exitCode = code
        this.log(`exit code ${code}`)
        break
      }

      default: {
        this.log(`payload type ${message.payloadType} ignored`)
      }
    }
  }

  /** Decrypts a payload when the session is encrypted. */
  private unseal(payload: Buffer): Buffer {
    return this.cipher ? this.cipher.decrypt(payload) : payload
  }

  private async onHandshakeRequest(request: HandshakeRequest): Promise<void> {
    this.agentVersion = request.AgentVersion
    this.log(`handshake from agent ${request.AgentVersion}`)
    const processed: ProcessedClientAction[] = []
    const errors: string[] = []
    let fatal: SessionError | undefined
    for (const action of request.RequestedClientActions ?? []) {
      switch (action.ActionType) {
        case ActionType.SessionType: {
          const sessionType = (action.ActionParameters as SessionTypeRequest | undefined)?.SessionType ?? ''
          this.sessionType = sessionType
          if (SHELL_SESSION_TYPES.has(sessionType)) {
            processed.push({ActionType: action.ActionType, ActionStatus: ActionStatus.Success})
          } else {
            const error = `Unsupported session type ${sessionType}`
            errors.push(error)
            processed.push({ActionType: action.ActionType, ActionStatus: ActionStatus.Failed, Error: `Failed to process action SessionType: ${error}`})
            fatal ??= new SessionError('unsupported', `The agent asked for a "${sessionType}" session; taskonaut's native client runs shell sessions only.`, USE_PLUGIN_HINT)
          }

          break
        }

        case ActionType.KMSEncryption: {
          const keyId = (action.ActionParameters as KmsEncryptionRequest | undefined)?.KMSKeyId ?? ''
          try {
            const ciphertext = await this.setUpEncryption(keyId)
            processed.push({ActionType: action.ActionType, ActionStatus: ActionStatus.Success, ActionResult: {KMSCipherTextKey: ciphertext.toString('base64')}})
          } catch (error) {
            const text = (error as Error).message
            errors.push(text)
            processed.push({ActionType: action.ActionType, ActionStatus: ActionStatus.Failed, Error: `Failed to process action KMSEncryption: ${text}`})
            fatal ??= new SessionError(
              'kms',
              `The session is KMS-encrypted and no data key could be had from KMS (${firstLine(text)}).`,
              `Allow kms:GenerateDataKey on ${keyId || 'the session key'} for these credentials. ${USE_PLUGIN_HINT}`,
            )
          }

          break
        }

        default: {
          const error = `Unsupported action ${action.ActionType}`
          errors.push(error)
          processed.push({ActionType: action.ActionType, ActionStatus: ActionStatus.Unsupported, Error: error})
          fatal ??= new SessionError('unsupported', `The agent asked for "${action.ActionType}", which taskonaut's native client cannot do.`, USE_PLUGIN_HINT)
        }
      }
    }

    const response: HandshakeResponse = {
      ClientVersion: CLIENT_VERSION,
      ProcessedClientActions: processed,
      Errors: errors.length > 0 ? errors : null,
    }
    // The answer goes out before the socket closes (ws sends queued frames before the close frame).
    this.stream.send(PayloadType.HandshakeResponse, jsonPayload(response))
    if (fatal) throw fatal
  }

  private async setUpEncryption(keyId: string): Promise<Buffer> {
    if (!this.options.kms) throw new Error('no KMS access was configured for this session')
    if (!keyId) throw new Error('the agent sent no KMS key id')
    const context = encryptionContext(this.options.sessionId, this.options.target ?? '')
    const key = await this.options.kms.generateDataKey(keyId, context)
    this.cipher = PayloadCipher.forClient(key.plaintext)
    key.plaintext.fill(0)
    this.log('session encrypted with a KMS data key')
    return key.ciphertext
  }

  private onEncryptionChallenge(request: EncryptionChallenge): void {
    if (!this.cipher) throw new SessionError('protocol', 'The agent sent an encryption challenge before encryption was agreed.', USE_PLUGIN_HINT)
    const plain = this.cipher.decrypt(Buffer.from(request.Challenge, 'base64'))
    const answer: EncryptionChallenge = {Challenge: this.cipher.encrypt(plain).toString('base64')}
    this.stream.send(PayloadType.EncChallengeResponse, jsonPayload(answer))
  }

  /** HandshakeComplete (or the first output of an agent without handshake): the shell is live. */
  private begin(): void {
    if (this.started) return
    this.started = true
    this.log(`session started (${this.sessionType ?? 'no handshake'}${this.cipher ? ', encrypted' : ''})`)

    if (this.terminal) {
      const restore = this.terminal.enterRawMode()
      this.cleanups.push(restore)
      this.sendSize(this.terminal.size())
      this.cleanups.push(this.terminal.onResize((size) => this.sendSize(size)))
    }

    const onData = (chunk: Buffer | string) => this.sendInput(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    // Piped input that ends: the remote side reads end of input, as a terminal's Ctrl-D gives it
    // (`taskonaut exec --command cat < file` finishes instead of waiting forever).
    const onEnd = () => {
      if (!this.terminal) this.sendInput(Buffer.from([0x04]))
    }

    this.stdin.on('data', onData)
    this.stdin.once('end', onEnd)
    this.stdin.resume()
    this.cleanups.push(() => {
      this.stdin.off('data', onData)
      this.stdin.off('end', onEnd)
      this.stdin.pause()
    })
    this.options.onStarted?.({sendInput: (bytes) => this.sendInput(Buffer.from(bytes))})
  }

  private sendSize(size: SizeData | undefined): void {
    if (!size || (this.lastSize && this.lastSize.cols === size.cols && this.lastSize.rows === size.rows)) return
    this.lastSize = size
    this.stream.send(PayloadType.Size, jsonPayload({cols: size.cols, rows: size.rows}))
  }

  private sendInput(data: Buffer): void {
    if (this.finished || data.length === 0) return
    // The plugin's rule: a lone line feed is sent as carriage return (Enter on a terminal).
    if (data.length === 1 && data[0] === 0x0a) data = Buffer.from([0x0d])
    let roomLeft = true
    for (let offset = 0; offset < data.length; offset += INPUT_CHUNK) {
      const chunk = data.subarray(offset, offset + INPUT_CHUNK)
      roomLeft = this.stream.send(PayloadType.Output, this.cipher ? this.cipher.encrypt(chunk) : chunk)
    }

    if (!roomLeft) this.stdin.pause()
  }

  private onControl(message: ClientMessage): void {
    switch (message.messageType) {
      case MessageType.ChannelClosed: {
        const closed = safeJson<ChannelClosed>(message.payload)
        const output = closed?.Output?.trim() ?? ''
        this.log(`channel closed${output ? `: ${output}` : ''}`)
        if (!this.started && this.exitCode === undefined) {
          this.fail(
            new SessionError(
              'refused',
              output ? `The session was closed before it started: ${firstLine(output)}` : 'The session was closed before it started.',
              'The session token may have expired or been used already: start a new session.',
            ),
          )
          return
        }

        if (output && this.exitCode === undefined) this.stderr.write(`\n${output}\n`)
        this.succeed()
        break
      }

      case MessageType.PausePublication: {
        this.stream.pause()
        break
      }

      case MessageType.StartPublication: {
        this.stream.resume()
        break
      }

      default: {
        this.log(`message ${message.messageType} ignored`)
      }
    }
  }

  /** The user asked to stop (abort signal): tell the agent, then leave with 130. */
  private terminate(): void {
    if (this.finished) return
    // Whatever the agent does next (usually channel_closed), the user cancelled: 130.
    this.exitCode = 130
    if (this.started) {
      const flag = Buffer.alloc(4)
      flag.writeUInt32BE(PayloadFlag.TerminateSession)
      this.stream.send(PayloadType.Flag, flag)
      void this.stream.flushed(1000).then(() => this.succeed())
      return
    }

    this.succeed()
  }

  private succeed(): void {
    if (this.finished) return
    this.finished = true
    this.cleanup()
    this.settle.resolve({
      agentVersion: this.agentVersion,
      encrypted: Boolean(this.cipher),
      exitCode: this.exitCode ?? 0,
      exitCodeReported: this.exitCode !== undefined,
      sessionType: this.sessionType,
      stats: this.stream.stats,
    })
  }

  private fail(error: Error): void {
    if (this.finished) return
    this.finished = true
    this.cleanup()
    this.settle.reject(
      error instanceof SessionError ? error : new SessionError('protocol', `The session failed: ${firstLine(error.message)}.`, USE_PLUGIN_HINT),
    )
  }

  private cleanup(): void {
    for (const cleanup of this.cleanups.reverse()) {
      try {
        cleanup()
      } catch {
        // Keep going: every other resource must still be released.
      }
    }

    this.cleanups.length = 0
  }
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}

function safeJson<T>(payload: Buffer): T | undefined {
  try {
    return JSON.parse(payload.toString('utf8')) as T
  } catch {
    return undefined
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim()
}
