/** The emulator's Session Manager agent: what the emulator mounts (see README in this folder). */
export {type Agent, type AgentOptions, type AgentSession, type AgentSessionSpec, attachAgent, DATA_CHANNEL_PATH} from './agent.js'
export {agentAwsCall, type AwsJsonAnswer} from './aws-json.js'
export {AGENT_VERSION, type AgentEvent} from './connection.js'
export {FakeKms, type FakeKmsOptions} from './kms.js'
export {type AgentServer, startAgentServer} from './server.js'
