import { createClient, ErrorReply, MultiErrorReply, RESP_TYPES } from 'redis';
import { UNSUPPORTED, type CommandResult, type StandInBackend } from './backend';
import { CommandError, errorMessage, type Reply } from './reply';

// Bulk strings as Buffers, statuses as strings: the encoder needs the difference (and binary values survive).
const TYPE_MAPPING = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;

function checkSupported(command: readonly string[]): void {
  const name = (command[0] ?? '').toUpperCase();
  if (UNSUPPORTED.has(name)) throw new CommandError(`ERR command '${name}' is not supported by the Upstash stand-in`);
}

/**
 * Forwards every command generically to a real Redis over one node-redis connection.
 * Fails at once when Redis is unreachable at start; later outages queue commands until it is back.
 */
export async function redisBackend(url: string): Promise<StandInBackend> {
  let connected = false;
  const client = createClient({
    url,
    socket: { reconnectStrategy: (retries, cause) => (connected ? Math.min(50 * retries, 500) : cause) },
  });
  let lastLogged = 0;
  client.on('error', (error: unknown) => {
    // Rate-limited: a stopped Redis would otherwise print on every reconnect attempt.
    if (connected && Date.now() - lastLogged > 5000) {
      lastLogged = Date.now();
      console.error(`[upstash stand-in] Redis connection error: ${errorMessage(error)}`);
    }
  });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Upstash stand-in: cannot connect to Redis at ${url}: ${errorMessage(error)}`, { cause: error });
  }
  connected = true;
  const mapped = client.withTypeMapping(TYPE_MAPPING);

  async function run(command: readonly string[]): Promise<Reply> {
    checkSupported(command);
    return (await mapped.sendCommand(command)) as Reply;
  }

  return {
    kind: 'redis',
    run,
    async pipeline(commands) {
      const settled = await Promise.allSettled(commands.map((command) => run(command)));
      return settled.map((s) => (s.status === 'fulfilled' ? { reply: s.value } : { error: errorMessage(s.reason) }));
    },
    async transaction(commands) {
      commands.forEach(checkSupported);
      const multi = mapped.multi();
      for (const command of commands) multi.addCommand([...command]);
      try {
        const replies = (await multi.exec()) as unknown as Reply[];
        return replies.map((reply): CommandResult => ({ reply }));
      } catch (error) {
        // Errors while running (WRONGTYPE …) fail single commands; the others still ran.
        if (error instanceof MultiErrorReply) {
          return (error.replies as Reply[]).map((reply): CommandResult => (reply instanceof ErrorReply ? { error: reply.message } : { reply }));
        }
        throw error;
      }
    },
    async close() {
      connected = false;
      // destroy, not close: close waits for pending replies, which a paused Redis never sends.
      if (client.isOpen) client.destroy();
    },
  };
}
