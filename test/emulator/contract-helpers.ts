import {ECSClient} from '@aws-sdk/client-ecs'
import {EventBridgeClient} from '@aws-sdk/client-eventbridge'
import {STSClient} from '@aws-sdk/client-sts'

import {type Emulator, type EmulatorOptions, startEmulator} from './index.js'

/** SDK clients pointed at the emulator; one attempt, so errors surface as they are. */
export function clients(em: Emulator, maxAttempts = 1) {
  const config = {
    credentials: {accessKeyId: 'AKIDTEST', secretAccessKey: 'secret'},
    endpoint: em.endpoint,
    maxAttempts,
    region: 'eu-west-1',
  }
  return {ecs: new ECSClient(config), events: new EventBridgeClient(config), sts: new STSClient(config)}
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function failure(p: Promise<unknown>): Promise<Error & {name: string; $metadata?: {httpStatusCode?: number}}> {
  try {
    await p
  } catch (error) {
    return error as Error & {name: string}
  }

  throw new Error('expected the call to fail')
}

/** One container definition, enough for RegisterTaskDefinition. */
export const container = (name = 'app', image = 'nginx:1') => ({essential: true, image, memory: 128, name})

/** Runs `fn` against an emulator of its own, which is stopped afterwards whatever happens. */
export async function withEmulator<T>(options: EmulatorOptions, fn: (em: Emulator) => Promise<T>): Promise<T> {
  const em = await startEmulator(options)
  try {
    return await fn(em)
  } finally {
    await em.stop()
  }
}

/**
 * A JSON 1.1 request as given, for what the SDK would not send (malformed or mistyped
 * bodies) or has no client for here: the HTTP status and the parsed answer.
 */
export async function rawCall(em: Emulator, target: string | undefined, body: string): Promise<{json: {__type?: string; message?: string; [member: string]: unknown}; status: number}> {
  const headers: Record<string, string> = {'content-type': 'application/x-amz-json-1.1'}
  if (target) headers['x-amz-target'] = target
  const res = await fetch(em.endpoint, {body, headers, method: 'POST'})
  return {json: (await res.json()) as {__type?: string; message?: string}, status: res.status}
}
