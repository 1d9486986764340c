/**
 * The JSON documents carried on the data channel, with the field names the plugin and the
 * agent use (Go structs marshalled with encoding/json: []byte fields travel as base64 strings,
 * time.Duration as integer nanoseconds). Objects are built in the Go structs' field order so
 * the bytes match what the plugin sends.
 */
import {randomUUID} from 'node:crypto'

import {type ClientMessage, Flags, MessageType, newMessage, PayloadType} from './message.js'

/** The first frame on the websocket, sent as text: it presents the session token. */
export interface OpenDataChannelInput {
  MessageSchemaVersion: string
  RequestId: string
  TokenValue: string
  ClientId: string
  ClientVersion: string
}

export interface AcknowledgeContent {
  AcknowledgedMessageType: string
  AcknowledgedMessageId: string
  AcknowledgedMessageSequenceNumber: number
  IsSequentialMessage: boolean
}

export interface ChannelClosed {
  MessageId: string
  CreatedDate: string
  DestinationId: string
  SessionId: string
  MessageType: string
  SchemaVersion: number
  Output: string
}

export interface SizeData {
  cols: number
  rows: number
}

export const ActionType = {KMSEncryption: 'KMSEncryption', SessionType: 'SessionType'} as const
export const ActionStatus = {Failed: 2, Success: 1, Unsupported: 3} as const

export interface RequestedClientAction {
  ActionType: string
  ActionParameters?: unknown
}

export interface HandshakeRequest {
  AgentVersion: string
  RequestedClientActions: RequestedClientAction[]
}

export interface KmsEncryptionRequest {
  KMSKeyId: string
}

export interface SessionTypeRequest {
  SessionType: string
  Properties?: unknown
}

export interface ProcessedClientAction {
  ActionType: string
  ActionStatus: number
  ActionResult?: unknown
  Error?: string
}

export interface HandshakeResponse {
  ClientVersion: string
  ProcessedClientActions: ProcessedClientAction[]
  Errors: string[] | null
}

/** ActionResult of a successful KMSEncryption action. */
export interface KmsEncryptionResponse {
  /** base64 of the KMS ciphertext blob of the data key. */
  KMSCipherTextKey: string
}

export interface HandshakeComplete {
  /** Nanoseconds (Go time.Duration). */
  HandshakeTimeToComplete: number
  CustomerMessage: string
}

/** EncChallengeRequest and EncChallengeResponse: base64 of an encrypted random challenge. */
export interface EncryptionChallenge {
  Challenge: string
}

/** Session types an agent may announce; the three shell-like ones run a terminal. */
export const SessionTypes = {
  InteractiveCommands: 'InteractiveCommands',
  NonInteractiveCommands: 'NonInteractiveCommands',
  Port: 'Port',
  Shell: 'Standard_Stream',
} as const

export const SHELL_SESSION_TYPES: ReadonlySet<string> = new Set([
  SessionTypes.Shell,
  SessionTypes.InteractiveCommands,
  SessionTypes.NonInteractiveCommands,
])

export function openDataChannelInput(token: string, clientId: string, clientVersion: string): OpenDataChannelInput {
  // Field order as the plugin's Go struct marshals it.
  return {
    MessageSchemaVersion: '1.0',
    RequestId: randomUUID(),
    TokenValue: token,
    ClientId: clientId,
    ClientVersion: clientVersion,
  }
}

export function jsonPayload(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8')
}

/** Parses a JSON payload, naming what was expected when it is not JSON of an object. */
export function parseJson<T>(payload: Uint8Array, what: string): T {
  let value: unknown
  try {
    // A view, not Buffer.from(payload) (a copy): every acknowledgement comes through here.
    value = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'))
  } catch {
    throw new SyntaxError(`The ${what} payload is not valid JSON`)
  }

  if (value === null || typeof value !== 'object') throw new SyntaxError(`The ${what} payload is not a JSON object`)
  return value as T
}

/** The acknowledgement of a stream message, framed the way the plugin frames it (seq 0, flags 3). */
export function acknowledgeMessage(acked: Pick<ClientMessage, 'messageType' | 'messageId' | 'sequenceNumber'>): ClientMessage {
  const content: AcknowledgeContent = {
    AcknowledgedMessageType: acked.messageType,
    AcknowledgedMessageId: acked.messageId,
    AcknowledgedMessageSequenceNumber: acked.sequenceNumber,
    IsSequentialMessage: true,
  }
  return newMessage({
    flags: Flags.SYN | Flags.FIN,
    messageType: MessageType.Acknowledge,
    payload: jsonPayload(content),
    sequenceNumber: 0,
  })
}

export function channelClosedMessage(sessionId: string, output: string, destinationId = ''): ClientMessage {
  const message = newMessage({flags: Flags.SYN | Flags.FIN, messageType: MessageType.ChannelClosed})
  const content: ChannelClosed = {
    MessageId: message.messageId,
    CreatedDate: new Date(message.createdDate).toISOString(),
    DestinationId: destinationId,
    SessionId: sessionId,
    MessageType: MessageType.ChannelClosed,
    SchemaVersion: 1,
    Output: output,
  }
  message.payload = jsonPayload(content)
  return message
}

/** "EXIT_CODE: 3" is how the agent words an ExitCode payload. */
export function parseExitCode(payload: Uint8Array): number | undefined {
  const match = /EXIT_CODE:\s*(-?\d+)/.exec(Buffer.from(payload).toString('utf8'))
  return match ? Number(match[1]) : undefined
}

export function exitCodePayload(code: number): Buffer {
  return Buffer.from(`EXIT_CODE: ${code}`, 'utf8')
}

export {PayloadType}
