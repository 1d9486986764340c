import {createServer} from 'node:http'
import {type AddressInfo, createServer as createNetServer} from 'node:net'

import {expect} from 'chai'
import {WebSocketServer} from 'ws'

import {kmsForContext} from '../../../../src/lib/exec/ssm/kms.js'
import {DataStream} from '../../../../src/lib/exec/ssm/data-stream.js'
import {decodeMessage, MessageType, PayloadType} from '../../../../src/lib/exec/ssm/message.js'
import {jsonPayload} from '../../../../src/lib/exec/ssm/payloads.js'
import {SessionError} from '../../../../src/lib/exec/ssm/session-error.js'
import {type NativeSessionOptions, startNativeSession} from '../../../../src/lib/exec/ssm/session.js'
import {type AgentServer, startAgentServer} from '../../../emulator/agent/server.js'
import {Console, FakeTerminal, sleep, until} from './harness.js'

const PROMPT = /\$ $/

describe('native session against the emulator agent (real shell in a pty)', function () {
  this.timeout(30_000)
  let srv: AgentServer

  beforeEach(async () => {
    srv = await startAgentServer()
  })

  afterEach(async () => {
    await srv.stop()
  })

  function start(spec: Parameters<AgentServer['agent']['createSession']>[0] = {}, extra: Partial<NativeSessionOptions> = {}) {
    const session = srv.agent.createSession(spec)
    const io = new Console()
    const terminal = new FakeTerminal()
    const running = startNativeSession({...session, stderr: io.stderr, stdin: io.stdin, stdout: io.stdout, terminal, ...extra})
    return {io, running, session, terminal}
  }

  it('runs a command in the shell and passes the exit code through, restoring the terminal', async () => {
    const {io, running, terminal} = start()
    await io.waitFor(PROMPT)
    expect(terminal.raw).to.equal(true)
    io.type('echo "sum=$((40+2))"\r')
    await io.waitFor(/sum=42/)
    io.type('exit 3\r')
    const result = await running
    expect(result.exitCode).to.equal(3)
    expect(result.exitCodeReported).to.equal(true)
    expect(result.sessionType).to.equal('Standard_Stream')
    expect(terminal.raw).to.equal(false)
    const shell = srv.agent.events.find((e) => e.type === 'shell-started')
    expect(shell?.size).to.deep.equal({cols: 100, rows: 30})
  })

  it('runs the ExecuteCommand command instead of a shell when one is given', async () => {
    const {io, running} = start({command: 'echo from-command; exit 5'})
    const result = await running
    expect(io.output).to.contain('from-command')
    expect(result.exitCode).to.equal(5)
    expect(result.sessionType).to.equal('InteractiveCommands')
  })

  it('piped input that ends gives the remote command end of input', async () => {
    const session = srv.agent.createSession({command: 'cat; echo "cat-done"'})
    const io = new Console()
    const running = startNativeSession({...session, stdin: io.stdin, stdout: io.stdout, terminal: null})
    io.stdin.end('line one\nline two\n')
    const result = await running
    expect(io.output).to.match(/line one\r\n[\s\S]*line two\r\n[\s\S]*cat-done/)
    expect(result.exitCode).to.equal(0)
  })

  it('delivers Ctrl-C to the remote foreground process, not to taskonaut', async () => {
    const {io, running} = start()
    await io.waitFor(PROMPT)
    io.type('sleep 30\r')
    await io.waitFor(/sleep 30\r\n/)
    await sleep(200)
    io.type('\u0003')
    await io.waitFor(/\^C/)
    io.type('echo "rc=$?"\r')
    await io.waitFor(/rc=130/)
    expect(srv.agent.events.some((e) => e.type === 'input' && e.detail === '03')).to.equal(true)
    io.type('exit\r')
    expect((await running).exitCode).to.equal(0)
  })

  it('delivers Ctrl-D: the remote shell reads end of input and the session ends', async () => {
    const {io, running, terminal} = start()
    await io.waitFor(PROMPT)
    io.type('\u0004')
    const result = await running
    expect(result.exitCode).to.equal(0)
    expect(srv.agent.events.some((e) => e.type === 'input' && e.detail === '04')).to.equal(true)
    expect(terminal.raw).to.equal(false)
  })

  it('sends the terminal size at the start and on every resize', async () => {
    const {io, running, terminal} = start()
    await io.waitFor(PROMPT)
    io.type('stty size\r')
    await io.waitFor(/30 100/)
    terminal.resize({cols: 132, rows: 43})
    terminal.resize({cols: 132, rows: 43}) // unchanged: not sent twice
    await until(() => srv.agent.events.some((e) => e.type === 'resize' && e.size?.cols === 132))
    const mark = io.output.length
    io.type('stty size\r')
    await io.waitFor(/43 132/, 8000, mark)
    io.type('exit\r')
    await running
    expect(srv.agent.events.filter((e) => e.type === 'resize').map((e) => e.size)).to.deep.equal([
      {cols: 100, rows: 30},
      {cols: 132, rows: 43},
    ])
  })

  it('runs a KMS-encrypted session: data key from KMS through the SDK, nothing readable on the wire', async () => {
    const frames: Buffer[] = []
    const kms = kmsForContext({endpoint: srv.endpoint, endpointFromFlag: true, maxAttempts: 1, region: 'eu-west-1', regionSource: 'flag'})
    const {io, running} = start(
      {kmsKeyId: 'alias/ecs-exec', target: 'ecs:demo_abc_123'},
      {
        kms,
        target: 'ecs:demo_abc_123',
        wire: {
          incoming(frame, receive) {
            frames.push(frame)
            receive(frame)
          },
          outgoing(frame, send) {
            frames.push(frame)
            send(frame)
          },
        },
      },
    )
    await io.waitFor(PROMPT)
    io.type('echo "secret-$((6*7))-marker"\r')
    await io.waitFor(/secret-42-marker/)
    io.type('exit 4\r')
    const result = await running
    expect(result.encrypted).to.equal(true)
    expect(result.exitCode).to.equal(4)
    const context = {'aws:ssm:SessionId': srv.agent.sessions.keys().next().value, 'aws:ssm:TargetId': 'ecs:demo_abc_123'}
    expect(srv.kms.calls.map((c) => [c.operation, c.keyId, c.encryptionContext])).to.deep.equal([
      ['GenerateDataKey', 'alias/ecs-exec', context],
      ['Decrypt', 'alias/ecs-exec', context],
    ])
    const stream = frames.map((f) => decodeMessage(f)).filter((m) => m.messageType === MessageType.InputStreamData || m.messageType === MessageType.OutputStreamData)
    const shellBytes = stream.filter((m) => m.payloadType === 1)
    expect(shellBytes.length).to.be.greaterThan(3)
    for (const m of shellBytes) expect(m.payload.toString('latin1')).not.to.match(/secret|marker|echo/)
    expect(srv.agent.events.find((e) => e.type === 'handshake-complete')?.encrypted).to.equal(true)
  })

  it('fails a KMS session it cannot get a data key for, naming --use-plugin, and the agent refuses it', async () => {
    await srv.stop()
    srv = await startAgentServer({kms: {deniedKeys: ['alias/locked']}})
    const kms = kmsForContext({endpoint: srv.endpoint, endpointFromFlag: true, maxAttempts: 1, region: 'eu-west-1', regionSource: 'flag'})
    const {running, terminal} = start({kmsKeyId: 'alias/locked'}, {kms})
    const error = await running.then(
      () => undefined,
      (error_: unknown) => error_ as SessionError,
    )
    expect(error).to.be.instanceOf(SessionError)
    expect(error?.kind).to.equal('kms')
    expect(error?.message).to.match(/KMS/)
    expect(error?.hint).to.contain('--use-plugin')
    expect(terminal.rawEntered).to.equal(0)
    await until(() => srv.agent.events.some((e) => e.type === 'protocol-refused'))
  })

  it('a flood of output arrives whole, in messages of at most 64 KiB, far fewer than the pty reads it came in', async () => {
    const sizes: number[] = []
    const {io, running} = start(
      {command: `head -c 2000000 /dev/zero | tr '\\0' x; echo; echo flood-end`},
      {
        wire: {
          incoming(frame, receive) {
            const message = decodeMessage(frame)
            if (message.messageType === MessageType.OutputStreamData) sizes.push(message.payload.length)
            receive(frame)
          },
        },
      },
    )
    const result = await running
    // stdout here is a PassThrough, whose 'data' events may trail the session's end.
    await io.waitFor(/flood-end/, 3000)
    expect(io.output.match(/x+/)?.[0].length).to.equal(2_000_000)
    expect(Math.max(...sizes)).to.be.at.most(64 * 1024)
    // The pty hands over 4 KiB at most per read: 489 reads or more (about 35 messages here).
    expect(result.stats.delivered).to.be.lessThan(400)
    expect(result.stats.resent + result.stats.duplicates).to.equal(0)
  })

  it('keeps the last output of a command that exits while a slow client holds the agent back', async () => {
    // One message in flight at most, and the client's first acknowledgement (of the handshake)
    // held for 1.5 s. The command starts anyway (after 250 ms without a size). Its first word
    // must wait, so the agent stops reading the pty; 300 ms later the rest (less than the
    // ~12 KiB a pty holds) goes into the pty and the command exits, long before the hold ends
    // and longer ago than node-pty's 200 ms for reading an exited command's rest.
    const slow = await startAgentServer({sendWindow: 1})
    try {
      const session = slow.agent.createSession({command: "printf started; sleep 0.3; head -c 9000 /dev/zero | tr '\\0' x; echo; echo done-marker"})
      const io = new Console()
      const held: Buffer[] = []
      let holding = true
      let exitedWhileHeld = false
      const running = startNativeSession({
        ...session,
        stderr: io.stderr,
        stdin: io.stdin,
        stdout: io.stdout,
        terminal: new FakeTerminal(),
        wire: {
          outgoing(frame, send) {
            if (!holding || decodeMessage(frame).messageType !== MessageType.Acknowledge) {
              send(frame)
              return
            }

            held.push(frame)
            if (held.length > 1) return
            setTimeout(() => {
              exitedWhileHeld = slow.agent.events.some((e) => e.type === 'exit')
              holding = false
              for (const f of held.splice(0)) send(f)
            }, 1500)
          },
        },
      })
      expect((await running).exitCode).to.equal(0)
      await io.waitFor(/done-marker/, 3000)
      expect(io.output).to.match(/^started/)
      expect(io.output.match(/x+/)?.[0].length).to.equal(9000)
      // The case this is about: the command had ended (and node-pty had given up on its
      // output) while the agent was still held back.
      expect(exitedWhileHeld).to.equal(true)
    } finally {
      await slow.stop()
    }
  })

  it('keeps every byte once and in order when frames are dropped, duplicated and reordered both ways', async () => {
    let seed = 7
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      return seed / 2_147_483_648
    }

    const injected = {delayed: 0, dropped: 0, duplicated: 0}
    const chaos = (frame: Buffer, pass: (f: Buffer) => void) => {
      const type = decodeMessage(frame).messageType
      // Only stream data and acknowledgements are at risk, as they are the ones retried.
      if (type !== MessageType.InputStreamData && type !== MessageType.OutputStreamData && type !== MessageType.Acknowledge) {
        pass(frame)
        return
      }

      const r = random()
      if (r < 0.1) {
        injected.dropped++
        return
      }

      if (r < 0.15) {
        injected.duplicated++
        pass(frame)
        pass(frame)
        return
      }

      if (r < 0.25) {
        injected.delayed++
        setTimeout(() => pass(frame), 3)
        return
      }

      pass(frame)
    }

    const {io, running} = start({}, {timing: {granularityMs: 5, initialRtoMs: 50, initialRttMs: 20, maxRtoMs: 100}, wire: {incoming: chaos, outgoing: chaos}})
    await io.waitFor(PROMPT)
    // Keystrokes one message each, so input is at risk too.
    for (const key of 'seq 1 3000; echo done-$((1+1))\r') io.type(key)
    await io.waitFor(/done-2/, 20_000)
    io.type('exit 0\r')
    const result = await running
    const numbers = io.output.match(/^\d+\r$/gm)?.map((line) => Number(line.trim()))
    expect(numbers).to.deep.equal(Array.from({length: 3000}, (_, i) => i + 1))
    expect(injected.dropped).to.be.greaterThan(3)
    expect(injected.duplicated).to.be.greaterThan(1)
    expect(injected.delayed).to.be.greaterThan(3)
    // Every keystroke arrived once: the shell saw exactly the command typed.
    expect(io.output).to.contain('seq 1 3000; echo done-$((1+1))')
    expect(result.stats.resent).to.be.greaterThan(0)
  })

  it('sends TerminateSession when aborted and resolves with 130', async () => {
    const controller = new AbortController()
    const {io, running, terminal} = start({}, {signal: controller.signal})
    await io.waitFor(PROMPT)
    controller.abort()
    expect((await running).exitCode).to.equal(130)
    expect(terminal.raw).to.equal(false)
    await until(() => srv.agent.events.some((e) => e.type === 'terminate-flag'))
  })

  describe('bad input', () => {
    it('a reused token: refused with one clear line', async () => {
      const session = srv.agent.createSession({})
      const first = new Console()
      const running = startNativeSession({...session, stdin: first.stdin, stdout: first.stdout, terminal: null})
      await first.waitFor(PROMPT)
      const second = new Console()
      const terminal = new FakeTerminal()
      const error = await startNativeSession({...session, stdin: second.stdin, stdout: second.stdout, terminal}).catch((error_: unknown) => error_ as SessionError)
      expect(error).to.be.instanceOf(SessionError)
      expect((error as SessionError).message).to.equal('The session was closed before it started: The session token has already been used')
      expect((error as SessionError).hint).to.match(/start a new session/)
      expect(terminal.rawEntered).to.equal(0)
      first.type('exit\r')
      await running
    })

    it('an expired token', async () => {
      const session = srv.agent.createSession({})
      srv.agent.expireToken(session.sessionId)
      const io = new Console()
      const error = await startNativeSession({...session, stdin: io.stdin, stdout: io.stdout, terminal: null}).catch((error_: unknown) => error_ as SessionError)
      expect((error as SessionError).kind).to.equal('refused')
      expect((error as SessionError).message).to.match(/expired/)
    })

    it('a stream URL nothing answers', async () => {
      const closed = createServer()
      await new Promise<void>((resolve) => {
        closed.listen(0, '127.0.0.1', resolve)
      })
      const {port} = closed.address() as AddressInfo
      await new Promise((resolve) => {
        closed.close(resolve)
      })
      const io = new Console()
      const error = await startNativeSession({sessionId: 's', stdin: io.stdin, stdout: io.stdout, streamUrl: `ws://127.0.0.1:${port}/ssm/data-channel/s`, terminal: null, tokenValue: 't'}).catch(
        (error_: unknown) => error_ as SessionError,
      )
      expect((error as SessionError).kind).to.equal('connect')
      expect((error as SessionError).message).to.match(/Could not connect to the session endpoint 127\.0\.0\.1:\d+: ECONNREFUSED/)
    })

    it('a stream URL that accepts the connection and never answers: times out', async () => {
      const silent = createNetServer(() => {})
      await new Promise<void>((resolve) => {
        silent.listen(0, '127.0.0.1', resolve)
      })
      const {port} = silent.address() as AddressInfo
      const io = new Console()
      const error = await startNativeSession({
        connectTimeoutMs: 300,
        sessionId: 's',
        stdin: io.stdin,
        stdout: io.stdout,
        streamUrl: `ws://127.0.0.1:${port}/ssm/data-channel/s`,
        terminal: null,
        tokenValue: 't',
      }).catch((error_: unknown) => error_ as SessionError)
      silent.close()
      expect((error as SessionError).kind).to.equal('connect')
      expect((error as SessionError).message).to.match(/Could not connect to the session endpoint 127\.0\.0\.1:\d+: Opening handshake has timed out/)
    })

    it('an unknown session id: HTTP 404 from the endpoint', async () => {
      const {streamUrl} = srv.agent.createSession({})
      const io = new Console()
      const error = await startNativeSession({
        sessionId: 'x',
        stdin: io.stdin,
        stdout: io.stdout,
        streamUrl: streamUrl.replace(/data-channel\/[^?]+/, 'data-channel/nope'),
        terminal: null,
        tokenValue: 't',
      }).catch((error_: unknown) => error_ as SessionError)
      expect((error as SessionError).message).to.match(/refused the connection \(HTTP 404\)/)
    })

    it('a connection dropped mid-session: lost, terminal restored', async () => {
      const {io, running, session, terminal} = start()
      await io.waitFor(PROMPT)
      srv.agent.dropConnection(session.sessionId)
      const error = await running.catch((error_: unknown) => error_ as SessionError)
      expect((error as SessionError).kind).to.equal('lost')
      expect((error as SessionError).message).to.match(/connection to the session was lost/)
      expect(terminal.raw).to.equal(false)
    })

    it('a plain ws:// URL to a remote host is refused before connecting', async () => {
      const io = new Console()
      const error = await startNativeSession({sessionId: 's', stdin: io.stdin, stdout: io.stdout, streamUrl: 'ws://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s', terminal: null, tokenValue: 't'}).catch(
        (error_: unknown) => error_ as SessionError,
      )
      expect((error as SessionError).kind).to.equal('bad-url')
      expect((error as SessionError).message).to.match(/loopback/)
    })
  })
})

describe('native session: a handshake it cannot honour', () => {
  /** A minimal agent that asks for what it is told to, and records the client's answer. */
  async function fakeAgent(actions: unknown[]) {
    const wss = new WebSocketServer({host: '127.0.0.1', port: 0})
    await new Promise((resolve) => {
      wss.on('listening', resolve)
    })
    const answers: unknown[] = []
    wss.on('connection', (ws) => {
      const stream: DataStream = new DataStream({
        deliver: (m) => answers.push(JSON.parse(m.payload.toString())),
        incomingType: MessageType.InputStreamData,
        outgoingType: MessageType.OutputStreamData,
        transmit: (f) => ws.send(f),
      })
      ws.once('message', () => {
        ws.on('message', (data: Buffer) => stream.receive(data))
        stream.send(PayloadType.HandshakeRequest, jsonPayload({AgentVersion: '3.3.0.0', RequestedClientActions: actions}), 1)
      })
      ws.on('close', () => stream.close())
    })
    const {port} = wss.address() as AddressInfo
    return {answers, stop: () => new Promise((resolve) => {
      for (const c of wss.clients) c.terminate()
      wss.close(resolve)
    }), url: `ws://127.0.0.1:${port}/ssm/data-channel/s`}
  }

  it('a port-forwarding session: refuses it in the handshake and names --use-plugin', async () => {
    const agent = await fakeAgent([{ActionParameters: {Properties: {portNumber: '80'}, SessionType: 'Port'}, ActionType: 'SessionType'}])
    const io = new Console()
    const terminal = new FakeTerminal()
    const error = await startNativeSession({sessionId: 's', stdin: io.stdin, stdout: io.stdout, streamUrl: agent.url, terminal, tokenValue: 't'}).catch((error_: unknown) => error_ as SessionError)
    expect((error as SessionError).kind).to.equal('unsupported')
    expect((error as SessionError).message).to.equal('The agent asked for a "Port" session; taskonaut\'s native client runs shell sessions only.')
    expect((error as SessionError).hint).to.contain('--use-plugin')
    expect(terminal.rawEntered).to.equal(0)
    await until(() => agent.answers.length > 0)
    expect(agent.answers[0]).to.deep.equal({
      ClientVersion: '1.2.694.0',
      ProcessedClientActions: [{ActionType: 'SessionType', ActionStatus: 2, Error: 'Failed to process action SessionType: Unsupported session type Port'}],
      Errors: ['Unsupported session type Port'],
    })
    await agent.stop()
  })

  it('an action it does not know: Unsupported, and --use-plugin', async () => {
    const agent = await fakeAgent([{ActionParameters: {}, ActionType: 'QuantumTunnel'}])
    const io = new Console()
    const error = await startNativeSession({sessionId: 's', stdin: io.stdin, stdout: io.stdout, streamUrl: agent.url, terminal: null, tokenValue: 't'}).catch((error_: unknown) => error_ as SessionError)
    expect((error as SessionError).message).to.match(/QuantumTunnel/)
    expect((error as SessionError).hint).to.contain('--use-plugin')
    await agent.stop()
  })

  it('an agent that never completes the handshake: times out naming --use-plugin', async () => {
    const agent = await fakeAgent([])
    const io = new Console()
    const error = await startNativeSession({handshakeTimeoutMs: 300, sessionId: 's', stdin: io.stdin, stdout: io.stdout, streamUrl: agent.url, terminal: null, tokenValue: 't'}).catch(
      (error_: unknown) => error_ as SessionError,
    )
    expect((error as SessionError).kind).to.equal('handshake')
    expect((error as SessionError).hint).to.contain('--use-plugin')
    await agent.stop()
  })
})
