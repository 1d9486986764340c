import {ECSClient} from '@aws-sdk/client-ecs'
import {EventBridgeClient} from '@aws-sdk/client-eventbridge'
import {STSClient} from '@aws-sdk/client-sts'

import type {Emulator} from './index.js'

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
