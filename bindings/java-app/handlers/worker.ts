import ms from 'ms';

/** Reports the failed messages of a batch (SqsSource turns partial batch responses on). */
export const handler = async (event: { Records: { messageId: string; body: string }[] }) => {
  const failures = event.Records.filter((r) => Number.isNaN(ms(r.body) ?? NaN)).map((r) => ({ itemIdentifier: r.messageId }));
  console.log(JSON.stringify({ stage: process.env.STAGE, failures: failures.length }));
  return { batchItemFailures: failures };
};
