/**
 * Reliable, ordered delivery over the data channel, shared by the client and the emulator's
 * agent (the plugin's src/datachannel/streaming.go, made stricter where it was loose).
 *
 * Sending: every stream message gets the next sequence number and is kept until the peer
 * acknowledges it; a message not acknowledged within the retransmission timeout is sent again.
 * The timeout follows the measured round trip the way the plugin computes it (RFC 6298
 * smoothing: RTT' = 7/8 RTT + 1/8 sample, RTTVAR' = 3/4 RTTVAR + 1/4 |RTT - sample|,
 * RTO = RTT + max(10 ms, 4 RTTVAR), at most 1 s), sampling only messages sent once (Karn).
 * Unlike the plugin, which resends one message per 100 ms tick, every message past its
 * deadline is resent when the timer fires, so a burst of losses heals in one timeout, and the
 * timeout doubles while nothing is acknowledged (RFC 6298 backoff).
 *
 * Two guards against spurious resends, which the plugin's formula invites on a fast link
 * (measured on loopback: RTT 0.5 ms, so RTO 10.5 ms, while a flood delays acknowledgements
 * by 15 to 40 ms; the agent resent 40 messages of 16 KiB per 50 MiB, every one a duplicate):
 * - the timeout never goes below minRtoMs (200 ms, Linux TCP's floor; RFC 6298 2.4 says
 *   1 s): the data channel runs over TCP, so a message is only ever lost by the relay or a
 *   reconnection, never by the link, and waiting a little longer there costs little;
 * - when the timer fires, the resend waits until the event loop has read what is already in
 *   the socket (setImmediate runs after the poll phase): after a busy stretch the timer phase
 *   comes before the acknowledgements that arrived meanwhile are read.
 *
 * Receiving: messages are delivered exactly once and in sequence order. One that arrives
 * early is acknowledged and held (up to the receive window); a duplicate of one already
 * delivered is acknowledged again (its first acknowledgement was lost) and dropped.
 */
import {type ClientMessage, decodeMessage, encodeMessage, encodeMessageParts, MessageType, newMessage, Offset, ProtocolError} from './message.js'
import {type AcknowledgeContent, acknowledgeMessage, parseJson} from './payloads.js'

export interface RetransmissionTiming {
  /** Timeout before the first round trip is measured (plugin: 200 ms). */
  initialRtoMs: number
  /** Initial smoothed round trip (plugin: 100 ms). */
  initialRttMs: number
  /** Lower bound on the variation term (plugin's clock granularity: 10 ms). */
  granularityMs: number
  /** Upper bound on the timeout (plugin: 1 s). */
  maxRtoMs: number
  /** Lower bound on the timeout (the plugin has none beyond granularityMs). */
  minRtoMs: number
}

/** The plugin's constants (src/config/config.go), which have no floor on the timeout. */
export const PLUGIN_TIMING: RetransmissionTiming = {granularityMs: 10, initialRtoMs: 200, initialRttMs: 100, maxRtoMs: 1000, minRtoMs: 0}

/** What DataStream uses unless told otherwise: the plugin's, with TCP's 200 ms floor. */
export const DEFAULT_TIMING: RetransmissionTiming = {...PLUGIN_TIMING, minRtoMs: 200}

/** How many acknowledged buffers are kept for reuse (reuseFramesUpTo). */
const SPARE_BUFFERS = 32

export interface DataStreamOptions {
  /** The stream message type this side sends: input_stream_data (client) or output_stream_data (agent). */
  outgoingType: string
  /** The stream message type this side receives. */
  incomingType: string
  /** Puts a binary frame on the wire. */
  transmit(frame: Buffer): void
  /** Called once per incoming stream message, in sequence order. */
  deliver(message: ClientMessage): void
  /** channel_closed, start_publication, pause_publication and anything else that is not stream data. */
  onControl?(message: ClientMessage): void
  /** A fatal problem: a refused frame (strict), a message never acknowledged, a throwing deliver. */
  onError?(error: Error): void
  /** Called when the send window has room again after send() returned false. */
  onDrain?(): void
  /** Refuse malformed frames and sequence numbers outside the window instead of dropping them. */
  strict?: boolean
  /** How far ahead of the next expected sequence number a message may be held (plugin: 10000). */
  receiveWindow?: number
  /** How many messages may be unacknowledged before send() queues (backpressure). */
  sendWindow?: number
  timing?: Partial<RetransmissionTiming>
  /** Give up when a message stays unacknowledged this long (plugin: about 5 minutes). */
  giveUpAfterMs?: number
  /**
   * Reuse the buffers of acknowledged frames up to this size (bytes) for new ones, for a side
   * that sends floods of large messages (the agent's output): a fresh 64 KiB buffer per message
   * is external memory to V8, and allocating 50 MiB of it per `cat` set off a full garbage
   * collection every 200 ms (measured: 22 mark-compacts in 150 MiB, against 1 without).
   * Safe only where transmit() keeps no reference once the peer has acknowledged a frame
   * (a websocket's send queue is written before the peer can acknowledge); resent frames are
   * never reused, as a copy may still wait in the send queue.
   */
  reuseFramesUpTo?: number
  now?: () => number
}

interface Outgoing {
  sequenceNumber: number
  frame: Buffer
  /** The reusable buffer the frame lives in (reuseFramesUpTo). */
  buffer?: Buffer
  firstSent: number
  lastSent: number
  attempts: number
}

interface Pending {
  payloadType: number
  parts: readonly Uint8Array[]
  flags: number
}

export interface DataStreamStats {
  sent: number
  resent: number
  delivered: number
  duplicates: number
  heldEarly: number
  acksSent: number
  acksReceived: number
  refused: number
  /** The longest measured round trip (ms): how late acknowledgements came under load. */
  maxRoundTripMs: number
}

export class DataStream {
  readonly stats: DataStreamStats = {
    acksReceived: 0,
    acksSent: 0,
    delivered: 0,
    duplicates: 0,
    heldEarly: 0,
    maxRoundTripMs: 0,
    refused: 0,
    resent: 0,
    sent: 0,
  }

  private nextSequence = 0
  private expectedSequence = 0
  private readonly unacked = new Map<number, Outgoing>()
  private readonly queued: Pending[] = []
  private readonly early = new Map<number, ClientMessage>()
  /** Buffers of acknowledged frames, ready for new ones (reuseFramesUpTo). */
  private readonly spareBuffers: Buffer[] = []
  private paused = false
  private closed = false
  private needDrain = false
  private timer: NodeJS.Timeout | undefined
  private resendCheck: NodeJS.Immediate | undefined
  private rtt: number
  private rttVariation = 0
  private rto: number
  private readonly timing: RetransmissionTiming
  private readonly now: () => number

  constructor(private readonly options: DataStreamOptions) {
    this.timing = {...DEFAULT_TIMING, ...options.timing}
    this.rtt = this.timing.initialRttMs
    this.rto = this.clampRto(this.timing.initialRtoMs)
    this.now = options.now ?? (() => performance.now())
  }

  /** The current retransmission timeout in milliseconds. */
  get retransmissionTimeoutMs(): number {
    return this.rto
  }

  get smoothedRttMs(): number {
    return this.rtt
  }

  get unacknowledged(): number {
    return this.unacked.size + this.queued.length
  }

  get nextExpectedSequence(): number {
    return this.expectedSequence
  }

  /**
   * Sends a stream message; the payload may come in pieces, joined in the frame. Returns false
   * when the send window is full (the message is queued and goes out as acknowledgements
   * arrive); the caller should wait for onDrain.
   */
  send(payloadType: number, payload: Uint8Array | readonly Uint8Array[], flags = 0): boolean {
    if (this.closed) return false
    const parts = payload instanceof Uint8Array ? [payload] : payload
    if (this.paused || this.queued.length > 0 || this.unacked.size >= this.sendWindow()) {
      // Held for later: a copy, as the caller may reuse its buffers (a message sent now is
      // copied into its frame at once, so it needs none).
      this.queued.push({flags, parts: [Buffer.concat(parts)], payloadType})
      this.needDrain = true
      return false
    }

    this.transmitNew({flags, parts, payloadType})
    if (this.unacked.size < this.sendWindow()) return true
    this.needDrain = true
    return false
  }

  /** pause_publication: the far side cannot take stream data now; hold it. */
  pause(): void {
    this.paused = true
  }

  /** start_publication: send what was held. */
  resume(): void {
    this.paused = false
    this.pump()
  }

  /** Handles one frame from the wire. */
  receive(frame: Uint8Array): void {
    if (this.closed) return
    let message: ClientMessage
    try {
      message = decodeMessage(frame, {strict: this.options.strict})
    } catch (error) {
      this.refuse(error as Error)
      return
    }

    try {
      switch (message.messageType) {
        case MessageType.Acknowledge: {
          this.handleAcknowledge(message)
          break
        }

        case this.options.incomingType: {
          this.handleStreamData(message)
          break
        }

        case this.options.outgoingType: {
          this.refuse(new ProtocolError(`Unexpected ${message.messageType} message from the other side`))
          break
        }

        default: {
          this.options.onControl?.(message)
        }
      }
    } catch (error) {
      this.fail(error as Error)
    }
  }

  /** Stops timers; nothing more is sent or delivered. */
  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    if (this.resendCheck) clearImmediate(this.resendCheck)
    this.timer = undefined
    this.resendCheck = undefined
  }

  /** Resolves when every sent message is acknowledged (or after timeoutMs). */
  async flushed(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (this.unacknowledged > 0 && !this.closed && Date.now() < deadline) {
      await new Promise((resolve) => {
        setTimeout(resolve, 5)
      })
    }

    return this.unacknowledged === 0
  }

  private sendWindow(): number {
    return this.options.sendWindow ?? Number.POSITIVE_INFINITY
  }

  private transmitNew(item: Pending): void {
    const sequenceNumber = this.nextSequence++
    const buffer = this.reusableBuffer(item.parts)
    const frame = encodeMessageParts(
      newMessage({flags: item.flags, messageType: this.options.outgoingType, payloadType: item.payloadType, sequenceNumber}),
      item.parts,
      buffer,
    )
    const now = this.now()
    this.unacked.set(sequenceNumber, {attempts: 1, buffer, firstSent: now, frame, lastSent: now, sequenceNumber})
    this.stats.sent++
    this.options.transmit(frame)
    this.arm(this.rto)
  }

  /** A buffer for a large frame when frames are reused: a spare one, or a new one of the full size. */
  private reusableBuffer(parts: readonly Uint8Array[]): Buffer | undefined {
    const size = this.options.reuseFramesUpTo
    if (!size) return undefined
    let length = Offset.Payload
    for (const part of parts) length += part.length
    // Small frames come from Node's shared pool already; only large ones are worth keeping.
    if (length > size || length < size / 4) return undefined
    return this.spareBuffers.pop() ?? Buffer.allocUnsafeSlow(size)
  }

  private pump(): void {
    while (!this.paused && !this.closed && this.queued.length > 0 && this.unacked.size < this.sendWindow()) {
      this.transmitNew(this.queued.shift()!)
    }

    if (this.needDrain && this.queued.length === 0 && this.unacked.size < this.sendWindow()) {
      this.needDrain = false
      this.options.onDrain?.()
    }
  }

  private handleAcknowledge(message: ClientMessage): void {
    const ack = parseJson<AcknowledgeContent>(message.payload, 'acknowledge')
    const sequence = ack.AcknowledgedMessageSequenceNumber
    if (typeof sequence !== 'number' || !Number.isInteger(sequence)) {
      this.refuse(new ProtocolError('Acknowledgement without a sequence number'))
      return
    }

    if (ack.AcknowledgedMessageType && ack.AcknowledgedMessageType !== this.options.outgoingType) return
    const entry = this.unacked.get(sequence)
    if (!entry) return // a late duplicate acknowledgement
    this.stats.acksReceived++
    if (entry.attempts === 1) {
      const sample = this.now() - entry.lastSent
      this.stats.maxRoundTripMs = Math.max(this.stats.maxRoundTripMs, sample)
      this.sampleRoundTrip(sample)
    }

    this.unacked.delete(sequence)
    // Acknowledged, so written and read: its buffer can hold a new frame (not one sent twice,
    // whose second copy may still wait in the send queue).
    if (entry.buffer && entry.attempts === 1 && this.spareBuffers.length < SPARE_BUFFERS) this.spareBuffers.push(entry.buffer)
    if (this.unacked.size === 0) {
      if (this.timer) clearTimeout(this.timer)
      if (this.resendCheck) clearImmediate(this.resendCheck)
      this.timer = undefined
      this.resendCheck = undefined
    }

    this.pump()
  }

  private sampleRoundTrip(sample: number): void {
    // The plugin's CalculateRetransmissionTimeout, in milliseconds.
    this.rttVariation = 0.75 * this.rttVariation + 0.25 * Math.abs(this.rtt - sample)
    this.rtt = 0.875 * this.rtt + 0.125 * sample
    this.rto = this.clampRto(this.rtt + Math.max(this.timing.granularityMs, 4 * this.rttVariation))
  }

  private clampRto(rto: number): number {
    return Math.min(this.timing.maxRtoMs, Math.max(this.timing.minRtoMs, rto))
  }

  private handleStreamData(message: ClientMessage): void {
    const sequence = message.sequenceNumber
    if (sequence < 0) {
      this.refuse(new ProtocolError(`Negative sequence number ${sequence}`))
      return
    }

    if (sequence < this.expectedSequence) {
      this.stats.duplicates++
      this.acknowledge(message)
      return
    }

    const window = this.options.receiveWindow ?? 10_000
    if (sequence >= this.expectedSequence + window) {
      // Out of window: strict refuses, lenient drops it unacknowledged so the sender retries.
      if (this.options.strict) {
        this.refuse(
          new ProtocolError(`Sequence number ${sequence} is outside the receive window [${this.expectedSequence}, ${this.expectedSequence + window})`),
        )
      }

      return
    }

    this.acknowledge(message)
    if (sequence > this.expectedSequence) {
      if (this.early.has(sequence)) this.stats.duplicates++
      else {
        this.early.set(sequence, message)
        this.stats.heldEarly++
      }

      return
    }

    this.deliverInOrder(message)
  }

  private deliverInOrder(first: ClientMessage): void {
    let message: ClientMessage | undefined = first
    while (message && !this.closed) {
      this.early.delete(message.sequenceNumber)
      this.expectedSequence++
      this.stats.delivered++
      this.options.deliver(message)
      message = this.early.get(this.expectedSequence)
    }
  }

  private acknowledge(message: ClientMessage): void {
    this.stats.acksSent++
    this.options.transmit(encodeMessage(acknowledgeMessage(message)))
  }

  private arm(delay: number): void {
    if (this.timer || this.resendCheck || this.closed) return
    this.timer = setTimeout(() => this.onTimer(), Math.max(1, Math.ceil(delay)))
    this.timer.unref?.()
  }

  private onTimer(): void {
    this.timer = undefined
    if (this.closed || this.unacked.size === 0) return
    // Let the poll phase read acknowledgements already waiting in the socket first.
    this.resendCheck = setImmediate(() => this.resendDue())
    this.resendCheck.unref?.()
  }

  private resendDue(): void {
    this.resendCheck = undefined
    if (this.closed || this.unacked.size === 0) return
    const now = this.now()
    let next = Number.POSITIVE_INFINITY
    let resent = false
    for (const entry of this.unacked.values()) {
      if (this.options.giveUpAfterMs !== undefined && now - entry.firstSent > this.options.giveUpAfterMs) {
        this.fail(new Error(`Message ${entry.sequenceNumber} was not acknowledged within ${Math.round(this.options.giveUpAfterMs / 1000)} s`))
        return
      }

      if (now - entry.lastSent >= this.rto) {
        entry.lastSent = now
        entry.attempts++
        this.stats.resent++
        resent = true
        this.options.transmit(entry.frame)
      }

      next = Math.min(next, entry.lastSent + this.rto)
    }

    // RFC 6298 5.5 (the plugin does not): back off while nothing gets through, so a slow peer
    // is not flooded with copies; the next measured round trip brings the timeout back down.
    if (resent) this.rto = this.clampRto(this.rto * 2)

    this.arm(next - now)
  }

  private refuse(error: Error): void {
    this.stats.refused++
    if (this.options.strict) this.fail(error)
  }

  private fail(error: Error): void {
    if (this.closed) return
    this.close()
    this.options.onError?.(error)
  }
}

