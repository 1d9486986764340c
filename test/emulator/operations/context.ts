import type {Params} from '../params.js'
import type {Account} from '../state/account.js'

/** What an operation handler gets: the account, the request members, the simulated time. */
export interface OpContext {
  account: Account
  params: Params
  now: number
  /** ws://127.0.0.1:PORT, for ExecuteCommand's streamUrl. */
  wsBase: string
  /** When set (e.g. the Session Manager agent is attached), ExecuteCommand gets its session here. */
  sessionFactory?: SessionFactory
}

export interface SessionRequest {
  sessionId: string
  command: string
  /** `ecs:<cluster>_<taskId>_<runtimeId>` */
  target: string
  clusterName: string
  taskArn: string
  containerName: string
  /** The cluster's executeCommandConfiguration.kmsKeyId: the session must be KMS-encrypted with it. */
  kmsKeyId?: string
}

export type SessionFactory = (request: SessionRequest) => {sessionId: string; streamUrl: string; tokenValue: string}

export type Operation = (ctx: OpContext) => unknown
