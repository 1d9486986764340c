import type {ECSClient} from '@aws-sdk/client-ecs'
import pLimit from 'p-limit'

import {AbortedError} from '../ecs/buckets.js'
import type {Work} from './plan.js'

export type Phase = 'deregister' | 'delete'

export interface Failure {
  arn: string
  phase: Phase
  /** Short reason: the AWS error name or DeleteTaskDefinitions' failure reason. */
  reason: string
  /** The error message or DeleteTaskDefinitions' failure detail; null when ECS gave none (the key is always there, for --json). */
  detail: string | null
}

export interface PhaseProgress {
  phase: Phase
  done: number
  failed: number
  total: number
}

export interface ExecuteResult {
  deregistered: string[]
  deleted: string[]
  failures: Failure[]
  /** Not attempted because of Ctrl-C (or because their deregistration failed, for deletes). */
  notDone: {deregister: string[]; delete: string[]}
  cancelled: boolean
  elapsedMs: number
}

export interface ExecuteOptions {
  signal?: AbortSignal
  /** Called with both phases' totals before executePrune first awaits, then on every change. */
  onProgress?: (progress: PhaseProgress) => void
  /** Deregister calls in flight at once (the bucket sets the pace; this only covers latency). */
  concurrency?: number
}

/** The API maximum for DeleteTaskDefinitions. */
export const DELETE_BATCH = 10

function failureOf(arn: string, phase: Phase, error: unknown): Failure {
  const e = error as {name?: string; message?: string}
  return {arn, detail: e?.message || null, phase, reason: e?.name ?? 'Error'}
}

/**
 * Runs the work on a paced client (see paced-client.ts): phase 1 deregisters ACTIVE revisions,
 * phase 2 deletes INACTIVE ones ten at a time. The phases overlap: a delete batch goes out as
 * soon as ten revisions are INACTIVE (already, or just deregistered), so the run takes about
 * as long as the slower of the two throttling budgets, not their sum.
 *
 * A revision that fails is recorded with its reason and the rest go on. Once `signal` aborts,
 * no new call starts, calls in flight finish, and what was not attempted is listed in `notDone`
 * (running the same prune again finishes the job).
 */
export async function executePrune(ecs: ECSClient, work: Work, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
  const started = performance.now()
  const {signal} = opts
  const result: ExecuteResult = {
    cancelled: false,
    deleted: [],
    deregistered: [],
    elapsedMs: 0,
    failures: [],
    notDone: {delete: [], deregister: []},
  }
  const dereg: PhaseProgress = {done: 0, failed: 0, phase: 'deregister', total: work.deregister.length}
  const del: PhaseProgress = {done: 0, failed: 0, phase: 'delete', total: work.delete.length + work.deleteAfterDeregister.size}
  // Both totals are reported before the first await: withProgress draws one line per phase
  // that has work, and decides which phases those are as soon as this call returns.
  opts.onProgress?.({...dereg})
  opts.onProgress?.({...del})
  const {DeleteTaskDefinitionsCommand, DeregisterTaskDefinitionCommand} = await import('@aws-sdk/client-ecs')

  // Revisions ready to delete; deregistration feeds it while the delete workers drain it.
  const queue = [...work.delete]
  let deregistering = true
  let wake: (() => void) | undefined
  const notify = () => {
    wake?.()
    wake = undefined
  }

  signal?.addEventListener('abort', notify, {once: true})

  const deregisterPhase = async () => {
    const limit = pLimit(opts.concurrency ?? 10)
    await Promise.all(
      work.deregister.map((arn) =>
        limit(async () => {
          if (signal?.aborted) {
            result.notDone.deregister.push(arn)
            return
          }

          try {
            await ecs.send(new DeregisterTaskDefinitionCommand({taskDefinition: arn}))
            result.deregistered.push(arn)
            dereg.done++
            if (work.deleteAfterDeregister.has(arn)) {
              queue.push(arn)
              if (queue.length >= DELETE_BATCH) notify()
            }
          } catch (error) {
            if (error instanceof AbortedError) {
              result.notDone.deregister.push(arn)
              return
            }

            result.failures.push(failureOf(arn, 'deregister', error))
            dereg.failed++
            // Still ACTIVE: it cannot be deleted, so its delete is not attempted.
            if (work.deleteAfterDeregister.has(arn)) del.total--
          }

          opts.onProgress?.({...dereg})
        }),
      ),
    )
    deregistering = false
    notify()
  }

  const deleteBatch = async (batch: string[]) => {
    try {
      const out = await ecs.send(new DeleteTaskDefinitionsCommand({taskDefinitions: batch}))
      const failed = new Set<string>()
      for (const f of out.failures ?? []) {
        const arn = f.arn ?? ''
        failed.add(arn)
        result.failures.push({arn, detail: f.detail || null, phase: 'delete', reason: f.reason ?? 'FAILED'})
      }

      for (const arn of batch) {
        if (failed.has(arn)) del.failed++
        else {
          result.deleted.push(arn)
          del.done++
        }
      }
    } catch (error) {
      if (error instanceof AbortedError) {
        result.notDone.delete.push(...batch)
        return
      }

      for (const arn of batch) result.failures.push(failureOf(arn, 'delete', error))
      del.failed += batch.length
    }

    opts.onProgress?.({...del})
  }

  const deleteWorker = async () => {
    for (;;) {
      if (signal?.aborted) return
      if (queue.length >= DELETE_BATCH || (!deregistering && queue.length > 0)) {
        await deleteBatch(queue.splice(0, DELETE_BATCH))
        continue
      }

      if (!deregistering) return
      await new Promise<void>((resolve) => {
        const previous = wake
        wake = () => {
          previous?.()
          resolve()
        }
      })
    }
  }

  // Two delete workers: one can wait for its token while the other's call is in flight.
  await Promise.all([deregisterPhase(), deleteWorker(), deleteWorker()])
  signal?.removeEventListener('abort', notify)
  result.cancelled = Boolean(signal?.aborted)
  result.notDone.delete.push(...queue)
  // Deregistrations not attempted would have been deleted after: list them as not deleted either.
  for (const arn of result.notDone.deregister) if (work.deleteAfterDeregister.has(arn)) result.notDone.delete.push(arn)
  result.elapsedMs = performance.now() - started
  return result
}

/** 0 all done, 3 some failed, 1 nothing succeeded; Ctrl-C is the caller's (130). */
export function exitCodeOf(result: ExecuteResult): 0 | 1 | 3 {
  if (result.failures.length === 0) return 0
  return result.deregistered.length + result.deleted.length > 0 ? 3 : 1
}
