// Starts dynalite (the DynamoDB emulator) for the local runtime and the tests.
// Usage: node dynalite-server.js [--port N] [--path DIR]
// Prints one JSON line {"port": N} once it listens. Port 0 picks a free port (dynalite's own CLI
// turns 0 into 4567). Exits when stdin closes, so it never outlives the Java process that started it.
'use strict'
const dynalite = require('dynalite')
const transactions = require('./transactions')

const args = process.argv.slice(2)
function option (name) {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const port = Number(option('--port') || 0)
const path = option('--path') // undefined keeps the data in memory

const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
transactions.install(server) // TransactWriteItems, which dynalite lacks
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n')
})
server.on('error', (err) => {
  process.stderr.write('dynalite: ' + err.message + '\n')
  process.exit(1)
})

// dynalite throws from a request whose client went away mid-body (it gave up waiting): DynamoDB just drops
// such a request, and so does this emulator. Anything else still ends the process.
process.on('uncaughtException', (err) => {
  if (err && (err.code === 'ECONNRESET' || err.message === 'aborted')) return
  process.stderr.write('dynalite: ' + (err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
})

let stopping = false
function stop () {
  if (stopping) return
  stopping = true
  // Closing flushes the LevelDB store; a hard deadline keeps shutdown bounded.
  setTimeout(() => process.exit(0), 3000).unref()
  server.close(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
