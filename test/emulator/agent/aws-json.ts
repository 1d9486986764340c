/**
 * The mounting hook for the emulator's HTTP router: answers the AWS JSON calls that belong to
 * the agent side, KMS (X-Amz-Target TrentService.<Op>) and SSM (AmazonSSM.<Op>, the
 * TerminateSession a session-manager-plugin sends when a session ends).
 *
 *   const answer = agentAwsCall(target, body, {agent, kms})
 *   if (answer) { res.writeHead(answer.status, {'content-type': 'application/x-amz-json-1.1'}); res.end(JSON.stringify(answer.body)) }
 */
import type {Agent} from './agent.js'
import type {FakeKms} from './kms.js'

export interface AwsJsonAnswer {
  service: 'kms' | 'ssm'
  operation: string
  status: number
  body: Record<string, unknown>
}

export function agentAwsCall(target: string, body: Record<string, unknown>, {agent, kms}: {agent?: Agent; kms?: FakeKms}): AwsJsonAnswer | undefined {
  const [prefix, operation = ''] = target.split('.')
  if (prefix === 'TrentService' && kms) return {operation, service: 'kms', ...kms.handle(operation, body)}
  if (prefix === 'AmazonSSM' && agent) {
    const answer = agent.handleSsm(operation, body)
    if (answer) return {operation, service: 'ssm', ...answer}
  }

  return undefined
}
