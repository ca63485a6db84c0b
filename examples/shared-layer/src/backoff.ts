import ms from 'ms';

/** The wait before retry N, doubling from one second and capped at one minute. */
export const handler = async (event: { attempt: number }) => {
  const wait = Math.min(ms('1s') * 2 ** event.attempt, ms('1m'));
  return { waitMs: wait, human: ms(wait, { long: true }) };
};
