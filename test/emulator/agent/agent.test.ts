import {expect} from 'chai'
import {WebSocket} from 'ws'

import {DataStream} from '../../../src/lib/exec/ssm/data-stream.js'
import {type ClientMessage, decodeMessage, encodeMessage, MessageType, newMessage, PayloadType} from '../../../src/lib/exec/ssm/message.js'
import {jsonPayload, openDataChannelInput} from '../../../src/lib/exec/ssm/payloads.js'
import {agentAwsCall} from './aws-json.js'
import {type AgentServer, startAgentServer} from './server.js'

interface RawClient {
  ws: WebSocket
  messages: ClientMessage[]
  closed: Promise<{code: number; reason: string}>
  stream: DataStream
  /** Resolves once HandshakeComplete arrived (after answering the handshake like a plugin). */
  ready: Promise<void>
  closedWith(): ClientMessage | undefined
}

/** A bare protocol client: handshakes correctly, then lets the test send whatever it likes. */
function rawClient(streamUrl: string, token: string, {firstFrame}: {firstFrame?: string | Buffer} = {}): RawClient {
  const ws = new WebSocket(streamUrl)
  const messages: ClientMessage[] = []
  let markReady: () => void
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  const stream = new DataStream({
    deliver(message) {
      if (message.payloadType === PayloadType.HandshakeRequest) {
        stream.send(PayloadType.HandshakeResponse, jsonPayload({ClientVersion: '1.2.694.0', ProcessedClientActions: [{ActionStatus: 1, ActionType: 'SessionType'}], Errors: null}))
      }

      if (message.payloadType === PayloadType.HandshakeComplete) markReady()
    },
    incomingType: MessageType.OutputStreamData,
    outgoingType: MessageType.InputStreamData,
    transmit: (frame) => ws.send(frame),
  })
  ws.on('open', () => ws.send(firstFrame ?? JSON.stringify(openDataChannelInput(token, 'client-1', '1.2.694.0'))))
  ws.on('message', (data: Buffer) => {
    messages.push(decodeMessage(data))
    stream.receive(data)
  })
  const closed = new Promise<{code: number; reason: string}>((resolve) => {
    ws.on('close', (code, reason) => {
      stream.close()
      resolve({code, reason: reason.toString()})
    })
  })
  return {
    closed,
    closedWith: () => messages.find((m) => m.messageType === MessageType.ChannelClosed),
    messages,
    ready,
    stream,
    ws,
  }
}

function output(message: ClientMessage | undefined): string {
  return message ? (JSON.parse(message.payload.toString()) as {Output: string}).Output : ''
}

describe('emulator agent', function () {
  this.timeout(20_000)
  let srv: AgentServer

  beforeEach(async () => {
    srv = await startAgentServer()
  })

  afterEach(async () => {
    await srv.stop()
  })

  it('opens with a HandshakeRequest on sequence 0 with SYN, asking for the session type', async () => {
    const {streamUrl, tokenValue} = srv.agent.createSession({command: 'sh'})
    const client = rawClient(streamUrl, tokenValue)
    await client.ready
    const first = client.messages.find((m) => m.messageType === MessageType.OutputStreamData)!
    expect(first.sequenceNumber).to.equal(0)
    expect(first.flags).to.equal(1)
    expect(first.payloadType).to.equal(PayloadType.HandshakeRequest)
    const request = JSON.parse(first.payload.toString())
    expect(request.RequestedClientActions).to.deep.equal([
      {ActionParameters: {Properties: {commands: 'sh', runAsElevated: true, separateOutputStream: false}, SessionType: 'InteractiveCommands'}, ActionType: 'SessionType'},
    ])
    client.ws.close()
  })

  describe('is strict', () => {
    async function refusedAfterHandshake(send: (client: RawClient) => void) {
      const {streamUrl, tokenValue} = srv.agent.createSession({})
      const client = rawClient(streamUrl, tokenValue)
      await client.ready
      send(client)
      const closed = await client.closed
      return {closed, output: output(client.closedWith())}
    }

    it('refuses a frame whose payload does not match its digest', async () => {
      const {closed, output: why} = await refusedAfterHandshake((client) => {
        const frame = encodeMessage(newMessage({messageType: MessageType.InputStreamData, payload: Buffer.from('ls\r'), payloadType: 1, sequenceNumber: 1}))
        frame[frame.length - 1] ^= 0x20
        client.ws.send(frame)
      })
      expect(why).to.equal('Payload digest does not match the payload')
      expect(closed.code).to.equal(1002)
      expect(srv.agent.events.filter((e) => e.type === 'protocol-refused').map((e) => e.detail)).to.deep.equal(['Payload digest does not match the payload'])
    })

    it('refuses a malformed header', async () => {
      const {output: why} = await refusedAfterHandshake((client) => {
        const frame = encodeMessage(newMessage({messageType: MessageType.InputStreamData, payload: Buffer.from('x'), payloadType: 1, sequenceNumber: 1}))
        frame.writeUInt32BE(200, 0)
        client.ws.send(frame)
      })
      expect(why).to.match(/Bad header length 200/)
    })

    it('refuses a truncated frame', async () => {
      const {output: why} = await refusedAfterHandshake((client) => client.ws.send(Buffer.alloc(60)))
      expect(why).to.match(/too short/)
    })

    it('refuses a sequence number outside the receive window', async () => {
      const {output: why} = await refusedAfterHandshake((client) =>
        client.ws.send(encodeMessage(newMessage({messageType: MessageType.InputStreamData, payload: Buffer.from('x'), payloadType: 1, sequenceNumber: 1_000_000}))),
      )
      expect(why).to.equal('Sequence number 1000000 is outside the receive window [1, 4097)')
    })

    it('refuses a payload type a client may not send', async () => {
      const {output: why} = await refusedAfterHandshake((client) => client.stream.send(PayloadType.ExitCode, Buffer.from('EXIT_CODE: 0')))
      expect(why).to.equal('Payload type 12 is not accepted from a client')
    })

    it('refuses a first frame that is not the token message', async () => {
      const {streamUrl} = srv.agent.createSession({})
      const client = rawClient(streamUrl, '', {firstFrame: encodeMessage(newMessage({messageType: MessageType.InputStreamData, payload: Buffer.from('x'), payloadType: 1}))})
      const closed = await client.closed
      expect(closed.code).to.equal(1008)
      expect(output(client.closedWith())).to.equal('The first message must be the token message')
    })

    it('refuses a wrong token, then still accepts the right one once', async () => {
      const {streamUrl, tokenValue} = srv.agent.createSession({})
      const wrong = rawClient(streamUrl, `${tokenValue}x`)
      await wrong.closed
      expect(output(wrong.closedWith())).to.equal('The session token is not valid for this session')
      const right = rawClient(streamUrl, tokenValue)
      await right.ready
      right.ws.close()
      const again = rawClient(streamUrl, tokenValue)
      await again.closed
      expect(output(again.closedWith())).to.equal('The session token has already been used')
    })
  })

  it('answers SSM TerminateSession (what the plugin calls at the end) and ends a live session', async () => {
    const {sessionId, streamUrl, tokenValue} = srv.agent.createSession({})
    const client = rawClient(streamUrl, tokenValue)
    await client.ready
    const answer = agentAwsCall('AmazonSSM.TerminateSession', {SessionId: sessionId}, {agent: srv.agent})
    expect(answer).to.deep.equal({body: {SessionId: sessionId}, operation: 'TerminateSession', service: 'ssm', status: 200})
    await client.closed
    expect(output(client.closedWith())).to.equal('Session terminated')
    // Idempotent, like SSM: a finished or unknown session is fine.
    expect(agentAwsCall('AmazonSSM.TerminateSession', {SessionId: 'gone'}, {agent: srv.agent})?.status).to.equal(200)
    expect(agentAwsCall('AmazonSSM.StartSession', {}, {agent: srv.agent})).to.equal(undefined)
  })

  it('serves TerminateSession over HTTP on the server it is mounted on', async () => {
    const {sessionId} = srv.agent.createSession({})
    const response = await fetch(srv.endpoint, {
      body: JSON.stringify({SessionId: sessionId}),
      headers: {'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.TerminateSession'},
      method: 'POST',
    })
    expect(response.status).to.equal(200)
    expect(await response.json()).to.deep.equal({SessionId: sessionId})
    expect(srv.agent.sessions.get(sessionId)?.terminated).to.equal(true)
  })

  it('rejects an upgrade for an unknown path or session with 404', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(srv.endpoint.replace('http', 'ws') + '/elsewhere')
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('error', () => {})
    })
    expect(status).to.equal(404)
  })

  describe('KMS stand-in', () => {
    it('decrypts a data key only under the encryption context it was made with', () => {
      const context = {'aws:ssm:SessionId': 's-1', 'aws:ssm:TargetId': 't'}
      const made = srv.kms.handle('GenerateDataKey', {EncryptionContext: context, KeyId: 'alias/x', NumberOfBytes: 64})
      expect(made.status).to.equal(200)
      expect(Buffer.from(made.body.Plaintext as string, 'base64')).to.have.length(64)
      const ok = srv.kms.handle('Decrypt', {CiphertextBlob: made.body.CiphertextBlob, EncryptionContext: context})
      expect(ok.body.Plaintext).to.equal(made.body.Plaintext)
      expect(ok.body.KeyId).to.equal('arn:aws:kms:eu-west-1:000000000000:alias/x')
      const bad = srv.kms.handle('Decrypt', {CiphertextBlob: made.body.CiphertextBlob, EncryptionContext: {...context, 'aws:ssm:SessionId': 's-2'}})
      expect(bad).to.deep.include({status: 400})
      expect(bad.body.__type).to.equal('InvalidCiphertextException')
    })

    it('knows missing and denied keys', async () => {
      await srv.stop()
      srv = await startAgentServer({kms: {deniedKeys: ['alias/no'], keys: ['alias/yes', 'alias/no']}})
      expect(srv.kms.handle('GenerateDataKey', {KeyId: 'alias/nope', NumberOfBytes: 64}).body.__type).to.equal('NotFoundException')
      expect(srv.kms.handle('GenerateDataKey', {KeyId: 'alias/no', NumberOfBytes: 64}).body.__type).to.equal('AccessDeniedException')
      expect(srv.kms.handle('GenerateDataKey', {KeyId: 'alias/yes', NumberOfBytes: 64}).status).to.equal(200)
      expect(srv.kms.handle('Encrypt', {}).body.__type).to.equal('UnknownOperationException')
    })
  })
})
