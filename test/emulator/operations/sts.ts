import type {Account} from '../state/account.js'

/** STS speaks the AWS Query protocol: a form-encoded request and an XML answer. */
export function stsAnswer(account: Account, form: URLSearchParams, requestId: string): {status: number; body: string} {
  const action = form.get('Action')
  if (action === 'GetCallerIdentity') {
    return {
      body:
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n' +
        '  <GetCallerIdentityResult>\n' +
        `    <Arn>${account.callerArn}</Arn>\n` +
        `    <UserId>${account.callerUserId}</UserId>\n` +
        `    <Account>${account.accountId}</Account>\n` +
        '  </GetCallerIdentityResult>\n' +
        '  <ResponseMetadata>\n' +
        `    <RequestId>${requestId}</RequestId>\n` +
        '  </ResponseMetadata>\n' +
        '</GetCallerIdentityResponse>\n',
      status: 200,
    }
  }

  return stsError('InvalidAction', `Could not find operation ${action ?? ''} for version ${form.get('Version') ?? ''}`, requestId)
}

export function stsError(code: string, message: string, requestId: string, status = 400): {status: number; body: string} {
  const escaped = message.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
  return {
    body:
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n' +
      `  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${escaped}</Message>\n  </Error>\n` +
      `  <RequestId>${requestId}</RequestId>\n` +
      '</ErrorResponse>\n',
    status,
  }
}
