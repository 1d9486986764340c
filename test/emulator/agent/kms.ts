/**
 * A stand-in for the two KMS operations a KMS-encrypted session uses: GenerateDataKey (called
 * by the client with the session's credentials) and Decrypt (called by the agent with the data
 * key's ciphertext). It speaks the KMS JSON 1.1 protocol (X-Amz-Target: TrentService.<Op>,
 * blobs as base64) through handle(), which the emulator's HTTP router calls.
 *
 * Ciphertext blobs are real AES-256-GCM under a per-key master key, bound to the encryption
 * context as additional data, so a blob decrypts only under the context it was made with,
 * like real KMS.
 */
import {createCipheriv, createDecipheriv, createHash, randomBytes} from 'node:crypto'
import {AwsError} from '../errors.js'

export interface KmsCall {
  operation: string
  keyId?: string
  encryptionContext?: Record<string, string>
  errorType?: string
}

export interface FakeKmsOptions {
  region?: string
  accountId?: string
  /** Key ids or aliases that exist; default: every key id exists. */
  keys?: string[]
  /** Key ids whose use is denied (AccessDeniedException), for failure tests. */
  deniedKeys?: string[]
}

const MAGIC = Buffer.from('TKMS1')

export class FakeKms {
  readonly calls: KmsCall[] = []
  private readonly secret = randomBytes(32)

  constructor(private readonly options: FakeKmsOptions = {}) {}

  /** The key ARN KMS reports for a key id, alias or ARN. */
  keyArn(keyId: string): string {
    if (keyId.startsWith('arn:')) return keyId
    const region = this.options.region ?? 'eu-west-1'
    const account = this.options.accountId ?? '000000000000'
    return keyId.startsWith('alias/') ? `arn:aws:kms:${region}:${account}:${keyId}` : `arn:aws:kms:${region}:${account}:key/${keyId}`
  }

  generateDataKey(input: {KeyId?: string; NumberOfBytes?: number; KeySpec?: string; EncryptionContext?: Record<string, string>}): {
    CiphertextBlob: Buffer
    Plaintext: Buffer
    KeyId: string
  } {
    const keyId = this.checkKey(input.KeyId, 'GenerateDataKey', input.EncryptionContext)
    const bytes = input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : input.KeySpec === 'AES_256' ? 32 : undefined)
    if (!bytes || bytes < 1 || bytes > 1024) throw this.error('GenerateDataKey', 'ValidationException', 'Specify NumberOfBytes (1-1024) or KeySpec', keyId)
    const plaintext = randomBytes(bytes)
    this.calls.push({encryptionContext: input.EncryptionContext, keyId, operation: 'GenerateDataKey'})
    return {CiphertextBlob: this.seal(keyId, plaintext, input.EncryptionContext), KeyId: this.keyArn(keyId), Plaintext: plaintext}
  }

  decrypt(input: {CiphertextBlob?: Uint8Array; EncryptionContext?: Record<string, string>; KeyId?: string}): {
    Plaintext: Buffer
    KeyId: string
    EncryptionAlgorithm: string
  } {
    const blob = Buffer.from(input.CiphertextBlob ?? [])
    const opened = this.open(blob, input.EncryptionContext)
    if (!opened) throw this.error('Decrypt', 'InvalidCiphertextException', 'The ciphertext is invalid or was made under another encryption context', input.KeyId)
    this.checkKey(opened.keyId, 'Decrypt', input.EncryptionContext)
    if (input.KeyId && this.keyArn(input.KeyId) !== this.keyArn(opened.keyId)) {
      throw this.error('Decrypt', 'IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext', input.KeyId)
    }

    this.calls.push({encryptionContext: input.EncryptionContext, keyId: opened.keyId, operation: 'Decrypt'})
    return {EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyId: this.keyArn(opened.keyId), Plaintext: opened.plaintext}
  }

  /**
   * One KMS JSON 1.1 request: the operation from X-Amz-Target (after "TrentService.") and the
   * parsed body. Returns the HTTP status and JSON body to send (errors as {__type, message}).
   */
  handle(operation: string, body: Record<string, unknown>): {status: number; body: Record<string, unknown>} {
    try {
      switch (operation) {
        case 'GenerateDataKey': {
          const out = this.generateDataKey({
            EncryptionContext: body.EncryptionContext as Record<string, string> | undefined,
            KeyId: body.KeyId as string | undefined,
            KeySpec: body.KeySpec as string | undefined,
            NumberOfBytes: body.NumberOfBytes as number | undefined,
          })
          return {body: {CiphertextBlob: out.CiphertextBlob.toString('base64'), KeyId: out.KeyId, Plaintext: out.Plaintext.toString('base64')}, status: 200}
        }

        case 'Decrypt': {
          const out = this.decrypt({
            CiphertextBlob: typeof body.CiphertextBlob === 'string' ? Buffer.from(body.CiphertextBlob, 'base64') : undefined,
            EncryptionContext: body.EncryptionContext as Record<string, string> | undefined,
            KeyId: body.KeyId as string | undefined,
          })
          return {body: {EncryptionAlgorithm: out.EncryptionAlgorithm, KeyId: out.KeyId, Plaintext: out.Plaintext.toString('base64')}, status: 200}
        }

        default: {
          throw new AwsError('UnknownOperationException', `KMS operation ${operation} is not emulated`)
        }
      }
    } catch (error) {
      if (error instanceof AwsError) return {body: {__type: error.type, message: error.message}, status: error.status}
      throw error
    }
  }

  private checkKey(keyId: string | undefined, operation: string, context?: Record<string, string>): string {
    if (!keyId) throw this.error(operation, 'ValidationException', 'KeyId is required', keyId, context)
    const {deniedKeys, keys} = this.options
    if (keys && !keys.some((k) => this.keyArn(k) === this.keyArn(keyId))) {
      throw this.error(operation, 'NotFoundException', `Key '${this.keyArn(keyId)}' does not exist`, keyId, context)
    }

    if (deniedKeys?.some((k) => this.keyArn(k) === this.keyArn(keyId))) {
      throw this.error(operation, 'AccessDeniedException', `User is not authorized to perform: kms:${operation} on resource: ${this.keyArn(keyId)}`, keyId, context)
    }

    return keyId
  }

  private error(operation: string, type: string, message: string, keyId?: string, context?: Record<string, string>): AwsError {
    this.calls.push({encryptionContext: context, errorType: type, keyId, operation})
    return new AwsError(type, message)
  }

  private masterKey(keyId: string): Buffer {
    return createHash('sha256').update(this.secret).update(this.keyArn(keyId)).digest()
  }

  private seal(keyId: string, plaintext: Buffer, context: Record<string, string> = {}): Buffer {
    const nonce = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.masterKey(keyId), nonce)
    cipher.setAAD(canonicalContext(context))
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
    const id = Buffer.from(keyId, 'utf8')
    const idLength = Buffer.alloc(2)
    idLength.writeUInt16BE(id.length)
    return Buffer.concat([MAGIC, idLength, id, nonce, body, cipher.getAuthTag()])
  }

  private open(blob: Buffer, context: Record<string, string> = {}): {keyId: string; plaintext: Buffer} | undefined {
    try {
      if (!blob.subarray(0, MAGIC.length).equals(MAGIC)) return undefined
      let offset = MAGIC.length
      const idLength = blob.readUInt16BE(offset)
      offset += 2
      const keyId = blob.subarray(offset, offset + idLength).toString('utf8')
      offset += idLength
      const nonce = blob.subarray(offset, offset + 12)
      offset += 12
      const decipher = createDecipheriv('aes-256-gcm', this.masterKey(keyId), nonce)
      decipher.setAAD(canonicalContext(context))
      decipher.setAuthTag(blob.subarray(blob.length - 16))
      const plaintext = Buffer.concat([decipher.update(blob.subarray(offset, blob.length - 16)), decipher.final()])
      return {keyId, plaintext}
    } catch {
      return undefined
    }
  }
}

function canonicalContext(context: Record<string, string>): Buffer {
  const sorted = Object.keys(context)
    .sort()
    .map((key) => [key, context[key]])
  return Buffer.from(JSON.stringify(sorted), 'utf8')
}
