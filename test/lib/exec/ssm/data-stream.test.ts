import {createServer, connect, type AddressInfo, type Socket} from 'node:net'

import {expect} from 'chai'
import fc from 'fast-check'

import {DataStream, DEFAULT_TIMING, PLUGIN_TIMING} from '../../../../src/lib/exec/ssm/data-stream.js'
import {decodeMessage, encodeMessage, MessageType, newMessage, Offset, PayloadType} from '../../../../src/lib/exec/ssm/message.js'

const FAST = {granularityMs: 2, initialRtoMs: 20, initialRttMs: 5, maxRtoMs: 40, minRtoMs: 0}

interface Faults {
  drop: number
  duplicate: number
  reorder: number
}

/** A deterministic pseudo-random source (mulberry32), so a failing case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d_2b_79_f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** An unreliable link: frames are dropped, duplicated and reordered, delivered asynchronously. */
function lossyLink(faults: Faults, random: () => number, deliver: (frame: Buffer) => void) {
  let held: Buffer | undefined
  return (frame: Buffer) => {
    if (random() < faults.drop) return
    const copies = random() < faults.duplicate ? 2 : 1
    for (let i = 0; i < copies; i++) {
      if (!held && random() < faults.reorder) {
        held = frame
        continue
      }

      setImmediate(() => deliver(frame))
      if (held) {
        const late = held
        held = undefined
        setImmediate(() => deliver(late))
      }
    }
  }
}

function pair(faults: Faults, seed: number, options: {sendWindow?: number; timing?: typeof FAST; onDrain?: () => void} = {}) {
  const random = rng(seed)
  const received: Buffer[] = []
  const errors: Error[] = []
  const agent: DataStream = new DataStream({
    deliver: (m) => received.push(m.payload),
    incomingType: MessageType.InputStreamData,
    onError: (e) => errors.push(e),
    outgoingType: MessageType.OutputStreamData,
    strict: true,
    timing: options.timing ?? FAST,
    transmit: lossyLink(faults, random, (f) => client.receive(f)),
  })
  const client: DataStream = new DataStream({
    deliver() {},
    incomingType: MessageType.OutputStreamData,
    onError: (e) => errors.push(e),
    onDrain: options.onDrain,
    outgoingType: MessageType.InputStreamData,
    sendWindow: options.sendWindow,
    timing: options.timing ?? FAST,
    transmit: lossyLink(faults, random, (f) => agent.receive(f)),
  })
  return {agent, client, errors, received}
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => {
      setTimeout(resolve, 2)
    })
  }
}

function ackFor(seq: number): Buffer {
  return encodeMessage(
    newMessage({
      messageType: MessageType.Acknowledge,
      payload: Buffer.from(JSON.stringify({AcknowledgedMessageId: '', AcknowledgedMessageSequenceNumber: seq, AcknowledgedMessageType: MessageType.InputStreamData, IsSequentialMessage: true})),
    }),
  )
}

describe('ssm data stream', () => {
  it('delivers every message once and in order over a clean link', async () => {
    const {agent, client, errors, received} = pair({drop: 0, duplicate: 0, reorder: 0}, 1, {timing: PLUGIN_TIMING})
    for (let i = 0; i < 200; i++) client.send(PayloadType.Output, Buffer.from(`m${i}`))
    await until(() => received.length === 200 && client.unacknowledged === 0)
    expect(received.map(String)).to.deep.equal(Array.from({length: 200}, (_, i) => `m${i}`))
    expect(client.stats.resent).to.equal(0)
    expect(errors).to.deep.equal([])
    agent.close()
    client.close()
  })

  it('heals loss, duplication and reordering: every byte arrives once, in order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({max: 2 ** 31, min: 1}),
        fc.record({drop: fc.double({max: 0.3, min: 0, noNaN: true}), duplicate: fc.double({max: 0.3, min: 0, noNaN: true}), reorder: fc.double({max: 0.5, min: 0, noNaN: true})}),
        fc.array(fc.uint8Array({maxLength: 40, minLength: 1}), {maxLength: 60, minLength: 1}),
        async (seed, faults, chunks) => {
          const {agent, client, errors, received} = pair(faults, seed)
          for (const chunk of chunks) client.send(PayloadType.Output, chunk)
          await until(() => received.length >= chunks.length && client.unacknowledged === 0, 10_000)
          agent.close()
          client.close()
          expect(errors).to.deep.equal([])
          expect(received.length).to.equal(chunks.length)
          expect(Buffer.concat(received).equals(Buffer.concat(chunks))).to.equal(true)
        },
      ),
      {numRuns: 25},
    )
  })

  it('acknowledges a duplicate of a delivered message again without delivering it twice', () => {
    const sent: Buffer[] = []
    const delivered: string[] = []
    const stream = new DataStream({
      deliver: (m) => delivered.push(m.payload.toString()),
      incomingType: MessageType.OutputStreamData,
      outgoingType: MessageType.InputStreamData,
      transmit: (f) => sent.push(f),
    })
    const frame = encodeMessage(newMessage({messageType: MessageType.OutputStreamData, payload: Buffer.from('a'), payloadType: 1, sequenceNumber: 0}))
    stream.receive(frame)
    stream.receive(frame)
    expect(delivered).to.deep.equal(['a'])
    expect(sent.map((f) => decodeMessage(f).messageType)).to.deep.equal(['acknowledge', 'acknowledge'])
    expect(stream.stats.duplicates).to.equal(1)
    stream.close()
  })

  it('holds an early message, acknowledges it, and delivers it when the gap fills', () => {
    const delivered: string[] = []
    const acks: number[] = []
    const stream = new DataStream({
      deliver: (m) => delivered.push(m.payload.toString()),
      incomingType: MessageType.OutputStreamData,
      outgoingType: MessageType.InputStreamData,
      transmit: (f) => acks.push(JSON.parse(decodeMessage(f).payload.toString()).AcknowledgedMessageSequenceNumber),
    })
    const at = (seq: number) => encodeMessage(newMessage({messageType: MessageType.OutputStreamData, payload: Buffer.from(`s${seq}`), payloadType: 1, sequenceNumber: seq}))
    stream.receive(at(2))
    stream.receive(at(1))
    expect(delivered).to.deep.equal([])
    stream.receive(at(0))
    expect(delivered).to.deep.equal(['s0', 's1', 's2'])
    expect(acks).to.deep.equal([2, 1, 0])
    stream.close()
  })

  it('strict: refuses a sequence number outside the receive window; lenient: drops it unacknowledged', () => {
    const far = encodeMessage(newMessage({messageType: MessageType.InputStreamData, payload: Buffer.from('x'), payloadType: 1, sequenceNumber: 50}))
    const errors: Error[] = []
    const strict = new DataStream({
      deliver() {},
      incomingType: MessageType.InputStreamData,
      onError: (e) => errors.push(e),
      outgoingType: MessageType.OutputStreamData,
      receiveWindow: 10,
      strict: true,
      transmit() {},
    })
    strict.receive(far)
    expect(errors.map((e) => e.message)).to.deep.equal(['Sequence number 50 is outside the receive window [0, 10)'])

    const sent: Buffer[] = []
    const lenient = new DataStream({deliver() {}, incomingType: MessageType.InputStreamData, outgoingType: MessageType.OutputStreamData, receiveWindow: 10, transmit: (f) => sent.push(f)})
    lenient.receive(far)
    expect(sent).to.have.length(0)
    lenient.close()
  })

  it('strict: refuses a frame with a bad digest; lenient ignores it', () => {
    const frame = encodeMessage(newMessage({messageType: MessageType.InputStreamData, payload: Buffer.from('abc'), payloadType: 1}))
    frame[frame.length - 1] ^= 1
    const errors: Error[] = []
    const strict = new DataStream({deliver() {}, incomingType: MessageType.InputStreamData, onError: (e) => errors.push(e), outgoingType: MessageType.OutputStreamData, strict: true, transmit() {}})
    strict.receive(frame)
    expect(errors[0]?.message).to.match(/digest/)
    const delivered: unknown[] = []
    const lenient = new DataStream({deliver: (m) => delivered.push(m), incomingType: MessageType.InputStreamData, outgoingType: MessageType.OutputStreamData, transmit() {}})
    lenient.receive(frame)
    expect(delivered).to.have.length(0)
    expect(lenient.stats.refused).to.equal(1)
    lenient.close()
  })

  it('derives the retransmission timeout from measured round trips like the plugin', () => {
    let now = 0
    const sent: Buffer[] = []
    const stream = new DataStream({
      deliver() {},
      incomingType: MessageType.OutputStreamData,
      now: () => now,
      outgoingType: MessageType.InputStreamData,
      timing: PLUGIN_TIMING,
      transmit: (f) => sent.push(f),
    })
    expect(stream.retransmissionTimeoutMs).to.equal(200)
    stream.send(1, Buffer.from('a'))
    now = 20
    const ack = (seq: number) =>
      encodeMessage(
        newMessage({
          messageType: MessageType.Acknowledge,
          payload: Buffer.from(JSON.stringify({AcknowledgedMessageId: '', AcknowledgedMessageSequenceNumber: seq, AcknowledgedMessageType: MessageType.InputStreamData, IsSequentialMessage: true})),
        }),
      )
    stream.receive(ack(0))
    // RTTVAR = 3/4*0 + 1/4*|100-20| = 20; RTT = 7/8*100 + 1/8*20 = 90; RTO = 90 + max(10, 80) = 170
    expect(stream.smoothedRttMs).to.equal(90)
    expect(stream.retransmissionTimeoutMs).to.equal(170)
    stream.close()
  })

  it('keeps the timeout at 200 ms or more on a fast link (no spurious resends when acknowledgements are late)', () => {
    let now = 0
    const stream = new DataStream({deliver() {}, incomingType: MessageType.OutputStreamData, now: () => now, outgoingType: MessageType.InputStreamData, transmit() {}})
    expect(DEFAULT_TIMING.minRtoMs).to.equal(200)
    // A loopback link: round trips of 0.5 ms, which the plugin's formula turns into 10.5 ms.
    for (let seq = 0; seq < 50; seq++) {
      stream.send(1, Buffer.from('a'))
      now += 0.5
      stream.receive(ackFor(seq))
    }

    expect(stream.smoothedRttMs).to.be.lessThan(1)
    expect(stream.retransmissionTimeoutMs).to.equal(200)
    expect(stream.stats.maxRoundTripMs).to.equal(0.5)
    stream.close()
  })

  it('does not resend a message whose acknowledgement is already waiting in the socket when the timer fires', async () => {
    // A real socket pair, so the acknowledgement is I/O that the event loop reads in its poll
    // phase, which comes after the timers phase when the loop has been busy past the deadline.
    const server = createServer()
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve)
    })
    const accepted = new Promise<Socket>((resolve) => {
      server.once('connection', resolve)
    })
    const writer = connect((server.address() as AddressInfo).port, '127.0.0.1')
    const reader = await accepted
    const sent: Buffer[] = []
    const stream = new DataStream({
      deliver() {},
      incomingType: MessageType.OutputStreamData,
      outgoingType: MessageType.InputStreamData,
      timing: {...FAST, initialRtoMs: 5, maxRtoMs: 5, minRtoMs: 5},
      transmit: (f) => sent.push(f),
    })
    reader.on('data', (frame: Buffer) => stream.receive(frame))
    try {
      await new Promise<void>((resolve) => {
        setTimeout(() => {
          stream.send(1, Buffer.from('acknowledged in time'))
          writer.write(ackFor(0))
          const busyUntil = performance.now() + 25
          while (performance.now() < busyUntil) {
            // The event loop is blocked past the 5 ms deadline; the acknowledgement is in the socket.
          }

          resolve()
        }, 0)
      })
      await until(() => stream.unacknowledged === 0)
      await new Promise((resolve) => {
        setTimeout(resolve, 15)
      })
      expect(stream.stats.resent).to.equal(0)
      expect(sent).to.have.length(1)
    } finally {
      stream.close()
      writer.destroy()
      reader.destroy()
      server.close()
    }
  })

  it('resends an unacknowledged message after the timeout, and gives up after giveUpAfterMs', async () => {
    const sent: Buffer[] = []
    const errors: Error[] = []
    const stream = new DataStream({
      deliver() {},
      giveUpAfterMs: 150,
      incomingType: MessageType.OutputStreamData,
      onError: (e) => errors.push(e),
      outgoingType: MessageType.InputStreamData,
      timing: FAST,
      transmit: (f) => sent.push(f),
    })
    stream.send(1, Buffer.from('lost'))
    await until(() => errors.length > 0, 2000)
    expect(sent.length).to.be.greaterThan(2)
    expect(new Set(sent.map((f) => f.toString('hex'))).size).to.equal(1)
    expect(errors[0].message).to.match(/not acknowledged/)
  })

  it('applies backpressure: send() says false when the window is full and onDrain fires when it frees', async () => {
    let drained = 0
    const {agent, client, received} = pair({drop: 0, duplicate: 0, reorder: 0}, 3, {onDrain: () => drained++, sendWindow: 4})
    const results = Array.from({length: 6}, (_, i) => client.send(1, Buffer.from(String(i))))
    expect(results).to.deep.equal([true, true, true, false, false, false])
    await until(() => received.length === 6)
    expect(drained).to.equal(1)
    agent.close()
    client.close()
  })

  describe('reusing the buffers of acknowledged frames (reuseFramesUpTo)', () => {
    const SIZE = Offset.Payload + 4096

    /** A sender of big messages whose link copies each frame, as a socket does. */
    function reusingPair(faults: Faults, seed: number) {
      const random = rng(seed)
      const received: Buffer[] = []
      const errors: Error[] = []
      /** What went on the wire, read when it was sent (a reused buffer changes later). */
      const frames: {buffer: ArrayBufferLike; seq: bigint}[] = []
      const client: DataStream = new DataStream({
        deliver: (m) => received.push(m.payload),
        incomingType: MessageType.OutputStreamData,
        onError: (e) => errors.push(e),
        outgoingType: MessageType.InputStreamData,
        timing: FAST,
        transmit: lossyLink(faults, random, (f) => agent.receive(f)),
      })
      const link = lossyLink(faults, random, (f) => client.receive(f))
      const agent: DataStream = new DataStream({
        deliver() {},
        incomingType: MessageType.InputStreamData,
        onError: (e) => errors.push(e),
        outgoingType: MessageType.OutputStreamData,
        reuseFramesUpTo: SIZE,
        // A small window: later messages go out after acknowledgements, in reused buffers.
        sendWindow: 2,
        strict: true,
        timing: FAST,
        transmit(frame) {
          frames.push({buffer: frame.buffer, seq: frame.readBigInt64BE(Offset.SequenceNumber)})
          link(Buffer.from(frame))
        },
      })
      return {agent, client, errors, frames, received}
    }

    it('puts new frames in the buffers of acknowledged ones, and every payload still arrives whole', async () => {
      const {agent, client, errors, frames, received} = reusingPair({drop: 0, duplicate: 0, reorder: 0}, 5)
      const payloads = Array.from({length: 40}, (_, i) => Buffer.alloc(4096, i))
      for (const payload of payloads) {
        agent.send(PayloadType.Output, payload)
        await until(() => agent.unacknowledged === 0)
      }

      expect(errors).to.deep.equal([])
      expect(Buffer.concat(received).equals(Buffer.concat(payloads))).to.equal(true)
      // One message in flight at a time: every frame after the first lives in the first's buffer.
      expect(new Set(frames.map((f) => f.buffer)).size).to.equal(1)
      // Small frames are left to Node's shared pool.
      agent.send(PayloadType.Output, Buffer.from('small'))
      expect(frames.at(-1)!.buffer).to.not.equal(frames[0].buffer)
      agent.close()
      client.close()
    })

    it('never reuses the buffer of a frame that was sent twice, and heals loss, duplication and reordering (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({max: 2 ** 31, min: 1}),
          fc.record({drop: fc.double({max: 0.3, min: 0, noNaN: true}), duplicate: fc.double({max: 0.3, min: 0, noNaN: true}), reorder: fc.double({max: 0.5, min: 0, noNaN: true})}),
          fc.array(fc.integer({max: 4096, min: 1100}), {maxLength: 30, minLength: 1}),
          async (seed, faults, sizes) => {
            const {agent, client, errors, frames, received} = reusingPair(faults, seed)
            const payloads = sizes.map((size, i) => Buffer.alloc(size, i))
            for (const payload of payloads) agent.send(PayloadType.Output, payload)
            await until(() => received.length >= payloads.length && agent.unacknowledged === 0, 10_000)
            agent.close()
            client.close()
            expect(errors).to.deep.equal([])
            expect(Buffer.concat(received).equals(Buffer.concat(payloads))).to.equal(true)
            // Once a buffer has carried a frame twice (a resend), it never carries another
            // message: a socket may still hold the second copy when the first is acknowledged.
            const seen = new Map<ArrayBufferLike, {seqs: Set<bigint>; resent: boolean}>()
            for (const {buffer, seq} of frames) {
              const use = seen.get(buffer) ?? {resent: false, seqs: new Set<bigint>()}
              seen.set(buffer, use)
              if (use.seqs.has(seq)) use.resent = true
              else expect(use.resent, "a resent frame's buffer was reused").to.equal(false)
              use.seqs.add(seq)
            }
          },
        ),
        {numRuns: 25},
      )
    })
  })

  it('holds stream data while paused (pause_publication) and sends it on resume', async () => {
    const {agent, client, received} = pair({drop: 0, duplicate: 0, reorder: 0}, 4)
    client.pause()
    client.send(1, Buffer.from('held'))
    await new Promise((resolve) => {
      setTimeout(resolve, 20)
    })
    expect(received).to.have.length(0)
    client.resume()
    await until(() => received.length === 1)
    expect(received[0].toString()).to.equal('held')
    agent.close()
    client.close()
  })
})
