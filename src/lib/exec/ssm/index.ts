/**
 * taskonaut's native Session Manager client. The exec command calls runNativeSession with the
 * session ExecuteCommand returned; everything below is the protocol it speaks.
 */
export {DataStream, type DataStreamOptions, DEFAULT_TIMING, PLUGIN_TIMING, type RetransmissionTiming} from './data-stream.js'
export {type DataKey, encryptionContext, type KmsDataKeySource, PayloadCipher} from './encryption.js'
export {type ExecuteCommandSession, FORWARDED_SIGNALS, type NativeExecRequest, runNativeExecSession} from './exec-session.js'
export {kmsForContext} from './kms.js'
export {type LocalTerminal, processTerminal} from './local-terminal.js'
export {type ClientMessage, decodeMessage, encodeMessage, MessageType, PayloadType, ProtocolError} from './message.js'
export {SessionError, type SessionFailure, USE_PLUGIN_HINT} from './session-error.js'
export {CLIENT_VERSION, type LiveSession, type NativeSessionOptions, type NativeSessionResult, runNativeSession, startNativeSession} from './session.js'
export {streamUrlProblem} from './stream-url.js'
