import {AwsError} from '../errors.js'
import {optString} from '../params.js'
import type {Operation} from './context.js'

/** The one SSM call the exec flow makes outside the data channel. */
export const ssmOperations: Record<string, Operation> = {
  TerminateSession({account, params}) {
    const id = optString(params, 'SessionId')
    if (!id) throw new AwsError('ValidationException', 'SessionId must not be blank.')
    const session = account.sessions.get(id)
    if (session) session.terminated = true
    return {SessionId: id}
  },
}
