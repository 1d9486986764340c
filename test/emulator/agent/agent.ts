/**
 * The emulator's Session Manager agent: the websocket endpoint an ExecuteCommand streamUrl
 * points at, served from the emulator's own HTTP server (its 'upgrade' event).
 *
 *   const agent = attachAgent(server, {kms})
 *   const session = agent.createSession({command: '/bin/sh', target: 'ecs:c_t_r'})
 *   // → {sessionId, streamUrl: ws://127.0.0.1:PORT/ssm/data-channel/<id>?role=publish_subscribe, tokenValue}
 *
 * Each session's token is good for one connection, before it expires. Behind it runs a real
 * shell in a pseudo-terminal in a temporary directory (see connection.ts).
 */
import {randomBytes, randomUUID} from 'node:crypto'
import type {IncomingMessage, Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {Duplex} from 'node:stream'

import {WebSocketServer} from 'ws'

import {AgentConnection, type AgentEvent} from './connection.js'
import type {FakeKms} from './kms.js'

export const DATA_CHANNEL_PATH = '/ssm/data-channel/'

export interface AgentOptions {
  /** Needed for KMS-encrypted sessions: the agent decrypts the client's data key with it. */
  kms?: FakeKms
  /** Host written in stream URLs (default: the address the server listens on). */
  host?: string
  /** How long a token stays valid before its first use (default 5 minutes). */
  tokenTtlMs?: number
  /**
   * Largest output payload in bytes (default 64 KiB; the real agent uses 1 KiB). The header's
   * PayloadLength is 32 bits and the plugin reads frames of any size; larger messages mean
   * fewer digests and acknowledgements per MiB of a flood.
   */
  outputChunkBytes?: number
  /** Unacknowledged output messages before the shell is paused (default 16, 1 MiB of 64 KiB messages: enough for a local link, little queueing). */
  sendWindow?: number
  /** How far ahead of the expected sequence number input may arrive (default 4096). */
  receiveWindow?: number
  /** The shell for sessions without a command (default bash, else sh). */
  shell?: string
  /** Called for every event, in addition to agent.events. */
  onEvent?: (event: AgentEvent) => void
}

export interface AgentSessionSpec {
  /** The ExecuteCommand command; run with `sh -c` (default: an interactive shell). */
  command?: string
  /** The ECS target, part of the KMS encryption context. */
  target?: string
  /** Require KMS encryption with this key id (the cluster's executeCommandConfiguration.kmsKeyId). */
  kmsKeyId?: string
  /** Send the command's exit code as an ExitCode payload (default true; the real agent only does for non-interactive sessions). */
  sendExitCode?: boolean
  /** Override the token lifetime for this session. */
  tokenTtlMs?: number
  /** Extra environment for the shell. */
  env?: Record<string, string>
  sessionId?: string
}

export interface AgentSession {
  sessionId: string
  streamUrl: string
  tokenValue: string
}

export interface SessionRecord {
  spec: AgentSessionSpec
  sessionId: string
  tokenValue: string
  expiresAt: number
  tokenUsed: boolean
  terminated: boolean
  connection?: AgentConnection
}

export interface Agent {
  createSession(spec?: AgentSessionSpec): AgentSession
  /** SSM TerminateSession: ends the session if it is connected; unknown ids are fine (idempotent, like SSM). */
  terminateSession(sessionId: string): void
  /** An AWS JSON call for the SSM service (X-Amz-Target AmazonSSM.<Op>), or undefined when not handled here. */
  handleSsm(operation: string, body: Record<string, unknown>): {status: number; body: Record<string, unknown>} | undefined
  /** Expires a session's token now (bad-input tests). */
  expireToken(sessionId: string): void
  /** Cuts a session's connection without channel_closed, as a network failure would (bad-input tests). */
  dropConnection(sessionId: string): void
  readonly sessions: ReadonlyMap<string, SessionRecord>
  readonly events: AgentEvent[]
  /** Ends every session and detaches from the server. */
  close(): Promise<void>
}

export function attachAgent(server: Server, options: AgentOptions = {}): Agent {
  const sessions = new Map<string, SessionRecord>()
  const events: AgentEvent[] = []
  const wss = new WebSocketServer({maxPayload: 4 * 1024 * 1024, noServer: true, perMessageDeflate: false})
  const record = (event: AgentEvent) => {
    events.push(event)
    options.onEvent?.(event)
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://agent')
    if (!url.pathname.startsWith(DATA_CHANNEL_PATH)) {
      // Another 'upgrade' listener may own this path; when there is none, do not leave it hanging.
      if (server.listenerCount('upgrade') === 1) rejectUpgrade(socket, 404, 'Not Found')
      return
    }

    const sessionId = decodeURIComponent(url.pathname.slice(DATA_CHANNEL_PATH.length))
    const session = sessions.get(sessionId)
    if (!session) {
      record({detail: 'unknown session id', sessionId, type: 'connection-refused'})
      rejectUpgrade(socket, 404, 'Not Found')
      return
    }

    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new AgentConnection(ws, session, {
        authorize: (token) => authorize(session, token),
        kms: options.kms,
        outputChunkBytes: options.outputChunkBytes ?? 64 * 1024,
        receiveWindow: options.receiveWindow ?? 4096,
        record,
        sendWindow: options.sendWindow ?? 16,
        shell: options.shell,
      })
      connection.start()
    })
  }

  function authorize(session: SessionRecord, token: string): string | undefined {
    if (token !== session.tokenValue) return 'The session token is not valid for this session'
    if (session.terminated) return 'The session has been terminated'
    if (session.tokenUsed) return 'The session token has already been used'
    if (Date.now() > session.expiresAt) return 'The session token has expired'
    session.tokenUsed = true
    return undefined
  }

  server.on('upgrade', onUpgrade)

  const agent: Agent = {
    async close() {
      server.off('upgrade', onUpgrade)
      await Promise.all([...sessions.values()].map((s) => s.connection?.end('The agent is shutting down')))
      for (const client of wss.clients) client.terminate()
      wss.close()
    },
    createSession(spec = {}) {
      const sessionId = spec.sessionId ?? `ecs-execute-command-${randomUUID().replaceAll('-', '').slice(0, 17)}`
      const tokenValue = randomBytes(96).toString('base64url')
      sessions.set(sessionId, {
        expiresAt: Date.now() + (spec.tokenTtlMs ?? options.tokenTtlMs ?? 5 * 60_000),
        sessionId,
        spec,
        terminated: false,
        tokenUsed: false,
        tokenValue,
      })
      return {sessionId, streamUrl: streamUrlFor(server, sessionId, options.host), tokenValue}
    },
    dropConnection(sessionId) {
      sessions.get(sessionId)?.connection?.drop()
    },
    events,
    expireToken(sessionId) {
      const session = sessions.get(sessionId)
      if (session) session.expiresAt = 0
    },
    handleSsm(operation, body) {
      if (operation !== 'TerminateSession') return undefined
      const sessionId = typeof body.SessionId === 'string' ? body.SessionId : ''
      if (!sessionId) return {body: {__type: 'ValidationException', message: 'SessionId is required'}, status: 400}
      agent.terminateSession(sessionId)
      return {body: {SessionId: sessionId}, status: 200}
    },
    sessions,
    terminateSession(sessionId) {
      const session = sessions.get(sessionId)
      if (!session) return
      session.terminated = true
      record({sessionId, type: 'terminated'})
      void session.connection?.end('Session terminated')
    },
  }
  return agent
}

export function streamUrlFor(server: Server, sessionId: string, host?: string): string {
  const address = server.address() as AddressInfo | null
  if (!address || typeof address === 'string') throw new Error('The server must be listening on a TCP port before sessions are created')
  const hostname = host ?? (address.family === 'IPv6' ? `[${address.address}]` : address.address)
  const shown = hostname === '0.0.0.0' || hostname === '[::]' ? '127.0.0.1' : hostname
  return `ws://${shown}:${address.port}${DATA_CHANNEL_PATH}${encodeURIComponent(sessionId)}?role=publish_subscribe`
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
