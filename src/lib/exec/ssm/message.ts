/**
 * The binary frame of the Session Manager data channel, byte for byte as the public
 * session-manager-plugin writes it (src/message/clientmessage.go, messageparser.go):
 *
 *   offset  size  field
 *        0     4  HeaderLength   uint32 BE, always 116 (the offset of PayloadLength)
 *        4    32  MessageType    UTF-8, right-padded with spaces
 *       36     4  SchemaVersion  uint32 BE
 *       40     8  CreatedDate    uint64 BE, epoch milliseconds
 *       48     8  SequenceNumber int64 BE
 *       56     8  Flags          uint64 BE (bit 0 SYN, bit 1 FIN)
 *       64    16  MessageId      UUID, its two 8-byte halves swapped (least significant first)
 *       80    32  PayloadDigest  SHA-256 of the payload
 *      112     4  PayloadType    uint32 BE
 *      116     4  PayloadLength  uint32 BE
 *      120     …  Payload
 */
import * as crypto from 'node:crypto'

export const MessageType = {
  Acknowledge: 'acknowledge',
  ChannelClosed: 'channel_closed',
  InputStreamData: 'input_stream_data',
  OutputStreamData: 'output_stream_data',
  PausePublication: 'pause_publication',
  StartPublication: 'start_publication',
} as const

export type MessageTypeName = (typeof MessageType)[keyof typeof MessageType]

const KNOWN_TYPES = new Set<string>(Object.values(MessageType))

export const PayloadType = {
  EncChallengeRequest: 8,
  EncChallengeResponse: 9,
  Error: 2,
  ExitCode: 12,
  Flag: 10,
  HandshakeComplete: 7,
  HandshakeRequest: 5,
  HandshakeResponse: 6,
  Output: 1,
  Parameter: 4,
  Size: 3,
  StdErr: 11,
} as const

/** Values carried in a Flag payload (4 bytes, big-endian). */
export const PayloadFlag = {
  ConnectToPortError: 3,
  DisconnectToPort: 1,
  TerminateSession: 2,
} as const

export const Flags = {FIN: 2, SYN: 1} as const

export const Offset = {
  CreatedDate: 40,
  Flags: 56,
  HeaderLength: 0,
  MessageId: 64,
  MessageType: 4,
  Payload: 120,
  PayloadDigest: 80,
  PayloadLength: 116,
  PayloadType: 112,
  SchemaVersion: 36,
  SequenceNumber: 48,
} as const

/** The value written in the HeaderLength field: everything before PayloadLength. */
export const HEADER_LENGTH = Offset.PayloadLength
const MESSAGE_TYPE_LENGTH = 32

export interface ClientMessage {
  messageType: string
  schemaVersion: number
  /** Epoch milliseconds. */
  createdDate: number
  sequenceNumber: number
  flags: number
  /** Canonical lowercase UUID string. */
  messageId: string
  payloadType: number
  payload: Buffer
}

/** A frame that breaks the wire format; the receiver refuses it. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProtocolError'
  }
}

/** crypto.hash (Node ≥ 20.12): one call, no Hash object per message (a third of the digest's cost on small frames). */
const oneShotHash = (crypto as unknown as {hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer}).hash

export function sha256(data: Uint8Array): Buffer {
  return oneShotHash ? oneShotHash('sha256', data, 'buffer') : crypto.createHash('sha256').update(data).digest()
}

const UUID_PATTERN = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i
const NIL_HEX = '0'.repeat(32)
const TWO_32 = 2 ** 32

/** A uint64 (int64 when signed) field: integers a double holds exactly skip the BigInt. */
function writeUint64(frame: Buffer, value: number, offset: number, signed = false): void {
  if (Number.isSafeInteger(value) && value >= 0) {
    frame.writeUInt32BE(Math.floor(value / TWO_32), offset)
    frame.writeUInt32BE(value % TWO_32, offset + 4)
  } else if (signed) frame.writeBigInt64BE(BigInt(value), offset)
  else frame.writeBigUInt64BE(BigInt(value), offset)
}

/** The same value as Number(buf.readBig(U)Int64BE(offset)): one rounding of the exact sum, no BigInt. */
function readUint64(buf: Buffer, offset: number, signed = false): number {
  const high = signed ? buf.readInt32BE(offset) : buf.readUInt32BE(offset)
  return high * TWO_32 + buf.readUInt32BE(offset + 4)
}

/** UUID text → its 16 bytes, written at `offset` in the plugin's order (bytes 8..15, then 0..7). */
function writeUuid(uuid: string, frame: Buffer, offset: number): void {
  if (!UUID_PATTERN.test(uuid)) throw new ProtocolError(`Not a UUID: ${uuid}`)
  const hex = uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24)
  if (hex === NIL_HEX) throw new ProtocolError('The message id must not be the nil UUID')
  frame.write(hex.slice(16), offset, 8, 'hex')
  frame.write(hex.slice(0, 16), offset + 8, 8, 'hex')
}

/** A message with defaults a sender fills in: a fresh id, now, schema 1. */
export function newMessage(fields: Partial<ClientMessage> & Pick<ClientMessage, 'messageType'>): ClientMessage {
  return {
    createdDate: Date.now(),
    flags: 0,
    messageId: crypto.randomUUID(),
    payload: Buffer.alloc(0),
    payloadType: 0,
    schemaVersion: 1,
    sequenceNumber: 0,
    ...fields,
  }
}

/** UUID text → the 16 bytes in the plugin's order: bytes 8..15 first, then bytes 0..7. */
export function uuidToWire(uuid: string): Buffer {
  const wire = Buffer.alloc(16)
  writeUuid(uuid, wire, 0)
  return wire
}

export function uuidFromWire(wire: Uint8Array): string {
  const buf = Buffer.isBuffer(wire) ? wire : Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength)
  const hex = buf.toString('hex', 8, 16) + buf.toString('hex', 0, 8)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function encodeMessage(message: ClientMessage): Buffer {
  return encodeMessageParts(message, [message.payload])
}

/**
 * encodeMessage for a payload given in pieces (the reads a flood of output was gathered
 * from): each piece is hashed and copied straight into the frame, with no joined copy between.
 * `into`, when it is large enough, holds the frame (the frame is its first bytes), so a sender
 * can reuse its buffers instead of allocating one per message.
 */
export function encodeMessageParts(message: Omit<ClientMessage, 'payload'>, parts: readonly Uint8Array[], into?: Buffer): Buffer {
  const type = Buffer.from(message.messageType, 'utf8')
  if (type.length === 0 || type.length > MESSAGE_TYPE_LENGTH) {
    throw new ProtocolError(`Message type must be 1 to ${MESSAGE_TYPE_LENGTH} bytes: "${message.messageType}"`)
  }

  let length = 0
  for (const part of parts) length += part.length
  const frame = into && into.length >= Offset.Payload + length ? into.subarray(0, Offset.Payload + length) : Buffer.allocUnsafe(Offset.Payload + length)
  frame.writeUInt32BE(HEADER_LENGTH, Offset.HeaderLength)
  frame.fill(0x20, Offset.MessageType, Offset.MessageType + MESSAGE_TYPE_LENGTH)
  type.copy(frame, Offset.MessageType)
  frame.writeUInt32BE(message.schemaVersion >>> 0, Offset.SchemaVersion)
  writeUint64(frame, message.createdDate, Offset.CreatedDate)
  writeUint64(frame, message.sequenceNumber, Offset.SequenceNumber, true)
  writeUint64(frame, message.flags, Offset.Flags)
  writeUuid(message.messageId, frame, Offset.MessageId)
  let offset = Offset.Payload
  for (const part of parts) {
    frame.set(part, offset)
    offset += part.length
  }

  // Hashed once it is in place: one digest call over the frame's payload, whatever the pieces.
  sha256(frame.subarray(Offset.Payload)).copy(frame, Offset.PayloadDigest)
  frame.writeUInt32BE(message.payloadType >>> 0, Offset.PayloadType)
  frame.writeUInt32BE(length, Offset.PayloadLength)
  return frame
}

export interface DecodeOptions {
  /**
   * Strict (the agent): header length exactly 116, a known message type, the payload length
   * matching the frame and the digest checked even for an empty payload. Lenient (the client,
   * like the plugin): the digest is checked when there is a payload, publication messages
   * pass as they are.
   */
  strict?: boolean
}

export function decodeMessage(frame: Uint8Array, {strict = false}: DecodeOptions = {}): ClientMessage {
  const buf = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength)
  if (buf.length < Offset.Payload) throw new ProtocolError(`Frame too short: ${buf.length} bytes, the header alone is ${Offset.Payload}`)

  const headerLength = buf.readUInt32BE(Offset.HeaderLength)
  if (headerLength !== HEADER_LENGTH && (strict || headerLength < HEADER_LENGTH || headerLength + 4 > buf.length)) {
    throw new ProtocolError(`Bad header length ${headerLength} (expected ${HEADER_LENGTH})`)
  }

  const messageType = buf
    .subarray(Offset.MessageType, Offset.MessageType + MESSAGE_TYPE_LENGTH)
    .toString('utf8')
    .replaceAll('\0', '')
    .trim()
  if (!messageType) throw new ProtocolError('Message type is missing')
  if (strict && !KNOWN_TYPES.has(messageType)) throw new ProtocolError(`Unknown message type "${messageType}"`)

  const publication = messageType === MessageType.StartPublication || messageType === MessageType.PausePublication
  const createdDate = readUint64(buf, Offset.CreatedDate)
  if (createdDate === 0 && !publication) throw new ProtocolError('CreatedDate is missing')

  const payloadLength = buf.readUInt32BE(Offset.PayloadLength)
  const payload = buf.subarray(headerLength + 4)
  if (payloadLength !== payload.length && (strict || payloadLength > payload.length)) {
    throw new ProtocolError(`Payload length ${payloadLength} does not match the ${payload.length} bytes received`)
  }

  const digest = buf.subarray(Offset.PayloadDigest, Offset.PayloadDigest + 32)
  if ((strict || (payloadLength > 0 && !publication)) && !sha256(payload).equals(digest)) {
    throw new ProtocolError('Payload digest does not match the payload')
  }

  return {
    createdDate,
    flags: readUint64(buf, Offset.Flags),
    messageId: uuidFromWire(buf.subarray(Offset.MessageId, Offset.MessageId + 16)),
    messageType,
    payload,
    payloadType: buf.readUInt32BE(Offset.PayloadType),
    schemaVersion: buf.readUInt32BE(Offset.SchemaVersion),
    sequenceNumber: readUint64(buf, Offset.SequenceNumber, true),
  }
}
