import { handleCommand } from '../../core/ack.js';
import { idempotencyRef } from '../../core/mutation.js';
import { parse } from '../../core/validate.js';
import type { SocketModule } from '../../io.js';
import { MoveCommand, moveCommand } from './pipeline.schemas.js';
import type { PipelineService } from './pipeline.service.js';

/** `opportunity:move`: the REST move's semantics (Idempotency-Key included), answered as an ack. */
export function pipelineSocket(pipeline: PipelineService): SocketModule {
  return ({ socket, actor, logger }) => {
    socket.on(
      'opportunity:move',
      handleCommand(logger, actor, async (a, payload: unknown) => {
        const { idempotencyKey, ...move } = parse(MoveCommand, payload, 'move');
        return pipeline.move(a, move, idempotencyRef(idempotencyKey, moveCommand(move)));
      }),
    );
  };
}
