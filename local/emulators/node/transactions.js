// TransactWriteItems for dynalite, which lacks it.
//
// Writes are serialised: every write request (PutItem, UpdateItem, DeleteItem, BatchWriteItem and
// TransactWriteItems) waits for the one before it to finish. A transaction then reads each item's state
// and applies its items through dynalite's own operations, side by side (so conditions and updates are
// evaluated exactly as dynalite evaluates them); when any item fails, the ones applied are put back and the
// client gets TransactionCanceledException with a reason per item (ConditionalCheckFailed for each failed
// condition), as DynamoDB answers. Readers may see a transaction half-applied for a moment (DynamoDB
// would not); writers never do.
// Not emulated: ClientRequestToken idempotency, and TransactionConflict (writes here never overlap).
// ConditionCheck items are not supported (the project does not use them) and are refused.
'use strict'
const http = require('http')

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'])
const INTERNAL = 'x-trueftp-internal'
const MAX_ITEMS = 100

function install (server) {
  const dynaliteHandlers = server.listeners('request').slice()
  server.removeAllListeners('request')
  const passThrough = (req, res) => dynaliteHandlers.forEach((handler) => handler.call(server, req, res))
  const keySchemas = new Map()
  let queue = Promise.resolve()

  // Runs work(release) after every earlier write has released. release() may be called more than once;
  // a write whose client went away while it waited is skipped, and none holds the queue past a deadline.
  function serialised (work) {
    queue = queue.then(() => new Promise((resolve) => {
      let released = false
      const release = () => {
        if (!released) {
          released = true
          clearTimeout(deadline)
          resolve()
        }
      }
      const deadline = setTimeout(release, 30000)
      work(release)
    }))
  }

  server.on('request', (req, res) => {
    const operation = String(req.headers['x-amz-target'] || '').split('.')[1]
    if (req.headers[INTERNAL] || !WRITES.has(operation)) return passThrough(req, res)
    // The request body stays unread (paused) until its turn comes.
    serialised((release) => {
      if (res.destroyed || req.destroyed) return release() // the client gave up while this write waited
      if (operation === 'TransactWriteItems') {
        // Released when the transaction has settled (applied or undone), whatever the client does.
        return readBody(req).then((body) => transact(body, req.headers, server.address().port, keySchemas))
          .then((answer) => send(res, answer.status, answer.body))
          .catch((err) => send(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(err) }))
          .finally(release)
      }
      res.on('finish', release)
      res.on('close', release)
      passThrough(req, res)
    })
  })
}

async function transact (text, headers, port, keySchemas) {
  let request
  try {
    request = JSON.parse(text)
  } catch (e) {
    return validation('The request body is not valid JSON')
  }
  const items = request.TransactItems
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_ITEMS) {
    return validation('TransactItems must hold 1 to ' + MAX_ITEMS + ' items')
  }
  const call = (operation, body) => internalCall(port, headers, operation, body)
  const planned = []
  const seen = new Set()
  for (const item of items) {
    const kinds = Object.keys(item || {})
    if (kinds.length !== 1 || !['Put', 'Update', 'Delete'].includes(kinds[0])) {
      return validation('each transact item needs exactly one of Put, Update or Delete (the emulator has no ConditionCheck)')
    }
    const kind = kinds[0]
    const op = item[kind]
    const key = kind === 'Put' ? await keyOf(call, keySchemas, op.TableName, op.Item) : op.Key
    if (key.error) return key.error
    const id = op.TableName + '/' + JSON.stringify(Object.keys(key).sort().map((k) => [k, key[k]]))
    if (seen.has(id)) {
      return validation('Transaction request cannot include multiple operations on one item')
    }
    seen.add(id)
    planned.push({ kind, op, key })
  }

  // Every item's state before, then every write, side by side: the items are distinct, and no other write
  // runs meanwhile (the transaction holds the write queue).
  const befores = await Promise.all(planned.map(({ kind, op, key }) => createsOnly(kind, op, key)
    ? { status: 200, body: {} } // applied only where no item was: undone by deleting it
    : call('GetItem', { TableName: op.TableName, Key: key, ConsistentRead: true })))
  const unread = befores.find((before) => before.status !== 200)
  if (unread) return unread
  const results = await Promise.all(planned.map(({ kind, op, key }) => {
    const common = {
      TableName: op.TableName,
      ConditionExpression: op.ConditionExpression,
      ExpressionAttributeNames: op.ExpressionAttributeNames,
      ExpressionAttributeValues: op.ExpressionAttributeValues
    }
    return kind === 'Put' ? call('PutItem', Object.assign({ Item: op.Item }, common))
      : kind === 'Update' ? call('UpdateItem', Object.assign({ Key: key, UpdateExpression: op.UpdateExpression }, common))
        : call('DeleteItem', Object.assign({ Key: key }, common))
  }))
  if (results.every((result) => result.status === 200)) return { status: 200, body: {} }
  const applied = []
  results.forEach((result, i) => {
    if (result.status === 200) applied.push({ table: planned[i].op.TableName, key: planned[i].key, before: befores[i].body.Item })
  })
  await undo(call, applied)
  const failedConditions = results.map((result) => result.status !== 200 &&
    String(result.body.__type).endsWith('ConditionalCheckFailedException'))
  const otherFailure = results.find((result, i) => result.status !== 200 && !failedConditions[i])
  return otherFailure || cancelled(failedConditions)
}

// A Put on the condition that its item does not exist yet (attribute_not_exists of a key attribute).
function createsOnly (kind, op, key) {
  const match = kind === 'Put' && /^\s*attribute_not_exists\(\s*(#?\w+)\s*\)\s*$/.exec(op.ConditionExpression || '')
  if (!match) return false
  const name = match[1].startsWith('#') ? (op.ExpressionAttributeNames || {})[match[1]] : match[1]
  return Object.prototype.hasOwnProperty.call(key, name)
}

// Puts back what a transaction applied.
async function undo (call, applied) {
  await Promise.all(applied.map(({ table, key, before }) => before
    ? call('PutItem', { TableName: table, Item: before })
    : call('DeleteItem', { TableName: table, Key: key })))
}

// DynamoDB's answer when conditions failed: a reason per item, in order.
function cancelled (failedConditions) {
  const reasons = failedConditions.map((failed) => failed
    ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }
    : { Code: 'None' })
  return {
    status: 400,
    body: {
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [' +
        reasons.map((r) => r.Code).join(', ') + ']',
      CancellationReasons: reasons
    }
  }
}

async function keyOf (call, keySchemas, table, item) {
  if (!keySchemas.has(table)) {
    const described = await call('DescribeTable', { TableName: table })
    if (described.status !== 200) return { error: described }
    keySchemas.set(table, described.body.Table.KeySchema.map((k) => k.AttributeName))
  }
  const key = {}
  for (const name of keySchemas.get(table)) {
    if (!item || !item[name]) return { error: validation('One of the required keys was not given a value') }
    key[name] = item[name]
  }
  return key
}

function validation (message) {
  return { status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', message } }
}

// One dynalite operation, sent to this same server past the write queue (the transaction holds it).
function internalCall (port, headers, operation, body) {
  const payload = JSON.stringify(body)
  const outgoing = Object.assign({}, headers, {
    'x-amz-target': 'DynamoDB_20120810.' + operation,
    'content-length': Buffer.byteLength(payload),
    [INTERNAL]: '1'
  })
  delete outgoing['content-encoding']
  delete outgoing['transfer-encoding']
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: outgoing }, (res) => {
      readBody(res).then((text) => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : {} }), reject)
    })
    req.on('error', reject)
    req.end(payload)
  })
}

function readBody (stream) {
  return new Promise((resolve, reject) => {
    const chunks = []
    stream.on('data', (c) => chunks.push(c))
    stream.on('end', () => resolve(Buffer.concat(chunks).toString()))
    stream.on('error', reject)
  })
}

function send (res, status, body) {
  if (res.destroyed) return // the client gave up; the outcome stands
  const text = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/x-amz-json-1.0')
  res.setHeader('Content-Length', Buffer.byteLength(text))
  res.end(text)
}

module.exports = { install }
