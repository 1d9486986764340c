/**
 * The agent on a small HTTP server of its own, with KMS and SSM answered too: for the agent's
 * tests and the exec-session benchmark, and a working example of how the emulator mounts it.
 */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {type Agent, type AgentOptions, attachAgent} from './agent.js'
import {agentAwsCall} from './aws-json.js'
import {FakeKms, type FakeKmsOptions} from './kms.js'

export interface AgentServer {
  server: Server
  agent: Agent
  kms: FakeKms
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL (KMS, SSM). */
  endpoint: string
  stop(): Promise<void>
}

export async function startAgentServer(options: Omit<AgentOptions, 'kms'> & {kms?: FakeKmsOptions} = {}): Promise<AgentServer> {
  const kms = new FakeKms(options.kms)
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      let body: Record<string, unknown>
      try {
        body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {}
      } catch {
        body = {}
      }

      const target = String(request.headers['x-amz-target'] ?? '')
      const answer = agentAwsCall(target, body, {agent, kms})
      const status = answer?.status ?? 400
      const payload = answer?.body ?? {__type: 'UnknownOperationException', message: `Not emulated here: ${target}`}
      response.writeHead(status, {'content-type': 'application/x-amz-json-1.1'})
      response.end(JSON.stringify(payload))
    })
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const agent = attachAgent(server, {...options, kms})
  const {port} = server.address() as AddressInfo
  return {
    agent,
    endpoint: `http://127.0.0.1:${port}`,
    kms,
    server,
    async stop() {
      await agent.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
      })
    },
  }
}
