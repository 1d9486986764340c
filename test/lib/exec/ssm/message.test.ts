import {createHash} from 'node:crypto'

import {expect} from 'chai'

import {
  type ClientMessage,
  decodeMessage,
  encodeMessage,
  encodeMessageParts,
  HEADER_LENGTH,
  MessageType,
  PayloadType,
  ProtocolError,
  uuidFromWire,
  uuidToWire,
} from '../../../../src/lib/exec/ssm/message.js'
import {acknowledgeMessage, channelClosedMessage, exitCodePayload, jsonPayload} from '../../../../src/lib/exec/ssm/payloads.js'

/** The values of the plugin's own messageparser_test.go. */
const MESSAGE_ID = 'dd01e56b-ff48-483e-a508-b5f073f31b16'
const CREATED = 1_503_434_274_948

/**
 * The Go serializer (SerializeClientMessage) transcribed step by step, independent of the
 * encoder under test: putUInteger(HL=116), putString(type, space-padded), SchemaVersion,
 * CreatedDate, SequenceNumber, Flags, putUuid (LSB half first), SHA-256, PayloadType,
 * PayloadLength, payload.
 */
function goSerialize(m: ClientMessage): Buffer {
  const out = Buffer.alloc(120 + m.payload.length)
  out.writeInt32BE(116, 0)
  for (let i = 4; i <= 35; i++) out[i] = 0x20
  out.write(m.messageType, 4, 'utf8')
  out.writeInt32BE(m.schemaVersion | 0, 36) // putUInteger: int32(value)
  out.writeBigInt64BE(BigInt(m.createdDate), 40)
  out.writeBigInt64BE(BigInt(m.sequenceNumber), 48)
  out.writeBigInt64BE(BigInt(m.flags), 56)
  const uuid = Buffer.from(m.messageId.replaceAll('-', ''), 'hex')
  uuid.copy(out, 64, 8, 16) // leastSignificantLong = input.Bytes()[8:16]
  uuid.copy(out, 72, 0, 8) // mostSignificantLong = input.Bytes()[0:8]
  createHash('sha256').update(m.payload).digest().copy(out, 80)
  out.writeInt32BE(m.payloadType | 0, 112)
  out.writeInt32BE(m.payload.length, 116)
  m.payload.copy(out, 120)
  return out
}

function message(fields: Partial<ClientMessage> & Pick<ClientMessage, 'messageType'>): ClientMessage {
  return {
    createdDate: CREATED,
    flags: 0,
    messageId: MESSAGE_ID,
    payload: Buffer.alloc(0),
    payloadType: 0,
    schemaVersion: 1,
    sequenceNumber: 0,
    ...fields,
  }
}

describe('ssm message codec', () => {
  describe('golden bytes (computed outside this codebase from the Go layout)', () => {
    it('input_stream_data with the plugin test values', () => {
      const frame = encodeMessage(
        message({flags: 2, messageType: MessageType.InputStreamData, payload: Buffer.from('payload'), payloadType: PayloadType.Output, sequenceNumber: 1}),
      )
      expect(frame.toString('hex')).to.equal(
        '00000074' +
          '696e7075745f73747265616d5f64617461202020202020202020202020202020' +
          '00000001' +
          '0000015e0baa7884' +
          '0000000000000001' +
          '0000000000000002' +
          'a508b5f073f31b16dd01e56bff48483e' +
          '239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5' +
          '00000001' +
          '00000007' +
          '7061796c6f6164',
      )
    })

    it('acknowledge, with the JSON in the Go struct field order and flags 3', () => {
      const ack = acknowledgeMessage({messageId: MESSAGE_ID, messageType: MessageType.OutputStreamData, sequenceNumber: 2})
      const frame = encodeMessage({...ack, createdDate: CREATED, messageId: MESSAGE_ID})
      expect(frame.toString('hex')).to.equal(
        '0000007461636b6e6f776c65646765202020202020202020202020202020202020202020000000010000015e0baa7884' +
          '00000000000000000000000000000003a508b5f073f31b16dd01e56bff48483e' +
          '826149d35e09fb655b0de7148dac393b940c08944aeccbefab44cbd86c9be050' +
          '00000000000000b0' +
          Buffer.from(
            '{"AcknowledgedMessageType":"output_stream_data","AcknowledgedMessageId":"dd01e56b-ff48-483e-a508-b5f073f31b16","AcknowledgedMessageSequenceNumber":2,"IsSequentialMessage":true}',
          ).toString('hex'),
      )
    })

    it('Size payload on input_stream_data', () => {
      const frame = encodeMessage(message({messageType: MessageType.InputStreamData, payload: jsonPayload({cols: 132, rows: 43}), payloadType: PayloadType.Size, sequenceNumber: 3}))
      expect(frame.toString('hex')).to.equal(
        '00000074696e7075745f73747265616d5f64617461202020202020202020202020202020000000010000015e0baa7884' +
          '00000000000000030000000000000000a508b5f073f31b16dd01e56bff48483e' +
          '4b9ec8c4401483f792634dbae19cab25c3dac438a5551c7066ac9e940045dc24' +
          '00000003000000167b22636f6c73223a3133322c22726f7773223a34337d',
      )
    })

    it('start_publication with an empty payload still carries the SHA-256 of nothing', () => {
      const frame = encodeMessage(message({messageType: MessageType.StartPublication}))
      expect(frame.toString('hex')).to.equal(
        '0000007473746172745f7075626c69636174696f6e202020202020202020202020202020000000010000015e0baa7884' +
          '00000000000000000000000000000000a508b5f073f31b16dd01e56bff48483e' +
          'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' +
          '0000000000000000',
      )
    })
  })

  describe('every message and payload type matches the transcribed Go serializer', () => {
    const cases: [string, ClientMessage][] = [
      ['input_stream_data Output', message({messageType: MessageType.InputStreamData, payload: Buffer.from([0x03]), payloadType: PayloadType.Output, sequenceNumber: 7})],
      ['input_stream_data Size', message({messageType: MessageType.InputStreamData, payload: jsonPayload({cols: 80, rows: 24}), payloadType: PayloadType.Size, sequenceNumber: 1})],
      [
        'input_stream_data HandshakeResponse',
        message({
          messageType: MessageType.InputStreamData,
          payload: jsonPayload({ClientVersion: '1.2.694.0', ProcessedClientActions: [{ActionType: 'SessionType', ActionStatus: 1}], Errors: null}),
          payloadType: PayloadType.HandshakeResponse,
        }),
      ],
      ['input_stream_data EncChallengeResponse', message({messageType: MessageType.InputStreamData, payload: jsonPayload({Challenge: 'AAEC'}), payloadType: PayloadType.EncChallengeResponse, sequenceNumber: 1})],
      ['input_stream_data Flag TerminateSession', message({messageType: MessageType.InputStreamData, payload: Buffer.from([0, 0, 0, 2]), payloadType: PayloadType.Flag, sequenceNumber: 9})],
      [
        'output_stream_data HandshakeRequest with SYN',
        message({
          flags: 1,
          messageType: MessageType.OutputStreamData,
          payload: jsonPayload({AgentVersion: '3.3.1802.0', RequestedClientActions: [{ActionType: 'SessionType', ActionParameters: {SessionType: 'Standard_Stream'}}]}),
          payloadType: PayloadType.HandshakeRequest,
        }),
      ],
      ['output_stream_data EncChallengeRequest', message({messageType: MessageType.OutputStreamData, payload: jsonPayload({Challenge: 'AAEC'}), payloadType: PayloadType.EncChallengeRequest, sequenceNumber: 1})],
      ['output_stream_data HandshakeComplete', message({messageType: MessageType.OutputStreamData, payload: jsonPayload({HandshakeTimeToComplete: 1_000_000, CustomerMessage: ''}), payloadType: PayloadType.HandshakeComplete, sequenceNumber: 2})],
      ['output_stream_data Output', message({messageType: MessageType.OutputStreamData, payload: Buffer.from('$ '), payloadType: PayloadType.Output, sequenceNumber: 3})],
      ['output_stream_data StdErr', message({messageType: MessageType.OutputStreamData, payload: Buffer.from('oops'), payloadType: PayloadType.StdErr, sequenceNumber: 4})],
      ['output_stream_data ExitCode', message({messageType: MessageType.OutputStreamData, payload: exitCodePayload(3), payloadType: PayloadType.ExitCode, sequenceNumber: 5})],
      ['channel_closed', {...channelClosedMessage('sess-1', 'bye'), createdDate: CREATED, messageId: MESSAGE_ID}],
      ['pause_publication', message({messageType: MessageType.PausePublication})],
      ['large sequence number and date', message({createdDate: 2 ** 45, messageType: MessageType.InputStreamData, payload: Buffer.from('x'), sequenceNumber: 2 ** 40})],
    ]
    for (const [name, m] of cases) {
      it(name, () => {
        const frame = encodeMessage(m)
        expect(frame.equals(goSerialize(m)), frame.toString('hex')).to.equal(true)
        const back = decodeMessage(frame, {strict: true})
        expect({...back, payload: back.payload.toString('hex')}).to.deep.equal({...m, payload: m.payload.toString('hex')})
      })
    }
  })

  describe('message id layout', () => {
    it('swaps the two 8-byte halves and back', () => {
      const wire = uuidToWire(MESSAGE_ID)
      expect(wire.toString('hex')).to.equal('a508b5f073f31b16dd01e56bff48483e')
      expect(uuidFromWire(wire)).to.equal(MESSAGE_ID)
    })

    it('refuses the nil UUID, as the plugin does', () => {
      expect(() => uuidToWire('00000000-0000-0000-0000-000000000000')).to.throw(ProtocolError, /nil/)
    })
  })

  describe('refusing malformed frames', () => {
    const good = () => encodeMessage(message({messageType: MessageType.InputStreamData, payload: Buffer.from('hello'), payloadType: 1, sequenceNumber: 1}))

    it('a frame shorter than the header', () => {
      expect(() => decodeMessage(good().subarray(0, 100))).to.throw(ProtocolError, /too short/)
    })

    it('a payload that does not match its digest', () => {
      const frame = good()
      frame[frame.length - 1] ^= 0xff
      expect(() => decodeMessage(frame)).to.throw(ProtocolError, /digest/)
    })

    it('a wrong header length (strict)', () => {
      const frame = good()
      frame.writeUInt32BE(HEADER_LENGTH + 4, 0)
      expect(() => decodeMessage(frame, {strict: true})).to.throw(ProtocolError, /header length/)
    })

    it('a payload length that disagrees with the frame (strict)', () => {
      const frame = good()
      frame.writeUInt32BE(4, 116)
      expect(() => decodeMessage(frame, {strict: true})).to.throw(ProtocolError, /Payload length/)
    })

    it('an unknown message type (strict) but not when lenient', () => {
      const frame = encodeMessage(message({messageType: 'bogus_type', payload: Buffer.from('x')}))
      expect(() => decodeMessage(frame, {strict: true})).to.throw(ProtocolError, /Unknown message type/)
      expect(decodeMessage(frame).messageType).to.equal('bogus_type')
    })

    it('a missing created date, except on publication messages', () => {
      expect(() => decodeMessage(encodeMessage(message({createdDate: 0, messageType: MessageType.InputStreamData, payload: Buffer.from('x')})))).to.throw(/CreatedDate/)
      expect(decodeMessage(encodeMessage(message({createdDate: 0, messageType: MessageType.StartPublication}))).messageType).to.equal('start_publication')
    })

    it('a message type longer than 32 bytes cannot be encoded', () => {
      expect(() => encodeMessage(message({messageType: 'x'.repeat(33)}))).to.throw(ProtocolError)
    })
  })
})

describe('ssm message codec properties', () => {
  it('decode(encode(m)) is m for any field values, and any single flipped payload bit is caught', async () => {
    const fc = (await import('fast-check')).default
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(MessageType)),
        fc.integer({max: 2 ** 32 - 1, min: 0}),
        fc.integer({max: 2 ** 50, min: 1}),
        fc.integer({max: 2 ** 50, min: 0}),
        fc.integer({max: 3, min: 0}),
        fc.uuid().filter((u) => u !== '00000000-0000-0000-0000-000000000000'),
        fc.integer({max: 12, min: 0}),
        fc.uint8Array({maxLength: 300, minLength: 1}),
        fc.nat(),
        (messageType, schemaVersion, createdDate, sequenceNumber, flags, messageId, payloadType, bytes, flip) => {
          const m = message({createdDate, flags, messageId, messageType, payload: Buffer.from(bytes), payloadType, schemaVersion, sequenceNumber})
          const frame = encodeMessage(m)
          expect(frame.equals(goSerialize(m))).to.equal(true)
          const back = decodeMessage(frame, {strict: true})
          expect(back.payload.equals(m.payload)).to.equal(true)
          expect({...back, payload: null}).to.deep.equal({...m, payload: null})
          const bit = flip % (bytes.length * 8)
          frame[120 + Math.floor(bit / 8)] ^= 1 << (bit % 8)
          expect(() => decodeMessage(frame, {strict: true})).to.throw(ProtocolError, /digest/)
        },
      ),
      {numRuns: 300},
    )
  })

  it('a payload given in pieces encodes to the same bytes as the joined payload (Go layout included)', async () => {
    const fc = (await import('fast-check')).default
    fc.assert(
      fc.property(fc.array(fc.uint8Array({maxLength: 200}), {maxLength: 8}), fc.integer({max: 2 ** 40, min: 0}), (pieces, sequenceNumber) => {
        const m = message({messageType: MessageType.OutputStreamData, payload: Buffer.concat(pieces), payloadType: PayloadType.Output, sequenceNumber})
        const frame = encodeMessageParts(m, pieces)
        expect(frame.equals(encodeMessage(m))).to.equal(true)
        expect(frame.equals(goSerialize(m))).to.equal(true)
      }),
      {numRuns: 200},
    )
  })
})
