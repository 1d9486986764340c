import type {Params} from '../params.js'
import type {Account} from '../state/account.js'

/** What an operation handler gets: the account, the request members, the simulated time. */
export interface OpContext {
  account: Account
  params: Params
  now: number
  /** ws://127.0.0.1:PORT, for ExecuteCommand's streamUrl. */
  wsBase: string
}

export type Operation = (ctx: OpContext) => unknown
