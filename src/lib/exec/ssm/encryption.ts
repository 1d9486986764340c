/**
 * The per-message encryption of a KMS-encrypted session (the plugin's src/encryption).
 *
 * The client asks KMS for a 64-byte data key under the session's key id, with the encryption
 * context {aws:ssm:SessionId, aws:ssm:TargetId}, and hands the agent the ciphertext blob. The
 * first half of the plaintext key is the agent's sending key (so the client decrypts with it),
 * the second half the client's sending key. Each payload is AES-256-GCM with a random 12-byte
 * nonce, sent as nonce || ciphertext || tag, no additional data.
 */
import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto'

export const DATA_KEY_BYTES = 64
const NONCE_BYTES = 12
const TAG_BYTES = 16
/** What encrypt() adds to a payload: the nonce before it, the tag after it. */
export const SEALED_OVERHEAD_BYTES = NONCE_BYTES + TAG_BYTES

export interface DataKey {
  ciphertext: Buffer
  plaintext: Buffer
}

/** What the client needs from KMS; the default talks to AWS (kms.ts), tests pass their own. */
export interface KmsDataKeySource {
  generateDataKey(keyId: string, encryptionContext: Record<string, string>): Promise<DataKey>
}

export function encryptionContext(sessionId: string, targetId: string): Record<string, string> {
  return {'aws:ssm:SessionId': sessionId, 'aws:ssm:TargetId': targetId}
}

export class PayloadCipher {
  private constructor(
    private readonly sendKey: Buffer,
    private readonly receiveKey: Buffer,
  ) {}

  static forClient(dataKey: Uint8Array): PayloadCipher {
    const [agentKey, clientKey] = split(dataKey)
    return new PayloadCipher(clientKey, agentKey)
  }

  static forAgent(dataKey: Uint8Array): PayloadCipher {
    const [agentKey, clientKey] = split(dataKey)
    return new PayloadCipher(agentKey, clientKey)
  }

  encrypt(plain: Uint8Array): Buffer {
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv(algorithm(this.sendKey), this.sendKey, nonce)
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    return Buffer.concat([nonce, body, cipher.getAuthTag()])
  }

  decrypt(sealed: Uint8Array): Buffer {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error('Encrypted payload too short')
    const nonce = sealed.subarray(0, NONCE_BYTES)
    const tag = sealed.subarray(sealed.length - TAG_BYTES)
    const decipher = createDecipheriv(algorithm(this.receiveKey), this.receiveKey, nonce)
    decipher.setAuthTag(tag)
    try {
      return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()])
    } catch {
      throw new Error('Encrypted payload failed authentication (wrong key or tampered data)')
    }
  }
}

function split(dataKey: Uint8Array): [Buffer, Buffer] {
  if (dataKey.length === 0 || dataKey.length % 2 !== 0 || ![32, 48, 64].includes(dataKey.length)) {
    throw new Error(`A session data key must be 32, 48 or 64 bytes, got ${dataKey.length}`)
  }

  const half = dataKey.length / 2
  return [Buffer.from(dataKey.subarray(0, half)), Buffer.from(dataKey.subarray(half))]
}

function algorithm(key: Buffer): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  if (key.length === 16) return 'aes-128-gcm'
  if (key.length === 24) return 'aes-192-gcm'
  return 'aes-256-gcm'
}
