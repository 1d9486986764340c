import type {ECSClient} from '@aws-sdk/client-ecs'
import pRetry from 'p-retry'

import {AbortedError, type EcsBuckets} from './buckets.js'

export interface PacingOptions {
  buckets: EcsBuckets
  /** Once aborted, no new call (nor retry) starts; calls in flight are left to finish. */
  signal?: AbortSignal
  /** Retries per call on throttling and transient errors. */
  retries?: number
  /** Called on each ThrottlingException (for the bench and for tests). */
  onThrottle?: (operation: string) => void
}

export function isThrottle(error: unknown): boolean {
  const e = error as {name?: string; message?: string}
  return e?.name === 'ThrottlingException' || e?.name === 'TooManyRequestsException' || /Rate exceeded/i.test(e?.message ?? '')
}

/** Errors worth another attempt: throttling, server faults, dropped connections. */
export function isTransient(error: unknown): boolean {
  if (isThrottle(error)) return true
  const e = error as {$fault?: string; $metadata?: {httpStatusCode?: number}; code?: string; name?: string}
  if (e?.$fault === 'server' || (e?.$metadata?.httpStatusCode ?? 0) >= 500) return true
  return ['ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(e?.code ?? '') || e?.name === 'TimeoutError'
}

export function operationName(command: object): string {
  return command.constructor.name.replace(/Command$/, '')
}

/**
 * An ECS client whose every call first takes a token from the bucket of its ECS throttling
 * category, and is retried with exponential backoff and full jitter (p-retry) on throttling
 * and transient errors.
 *
 * Give it a client built with maxAttempts 1 and retryMode standard, so this is the only retry
 * layer. Why not keep the SDK's own retries underneath: a throttled call retried inside the
 * SDK would spend a second token outside our bucket's accounting; the SDK's adaptive mode
 * also runs its own client-side rate limiter that, after a throttle, cuts the send rate and
 * recovers slowly (cubic), holding the pipeline well under the documented refill rate; and
 * 8 SDK attempts inside 10 p-retry attempts would multiply into 80 calls for one revision.
 * One layer that knows the buckets keeps the pace at the documented rate: on a throttle it
 * empties our bucket (ECS's is empty too), so the retry waits for the next real token.
 */
export function pacedEcs(client: ECSClient, opts: PacingOptions): ECSClient {
  const {buckets, retries = 10, signal} = opts
  const scale = buckets.timeScale
  const send = (command: object, options?: {abortSignal?: AbortSignal}) => {
    const operation = operationName(command)
    const bucket = buckets.forOperation(operation)
    // The call's own signal (a usage scan that has failed) stops its wait for a token and its
    // retries too, not only the SDK call: else the scan's end waits on calls it no longer wants.
    const callSignal = options?.abortSignal
    const stopped = () => Boolean(signal?.aborted || callSignal?.aborted)
    return pRetry(
      async () => {
        if (stopped()) throw new AbortedError()
        await bucket?.take(callSignal ?? signal)
        if (stopped()) throw new AbortedError()
        // The pacing signal (Ctrl-C) is not the SDK's: a call that has started is left to finish, so its result is known.
        try {
          return await (client.send as (c: object, o?: object) => Promise<unknown>)(command, options)
        } finally {
          bucket?.responded()
        }
      },
      {
        factor: 2,
        maxTimeout: 20_000 / scale,
        minTimeout: 100 / scale,
        onFailedAttempt({error}) {
          if (isThrottle(error)) {
            bucket?.drain()
            opts.onThrottle?.(operation)
          }
        },
        randomize: true,
        retries,
        shouldRetry: ({error}) => !(error instanceof AbortedError) && !stopped() && isTransient(error),
        signal: callSignal,
      },
    )
  }

  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'send') return send
      return Reflect.get(target, prop, receiver)
    },
  })
}
