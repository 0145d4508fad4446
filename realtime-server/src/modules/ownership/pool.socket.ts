import { z } from 'zod';
import { handleCommand } from '../../core/ack.js';
import { AppError } from '../../core/app-error.js';
import { parse } from '../../core/validate.js';
import { teamRoom, type SocketModule } from '../../io.js';
import type { CustomerService } from '../customers/customer.service.js';

const ClaimStarted = z.object({ customerId: z.number().int().positive().max(2_147_483_647) }).strict();

/**
 * `customer:claim-started`: the pool page shows teammates 正在被领取 while a claim is on its way. A
 * hint, not a fact: no seq, nothing stored; the claim itself decides who wins.
 */
export function poolSocket(customers: Pick<CustomerService, 'reachable'>): SocketModule {
  return ({ socket, actor, logger }) => {
    socket.on(
      'customer:claim-started',
      handleCommand(logger, actor, async (a, payload: unknown) => {
        const { customerId } = parse(ClaimStarted, payload, 'customer:claim-started');
        const customer = await customers.reachable(a, customerId);
        if (customer.ownerId !== null) throw new AppError('conflict', 'This customer is no longer in the pool');
        socket.to(teamRoom(customer.teamId)).emit('customer:claiming', { customerId, userId: a.userId, name: a.name });
        return { customerId };
      }),
    );
  };
}
