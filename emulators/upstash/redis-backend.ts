import { createClient, ErrorReply, MultiErrorReply, RESP_TYPES } from 'redis';
import { UNSUPPORTED, type CommandResult, type StandInBackend } from './backend';
import { CommandError, errorMessage, type Reply } from './reply';
import { upstashLuaShim, type Rewritten } from './upstash-lua';

// Bulk strings as Buffers, statuses as strings: the encoder needs the difference (and binary values survive).
const TYPE_MAPPING = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;

function checkSupported(command: readonly string[]): void {
  const name = (command[0] ?? '').toUpperCase();
  if (UNSUPPORTED.has(name)) throw new CommandError(`ERR command '${name}' is not supported by the Upstash stand-in`);
}

/** `url` without its password, for messages (a Redis URL may carry one: `redis://:secret@host`). */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
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
    throw new Error(`Upstash stand-in: cannot connect to Redis at ${redactedUrl(url)}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  connected = true;
  const mapped = client.withTypeMapping(TYPE_MAPPING);
  const rewrite = upstashLuaShim();
  const translate = (rewritten: Rewritten, reply: Reply) => (rewritten.reply ? rewritten.reply(reply) : reply);

  async function run(command: readonly string[]): Promise<Reply> {
    checkSupported(command);
    const rewritten = rewrite(command);
    return translate(rewritten, (await mapped.sendCommand(rewritten.command)) as Reply);
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
      const rewritten = commands.map(rewrite);
      const multi = mapped.multi();
      for (const { command } of rewritten) multi.addCommand(command);
      const result = (reply: Reply, i: number): CommandResult => {
        const step = rewritten[i];
        return reply instanceof ErrorReply
          ? { error: reply.message }
          : { reply: step ? translate(step, reply) : reply };
      };
      try {
        return ((await multi.exec()) as unknown as Reply[]).map(result);
      } catch (error) {
        // Errors while running (WRONGTYPE …) fail single commands; the others still ran.
        if (error instanceof MultiErrorReply) return (error.replies as Reply[]).map(result);
        // An error while queueing (unknown command, arity) discards the whole transaction, as Redis says.
        if (error instanceof ErrorReply && !error.message.startsWith('EXECABORT')) {
          throw new CommandError(`EXECABORT Transaction discarded because of previous errors: ${error.message}`);
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
